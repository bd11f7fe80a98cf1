import pytest

from .fakes import install_fakes


@pytest.fixture
def fake_layers(monkeypatch):
    """The numerics checks and the training sweep replaced by fakes (agreeing with the theory); the
    per-time loss tables are the real numerics ones, at the smoke tier's tiny sizes."""
    install_fakes(monkeypatch)
    return monkeypatch


@pytest.fixture(scope="session")
def smoke_report(tmp_path_factory):
    """One `memlab verify --tier smoke` run with the fake layers, shared read-only by the tests of
    the report's files (tests that alter it work on a copy): (directory, exit code)."""
    from memlab.cli import main

    with pytest.MonkeyPatch.context() as patch:
        install_fakes(patch)
        out = tmp_path_factory.mktemp("smoke-report")
        with pytest.raises(SystemExit) as exit_:
            main(["verify", "--tier", "smoke", "--out", str(out)])
    return out, exit_.value.code
