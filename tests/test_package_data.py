"""The package's data files read straight from its folders are what importlib.resources reads."""

from __future__ import annotations

from importlib.resources import files

import pytest

from protocol_kit.errors import DamagedInstallation
from protocol_kit.package_data import read_text

SHIPPED = [
    ("protocol_kit.redflags", "red_flags.json"),
    ("protocol_kit.redflags", "misspellings.json"),
    ("protocol_kit.terminology", "data/crosswalk.json"),
    ("protocol_kit.lint", "data/condition_words.json"),
    ("protocol_kit.lint", "data/number_words.json"),
    ("protocol_kit.lint", "data/condition_movements.json"),
    ("protocol_kit.lint", "data/ignore_pain.json"),
    ("protocol_kit.lint", "data/safety_statements.json"),
    ("protocol_kit.illustration", "data/body.json"),
    ("protocol_kit.prescribing", "measures.json"),
]


@pytest.mark.parametrize(("package", "name"), SHIPPED)
def test_same_text_as_importlib_resources(package, name):
    expected = files(package).joinpath(name).read_text(encoding="utf-8")
    assert expected  # the file is shipped
    assert read_text(package, name) == expected


def test_a_missing_file_is_an_error_naming_it():
    # A shipped file missing is a damaged installation, said in one line naming the file
    # (H1670), not an internal error.
    with pytest.raises(DamagedInstallation) as raised:
        read_text("protocol_kit.lint", "data/no-such-file.json")
    said = str(raised.value)
    assert "no-such-file.json" in said and "it is missing" in said and "reinstall" in said
    assert "\n" not in said
