import pytest

from .fakes import install_fakes


@pytest.fixture
def fake_layers(monkeypatch):
    """The numerics checks and the training sweep replaced by fakes (agreeing with the theory); the
    per-time loss tables are the real numerics ones, at the smoke tier's tiny sizes."""
    install_fakes(monkeypatch)
    return monkeypatch
