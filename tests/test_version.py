"""protokit's version has one source, pyproject.toml's `version`: the package reads it as
installed, and every release says what changed for its users in CHANGELOG.md.

Every sitting shipped 0.1.0, written in both pyproject.toml and protocol_kit/__init__.py, so
"made by a newer protokit" (bundles, import records) could not fire between two of them."""

from __future__ import annotations

import re

from conftest import REPO
from protocol_kit import __version__
from protocol_kit.errors import ConfigError
from protocol_kit.tomlfile import parse_toml


def test_the_version_is_pyprojects_as_installed():
    pyproject = REPO / "pyproject.toml"
    declared = parse_toml(pyproject.read_text("utf-8"), str(pyproject), ConfigError)
    # Different: the installed copy predates the last change of the version (pip install -e .).
    assert __version__ == declared["project"]["version"]


def test_the_changelog_says_what_this_version_changed():
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+)\b", changelog, re.MULTILINE)
    assert releases[0] == __version__  # newest first


def test_a_source_checkout_not_installed_reads_its_pyproject(tmp_path):
    # `PYTHONPATH=. python -m protocol_kit` in a clone nobody installed: importlib.metadata
    # finds no distribution, and the version comes from the checkout's own pyproject.toml.
    from protocol_kit.lean_imports.installed import _source_tree_version

    assert _source_tree_version("protocol-kit", [str(REPO)]) == __version__
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "9.9.9"\n', "utf-8")
    assert _source_tree_version("protocol-kit", [str(tmp_path)]) is None
