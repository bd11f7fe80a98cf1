"""Every subcommand, driven with generated bad values: exit 2, one line naming the field, no
traceback, nothing created. (Exit 1 is reserved for failed verdicts.)"""

import json
import math
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memlab.cli import main

CHECK = ["check", "thm-3.1", "--d", "3", "--K", "1", "--N", "4", "--draws", "2"]

too_big = st.integers(min_value=10**7, max_value=10**40)
negative = st.integers(max_value=-1)
not_a_number = st.sampled_from(["abc", "", "1e", "--", "½", "nan(", "1/0", "0x"])
bad_float = st.one_of(
    st.floats(max_value=0.0, allow_nan=False),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e300, 1e7]),
)
toml_non_integer = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x != int(x)),
    st.sampled_from([1e12, "ten", True, [1], {"a": 1}]),
)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def refused(capsys, args, field, workdir: Path, before: set) -> None:
    """``memlab ARGS`` exits 2 with one line naming ``field``, and creates nothing."""
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2, (args, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert field in lines[0], (field, lines[0])
    assert {str(p) for p in workdir.rglob("*")} == before, args  # nothing created


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands with a default --out would write here
    return tmp_path


SETTINGS = settings(
    max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)


@SETTINGS
@given(
    option=st.sampled_from(["--d", "--K", "--N", "--M", "--seed", "--draws"]),
    value=st.one_of(too_big, negative, not_a_number),
)
def test_check_options(capsys, workdir, option, value):
    if option == "--seed" and isinstance(value, int) and value > 0:
        value = -value  # every seed in [0, 2^63) is valid
    refused(capsys, [*CHECK, option, str(value)], option, workdir, set())


@SETTINGS
@given(value=st.one_of(bad_float.map(repr), not_a_number))
def test_check_sigma2(capsys, workdir, value):
    refused(capsys, [*CHECK, "--sigma2", value], "--sigma2", workdir, set())


@SETTINGS
@given(
    option=st.sampled_from(["--C", "--sigma2", "--weighting"]),
    value=st.one_of(
        not_a_number,
        st.sampled_from(["0", "-1", "1e300", "1/0", "10**9", "1e-300"]),
        too_big.map(str),
    ),
)
def test_derive_crossover(capsys, workdir, option, value):
    if option == "--weighting":
        value = f"power:{value}"
    refused(capsys, ["derive", "crossover", option, value], option, workdir, set())


@SETTINGS
@given(
    key=st.sampled_from(["d", "K", "N", "M", "steps", "seed", "sigma2", "gamma2", "clean_step"]),
    value=st.one_of(toml_non_integer, st.sampled_from([-1, 0, 10**15, "abc"])),
)
def test_audit_file_keys(capsys, workdir, key, value):
    if key in ("sigma2", "gamma2") and isinstance(value, float) and 0 < value < 1e12:
        value = -value
    if key == "clean_step" and isinstance(value, bool):
        value = "abc"
    path = workdir / "audit.toml"
    base = "".join(f"{name} = {size}\n" for name, size in (("d", 3), ("K", 1), ("N", 4)))
    path.write_text(base.replace(f"{key} = ", f"# {key} = ") + f"{key} = {_toml(value)}\n")
    before = {str(p) for p in workdir.rglob("*")}
    refused(capsys, ["audit", str(path)], key, workdir, before)


@SETTINGS
@given(
    command=st.sampled_from(["train", "sweep", "verify"]),
    key=st.sampled_from(["steps", "seeds", "noise_draws", "samples", "eval_draws", "chunk"]),
    value=st.one_of(toml_non_integer, too_big, negative),
)
def test_training_keys_of_a_config_file(capsys, workdir, command, key, value):
    path = workdir / "config.toml"
    path.write_text(f'tier = "smoke"\n[sweep]\n{key} = {_toml(value)}\n')
    before = {str(p) for p in workdir.rglob("*")}
    args = [command, "--config", str(path), "--out", str(workdir / "out")]
    refused(capsys, args, key, workdir, before)


@SETTINGS
@given(
    key=st.sampled_from(["d", "K", "N", "draws", "fit_draws", "Ms", "check_Ms", "C", "sigma2"]),
    value=st.one_of(toml_non_integer, too_big, negative, st.just([10.5])),
)
def test_monte_carlo_keys_of_a_verify_file(capsys, workdir, key, value):
    if key in ("Ms", "check_Ms") and value == [1]:
        value = [0]
    if key in ("C", "sigma2") and isinstance(value, float) and 0 < value <= 1e6:
        value = -value
    path = workdir / "config.toml"
    path.write_text(f"{key} = {_toml(value)}\n")
    before = {str(p) for p in workdir.rglob("*")}
    args = ["verify", "--tier", "smoke", "--config", str(path), "--out", str(workdir / "out")]
    refused(capsys, args, key, workdir, before)


@pytest.mark.parametrize("command", ["train", "sweep", "verify"])
@pytest.mark.parametrize(
    "content, field",
    [
        (b"tier = \xff\n", "--config"),
        (b"tier = 'smoke'\nsteps = 300\n", "steps"),
        (b"[sweep\n", "--config"),
    ],
)
def test_unreadable_or_misplaced_config(capsys, workdir, command, content, field):
    path = workdir / "bad.toml"
    path.write_bytes(content)
    args = [command, "--tier", "smoke", "--config", str(path), "--out", str(workdir / "o")]
    refused(capsys, args, field, workdir, {str(path)})


@pytest.mark.parametrize("command", ["train", "sweep", "verify"])
@pytest.mark.parametrize("where", ["file", "under-a-file", "read-only"])
def test_unusable_out_is_refused_before_any_work(capsys, workdir, command, where):
    blocker = workdir / "blocker"
    blocker.write_text("")
    out = {"file": blocker, "under-a-file": blocker / "sub", "read-only": workdir / "ro" / "o"}
    if where == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only directories")
        (workdir / "ro").mkdir(mode=0o555)
    before = {str(p) for p in workdir.rglob("*")}
    refused(
        capsys, [command, "--tier", "smoke", "--out", str(out[where])], "--out", workdir, before
    )


@pytest.mark.parametrize("address", ["notanaddress", "tcp://", "http://host:1", "tcp://a b:1"])
def test_bad_scheduler_leaves_no_store(capsys, workdir, address):
    args = ["sweep", "--tier", "smoke", "--scheduler", address, "--out", str(workdir / "out")]
    refused(capsys, args, "--scheduler", workdir, set())


@pytest.mark.parametrize("tier", ["", "huge", "SMOKE"])
def test_config_show_unknown_tier(capsys, workdir, tier):
    refused(capsys, ["config", "--show", tier], "--show", workdir, set())


def test_report_on_a_directory_without_results(capsys, workdir):
    with tempfile.TemporaryDirectory(dir=workdir) as empty:
        before = {str(p) for p in workdir.rglob("*")}
        refused(capsys, ["report", empty], "DIR", workdir, before)
    refused(capsys, ["report", str(workdir / "absent")], "DIR", workdir, set())


def _no_constants(name):
    raise AssertionError(f"{name} in JSON output: strict parsers reject it")


@pytest.mark.parametrize(
    "args",
    [
        [
            "check",
            "thm-3.1",
            "--d",
            "3",
            "--K",
            "2",
            "--N",
            "2",
            "--draws",
            "2",
            "--format",
            "json",
        ],
        [
            "check",
            "lem-2.1",
            "--d",
            "3",
            "--K",
            "2",
            "--N",
            "2",
            "--draws",
            "2",
            "--format",
            "json",
        ],
        ["derive", "crossover", "--weighting", "power:-20", "--format", "json"],
        ["audit", "--d", "1", "--K", "2", "--N", "2", "--format", "json"],
        ["audit", "--d", "1", "--K", "1", "--N", "2", "--gamma2", "1e12", "--format", "json"],
    ],
)
def test_json_outputs_are_strict(capsys, workdir, args):
    """No NaN or Infinity on the edge of the allowed inputs (N = 2, d = 1, γ = -20)."""
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code in (0, 1, 3)
    json.loads(capsys.readouterr().out, parse_constant=_no_constants)


@pytest.mark.parametrize(
    "args, field",
    [
        (
            ["check", "thm-3.1", "--d", "10000", "--K", "2", "--N", "100000", "--draws", "2"],
            "--draws",
        ),
        (["derive", "crossover", "--weighting", "power:1e10"], "--weighting"),
        (["derive", "crossover", "--sigma2", "1e300"], "--sigma2"),
        (["derive", "crossover", "--C", "1/0"], "--C"),
        (["check", "thm-3.1", "--d", "3", "--K", "1", "--N", "1"], "--N"),
        (["check", "sec-4.2-losses", "--sets", "0"], "--sets"),
        ([*CHECK, "--sets", "4"], "--sets"),
        ([*CHECK, "--colour-var", "2"], "--colour-var"),
    ],
)
def test_inputs_named_in_the_issue(capsys, workdir, args, field):
    refused(capsys, args, field, workdir, set())
