"""The one TOML reader and the one atomic writer."""

import pytest

from memlab.theory.errors import InvalidInput
from memlab.training.files import atomic_write, read_toml


@pytest.mark.parametrize(
    "content, fragment",
    [(b"steps = \xff\n", "UTF-8"), (b"steps = = 3\n", "valid TOML"), (None, "readable")],
)
def test_read_toml_names_the_field_and_the_problem(tmp_path, content, fragment):
    path = tmp_path / "c.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInput) as error:
        read_toml(path, "--config")
    assert error.value.field == "--config" and fragment in error.value.allowed


def test_read_toml_refuses_a_directory(tmp_path):
    with pytest.raises(InvalidInput, match="readable"):
        read_toml(tmp_path)


def test_atomic_write_leaves_the_old_file_whole_on_failure(tmp_path):
    path = tmp_path / "f.json"
    atomic_write(path, lambda handle: handle.write(b"old"))

    def fail_halfway(handle):
        handle.write(b"new, half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write(path, fail_halfway)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.json"]
