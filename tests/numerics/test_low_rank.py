"""The low-rank model of §4.2: templates (glyphs, IDX files), exact denoisers against dense linear
algebra, Tweedie, the order-statistic C_r, the closed forms, and the check end to end."""

import gzip
import json
import struct

import numpy as np
import pytest
from scipy import special, stats

from memlab import numerics, theory
from memlab.cli import main
from memlab.theory.errors import InvalidInput

TINY = dict(K=2, N=8, h=4, w=4, draws=4)


def write_idx(path, array, gz=False):
    """A minimal IDX writer (unsigned bytes), the format of (Fashion)MNIST."""
    array = np.asarray(array, np.uint8)
    raw = struct.pack(">BBBB", 0, 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    raw += array.tobytes()
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


@pytest.fixture
def idx_files(tmp_path):
    images = np.zeros((6, 28, 28), np.uint8)
    for i in range(6):
        images[i, 4 * i : 4 * i + 6, 3:25] = 200 + i  # a bar at a different height per image
    labels = np.array([0, 1, 2, 0, 1, 2])
    return (
        write_idx(tmp_path / "images.idx", images),
        write_idx(tmp_path / "images.idx.gz", images, gz=True),
        write_idx(tmp_path / "labels.idx", labels),
        images,
    )


def test_glyph_templates_are_deterministic_and_distinct():
    templates = numerics.glyph_templates(6, 15, 15)
    assert templates.shape == (6, 15, 15) and templates.min() >= 0 and templates.max() <= 1
    assert np.array_equal(templates, numerics.glyph_templates(6, 15, 15))
    cosines = numerics.template_cosines(templates.reshape(6, -1))
    assert np.all(cosines[~np.eye(6, dtype=bool)] < 0.95)  # no two classes share a subspace
    normalised = numerics.normalise(templates)
    assert np.allclose((normalised**2).sum((1, 2)), 225)


def test_idx_reading_raw_gzip_and_class_means(idx_files):
    raw, gz, labels, images = idx_files
    assert np.array_equal(numerics.read_idx(raw), images)
    assert np.array_equal(numerics.read_idx(gz), images)
    means = numerics.idx_templates(raw, 3, 28, 28, labels=labels)
    assert np.allclose(means[0], (images[0] + images[3]) / 2)
    by_index = numerics.idx_templates(gz, 2, 7, 7)
    assert by_index.shape == (2, 7, 7)
    assert by_index[0].sum() * 16 == pytest.approx(images[0].astype(float).sum())  # area average


@pytest.mark.parametrize("damage", ["truncated", "magic", "missing", "bad gzip"])
def test_bad_idx_file_names_the_file(idx_files, tmp_path, damage):
    raw = idx_files[0].read_bytes()
    path = tmp_path / f"{damage}.idx"
    if damage == "truncated":
        path.write_bytes(raw[:-10])
    elif damage == "magic":
        path.write_bytes(b"\x01\x02" + raw[2:])
    elif damage == "bad gzip":
        path.write_bytes(gzip.compress(raw)[:-20])
    with pytest.raises(InvalidInput, match="--templates") as error:
        numerics.read_idx(path)
    assert str(path) in str(error.value)


def test_cli_truncated_templates_exit_2_naming_the_file(idx_files, tmp_path, capsys):
    path = tmp_path / "cut.idx"
    path.write_bytes(idx_files[0].read_bytes()[:100])
    with pytest.raises(SystemExit) as exit_:
        main(["check", "sec-4.2-losses", "--templates", str(path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and str(path) in err and len(err.strip().splitlines()) == 1


def _dense_posterior_mean(x, templates, colours, s2, alpha, sigma):
    """E[x0 | x_t] by explicit D × D Gaussian algebra (no Woodbury, no colour coordinates)."""
    D = 3 * templates.shape[1]
    log_likelihoods, means = [], []
    for tau, mu in zip(templates, colours, strict=True):
        mean = np.kron(mu, tau)
        covariance = s2 * np.kron(np.eye(3), np.outer(tau, tau))
        noised = alpha**2 * covariance + sigma**2 * np.eye(D)
        log_likelihoods.append(stats.multivariate_normal(alpha * mean, noised).logpdf(x))
        means.append(mean + (alpha * covariance @ np.linalg.solve(noised, (x - alpha * mean).T)).T)
    weights = special.softmax(np.array(log_likelihoods).T, axis=1)
    return np.einsum("nm,mnd->nd", weights, np.array(means))


@pytest.mark.parametrize("alpha, sigma", [(0.8, 0.6), (0.9995, 0.03), (0.3, 0.95)])
def test_denoiser_is_the_dense_posterior_mean_with_unequal_log_determinants(alpha, sigma):
    rng = np.random.default_rng(3)
    templates = rng.standard_normal((4, 5)) * np.array([[0.5], [1.0], [1.7], [2.5]])
    colours = rng.standard_normal((4, 3))
    model = numerics.LowRankDenoiser(templates, colours, 0.7)
    x = 2 * rng.standard_normal((6, 15))
    expected = _dense_posterior_mean(x, templates, colours, 0.7, alpha, sigma)
    assert np.abs(model(x, alpha, sigma) - expected).max() < 1e-9 * np.abs(expected).max()
    tweedie = numerics.low_rank_tweedie_denoiser(x, model, alpha, sigma)
    assert np.abs(tweedie - expected).max() < 1e-9 * np.abs(expected).max()


def test_memorizing_denoiser_is_the_empirical_posterior_mean():
    data = numerics.make_low_rank_dataset(3, 20, 5, 5, seed=2)
    templates, colours = numerics.rank_one_factors(data.train)
    rebuilt = (colours[:, :, None] * templates[:, None, :]).reshape(data.train.shape)
    assert np.allclose(rebuilt, data.train)
    x_t = 0.8 * data.train + 0.6 * np.random.default_rng(0).standard_normal(data.train.shape)
    isotropic = numerics.MixtureDenoiser(data.train, 0.0)
    low_rank = numerics.low_rank_memorizing_denoiser(data.train)
    assert np.allclose(low_rank(x_t, 0.8, 0.6), isotropic(x_t, 0.8, 0.6), atol=1e-10)


def test_order_statistic_C():
    templates = numerics.normalise(numerics.glyph_templates(4, 8, 8)).reshape(4, -1)
    # One memorized point: E||x_j - x_i||^2 = 2 r lambda for any pair of zero-mean classes.
    assert numerics.low_rank_C(templates, 1) == pytest.approx(2.0, rel=1e-4)
    values = [numerics.low_rank_C(templates, M) for M in (2, 8, 32)]
    assert values[0] > values[1] > values[2] > 0  # nearer neighbours among more points
    fraction = 0.05
    ratio, C = numerics.low_rank_crossover(templates, 40, fraction)
    assert ratio == pytest.approx(1 - fraction / C, abs=0.03)  # the fixed point


def test_memorizing_loss_per_competitor_is_the_two_point_posterior():
    """e_t = E[D h(psi D)] (numerics.low_rank_memorizing, by quadrature over the pair-distance
    density) against the loss of the exact two-point memorizing posterior, simulated."""
    data = numerics.make_low_rank_dataset(3, 3, 4, 4, 1.0, seed=7)
    lam = float(data.mixture.eigenvalues.mean())
    rng = np.random.default_rng(11)
    n = 400_000
    x_i, _, _ = data.mixture.sample(rng, n)
    x_j, _, _ = data.mixture.sample(rng, n)
    difference = x_j - x_i
    distance = (difference**2).sum(1)
    snr = np.array([0.02, 0.2])
    expected = numerics.memorizing_loss_per_competitor(data.mixture.flat_templates, lam, snr)
    for psi, value in zip(snr, expected, strict=True):
        # x_t / alpha = x_i + noise / sqrt(psi): the posterior over {x_i, x_j}
        noise = rng.standard_normal(x_i.shape) / np.sqrt(psi)
        gap = psi * (((noise - difference) ** 2).sum(1) - (noise**2).sum(1)) / 2
        loss = special.expit(-gap) ** 2 * distance
        se = loss.std() / np.sqrt(n)
        assert abs(loss.mean() - value) < 4 * se, (psi, loss.mean(), se, value)
    assert expected[0] > expected[1] > 0  # less noise, fewer winning competitors
    with pytest.raises(InvalidInput, match="eigenvalue"):
        numerics.memorizing_loss_per_competitor(data.mixture.flat_templates, 0.0, snr)


def test_one_sparse_condition():
    condition = theory.low_rank_one_sparse(theory.exact("0.06", "m"))
    assert set(condition.names) == {"N", "M", "r", "lam", "C_r", "memorizing_per_competitor"}
    config = {"N": 100, "M": 50, "r": 3, "lam": 225, "C_r": 0.45}  # closed form 151.875
    allowed = 0.06 * 151.875 / (99 - 50 * 49 / 100)
    assert condition.evaluate({**config, "memorizing_per_competitor": 0.99 * allowed}).holds
    assert not condition.evaluate({**config, "memorizing_per_competitor": 1.01 * allowed}).holds


def test_memorizing_negligible_condition():
    condition = theory.low_rank_memorizing_negligible()
    assert set(condition.names) == {"t", "N", "r", "lam", "memorizing_per_competitor", "margin"}
    config = {"t": 0.5, "N": 100, "r": 3, "lam": 225, "margin": 0.06}
    psi = float(theory.evaluate(theory.VP.snr, {"t": 0.5}))
    allowed = 0.06 * 3 * 225 / (1 + psi * 225) / 99
    assert condition.evaluate({**config, "memorizing_per_competitor": 0.99 * allowed}).holds
    assert not condition.evaluate({**config, "memorizing_per_competitor": 1.01 * allowed}).holds


def test_the_check_reads_the_claims_margin():
    from memlab.numerics.checks.low_rank import MARGIN
    from memlab.verification.claims.sec_4_2_losses import MARGIN as CLAIM_MARGIN

    assert CLAIM_MARGIN.value == MARGIN and CLAIM_MARGIN.relative


def test_closed_forms():
    psi = theory.VP.snr.subs(theory.symbols.t, theory.exact("0.36", "t"))
    excess = theory.low_rank_generalizing_excess(time="0.36", rank=3, eigenvalue=10**6)
    limit = theory.low_rank_signal_limit(time="0.36", rank=3)
    assert float(excess) == pytest.approx(float(limit), rel=1e-5)
    assert float(limit) == pytest.approx(3 / float(psi))
    unequal = theory.low_rank_generalizing_excess([1, 2, 3], time="0.5")
    assert float(unequal) == pytest.approx(sum(v / (1 + 3 * v) for v in (1, 2, 3)))
    assert theory.low_rank_partial_excess(3, 225, 50, 100, 1) == pytest.approx(337.5)


def test_check_runs_tiny_and_is_reproducible():
    payload = numerics.run_low_rank_check("sec-4.2-losses", **TINY).to_dict()
    assert json.loads(json.dumps(payload)) == payload
    kinds = {row["kind"] for row in payload["rows"]}
    assert kinds == {"generalizing-excess", "generalizing-loss", "partial-excess", "crossover"}
    partial = [row for row in payload["rows"] if row["kind"] == "partial-excess"]
    dropped = [row["memorizing_part"] for row in partial]
    assert dropped == sorted(dropped) and dropped[0] < 1e-6 < dropped[-1]  # grows with the noise
    assert payload["config"]["r"] == 3 and payload["config"]["d"] == 3 * 4 * 4
    again = numerics.run_low_rank_check("sec-4.2-losses", **TINY).to_dict()
    assert again["rows"] == payload["rows"]


def test_sets_pool_training_sets_with_the_se_over_their_means():
    pooled = numerics.run_low_rank_check("sec-4.2-losses", **TINY, sets=3)
    alone = [numerics.run_low_rank_check("sec-4.2-losses", **TINY, seed=s) for s in range(3)]
    for i, row in enumerate(pooled.rows):
        if row.t is None:
            continue
        means = np.array([result.rows[i].measured for result in alone])
        assert row.measured == pytest.approx(means.mean(), rel=1e-12)
        assert row.se == pytest.approx(means.std(ddof=1) / np.sqrt(3), rel=1e-9)
    assert pooled.config["sets"] == 3 and pooled.config["margin"] == 0.06
    # every row carries e_t, which the memorizing-negligible condition reads
    assert all("memorizing_per_competitor" in row.extra for row in pooled.rows if row.t)


@pytest.mark.parametrize(
    "field, value",
    [("K", 0), ("N", 1), ("h", 1), ("draws", 1), ("colour_var", -1.0), ("M", 8), ("sets", 0)],
)
def test_bad_configuration_names_the_field(field, value):
    with pytest.raises(InvalidInput, match=field):
        numerics.run_low_rank_check("sec-4.2-losses", **{**TINY, field: value})
