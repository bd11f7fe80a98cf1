"""The distribution installs the four layers inside the ``memlab`` namespace and nothing else at the
top level; ``.ci/run`` also installs it non-editable and imports it from outside the checkout."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools_table() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]


def test_every_source_package_is_installed_under_memlab():
    table = _setuptools_table()
    folders = {name: ROOT / path for name, path in table["package-dir"].items()}
    found = set()
    for top, folder in folders.items():
        for init in folder.rglob("__init__.py"):
            relative = init.parent.relative_to(folder).parts
            found.add(".".join((top, *relative)))
    assert found == set(table["packages"])
    assert all(name == "memlab" or name.startswith("memlab.") for name in table["packages"])


def test_the_layers_are_importable_by_their_namespaced_names_only():
    import memlab

    assert set(memlab.__all__) >= {"theory", "numerics", "training", "verification"}
    assert memlab.theory.__name__ == "memlab.theory"
