"""The parsed configuration kept in the cache folder (protocol_kit/config.py `_read_toml`): a
configuration read from the cache is the one parsed from the file; a changed file is parsed
again; a mistake is never kept (the same message on every run); a damaged cache file is not
used; a value the cache cannot hold (a TOML date) is parsed every time."""

from __future__ import annotations

import os

import pytest

from protocol_kit import config, tomlfile
from protocol_kit.errors import ConfigError

CLINIC = '[clinic]\nname = "Example Clinic"\nphone = "01632 960000"\n'


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    project.mkdir()
    return project


def load(folder) -> dict:
    return config.load_config(start=folder).values


def never_parsed(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed again although the cache holds it")

    monkeypatch.setattr(tomlfile, "parse_toml", refuse)


def test_an_unchanged_configuration_is_not_parsed_again(folder, monkeypatch):
    (folder / "protokit.toml").write_text(CLINIC)
    first = load(folder)
    assert first["clinic"]["name"] == "Example Clinic"
    assert (folder.parent / "cache" / "configuration.marshal").is_file()
    with monkeypatch.context() as patched:
        never_parsed(patched)
        assert load(folder) == first
    # The same text in another repository's pyproject.toml: the same parse, its own table.
    other = folder.parent / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text(CLINIC.replace("[clinic]", "[tool.protokit.clinic]"))
    assert load(other) == first


def test_a_changed_configuration_is_parsed_again(folder):
    path = folder / "protokit.toml"
    path.write_text(CLINIC)
    assert load(folder)["clinic"]["name"] == "Example Clinic"
    path.write_text(CLINIC.replace("Example Clinic", "Another Clinic"))
    assert load(folder)["clinic"]["name"] == "Another Clinic"


@pytest.mark.parametrize(
    "text",
    [
        "[clinic\nname = 1\n",  # not TOML
        '[clinic]\nphone = "TBD"\n',  # TOML, not a valid configuration
        "[lint.bounds.strengthening]\nsets = [1, 4, inf]\n",  # refused when parsed (H216)
    ],
)
def test_a_mistake_is_reported_the_same_on_every_run(folder, text):
    (folder / "protokit.toml").write_text(text)
    messages = []
    for _ in range(2):
        with pytest.raises(ConfigError) as raised:
            load(folder)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_a_damaged_cache_file_is_not_used(folder, monkeypatch):
    (folder / "protokit.toml").write_text(CLINIC)
    first = load(folder)
    kept = folder.parent / "cache" / "configuration.marshal"
    original = kept.read_bytes()
    for damaged in (b"", b"parsed TOML 1\n" + b"\0" * 80, original[:-5], original + b"x"):
        kept.write_bytes(damaged)
        assert load(folder) == first
    # Rewritten whole: the next run reads it.
    with monkeypatch.context() as patched:
        never_parsed(patched)
        assert load(folder) == first


def test_a_configuration_with_a_date_is_read_every_time(folder):
    # marshal cannot keep a date: nothing kept, and the configuration is read as before.
    (folder / "protokit.toml").write_text(CLINIC + "updated = 2026-12-04\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="updated"):
            load(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_place_of_the_cache_file_does_not_hang(folder):
    (folder / "protokit.toml").write_text(CLINIC)
    kept = folder.parent / "cache" / "configuration.marshal"
    kept.parent.mkdir()
    os.mkfifo(kept)
    assert load(folder)["clinic"]["name"] == "Example Clinic"
