"""The results store: atomic writes (temporary file, then rename; manifest last), round trip, no
pickles."""

import numpy as np
import pytest

from memlab.verification import results as store


def _results(arrays):
    return store.Results(
        {"tier": "smoke", "config": {"d": 3}, "provenance": {}, "skipped": {"x": "why"}},
        {"losses": {"value": 1.5, "label": "σ²"}},
        {"losses": arrays},
    )


def test_round_trip_leaves_no_temporary_files(tmp_path):
    arrays = {"t": np.linspace(0, 1, 5), "M": np.arange(3)}
    store.save(_results(arrays), tmp_path)
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "losses.json",
        "losses.npz",
        "manifest.json",
    ]
    loaded = store.load(tmp_path)
    assert loaded.measurements == {"losses": {"value": 1.5, "label": "σ²"}} and loaded.skipped == {
        "x": "why"
    }
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded.arrays["losses"][key], value)


def test_saving_again_replaces_every_file(tmp_path):
    store.save(_results({"t": np.zeros(2)}), tmp_path)
    store.save(_results({"t": np.ones(4)}), tmp_path)
    np.testing.assert_array_equal(store.load(tmp_path).arrays["losses"]["t"], np.ones(4))


def test_object_arrays_are_rejected_before_anything_is_written(tmp_path):
    with pytest.raises(TypeError, match="losses/t"):
        store.save(_results({"t": np.array([{"a": 1}, None], dtype=object)}), tmp_path)
    assert not (tmp_path / "results").exists()


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    store.save(_results({"t": np.zeros(2)}), tmp_path)
    before = (tmp_path / "results" / "manifest.json").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        store.save(_results({"t": np.ones(4)}), tmp_path)
    assert (tmp_path / "results" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "losses.json",
        "losses.npz",
        "manifest.json",
    ]
    np.testing.assert_array_equal(store.load(tmp_path).arrays["losses"]["t"], np.zeros(2))
