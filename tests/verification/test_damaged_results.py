"""`memlab report` on damaged results: the bad file named with what is wrong, exit 2, and the
previous report left whole (outputs are built in a staging folder, then renamed)."""

import shutil

import pytest

from memlab.cli import main

from .test_verify_cli import FILES


def damage_corrupt_json(results):
    (results / "manifest.json").write_text('{"tier": "smoke", ')
    return "manifest.json", "valid JSON"


def damage_truncated_npz(results):
    path = next(results.glob("*.npz"))
    path.write_bytes(path.read_bytes()[:100])
    return path.name, ".npz"


def damage_wrong_type(results):
    path = next(p for p in results.glob("*.json") if p.name != "manifest.json")
    path.write_text("[1, 2, 3]\n")
    return path.name, "a JSON object (found list)"


def damage_missing_file(results):
    path = next(p for p in results.glob("*.json") if p.name != "manifest.json")
    path.unlink()
    return path.name, "readable"


def damage_not_utf8(results):
    path = next(p for p in results.glob("*.json") if p.name != "manifest.json")
    path.write_bytes(b'{"a": "\xff"}')
    return path.name, "UTF-8"


@pytest.mark.parametrize(
    "damage",
    [
        damage_corrupt_json,
        damage_truncated_npz,
        damage_wrong_type,
        damage_missing_file,
        damage_not_utf8,
    ],
)
def test_damaged_results_are_named_and_the_report_kept(smoke_report, tmp_path, capsys, damage):
    source, _ = smoke_report
    out = tmp_path / "copy"
    shutil.copytree(source, out)
    before = {name: (out / name).read_bytes() for name in FILES}
    name, what = damage(out / "results")
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(out)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert name in err and what in err
    assert {name: (out / name).read_bytes() for name in FILES} == before
    assert not list(out.glob(".report-*"))


def test_a_failure_while_building_leaves_the_previous_report_whole(
    smoke_report,
    tmp_path,
    monkeypatch,
    capsys,
):
    source, _ = smoke_report
    out = tmp_path / "copy"
    shutil.copytree(source, out)
    before = {name: (out / name).read_bytes() for name in FILES}
    from memlab.verification import report

    def fails_halfway(*args, **kwargs):
        raise KeyError("a field an edited results file lacks")

    monkeypatch.setattr(report, "_markdown", fails_halfway)  # after the figures were drawn
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(out)])
    assert exit_.value.code == 2 and "previous report is left" in capsys.readouterr().err
    assert {name: (out / name).read_bytes() for name in FILES} == before
    assert not list(out.glob(".report-*"))
