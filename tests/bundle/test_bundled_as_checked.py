"""A protocol is bundled from the document its checks read, never from a second reading of
its file (H542): a file saved again between the checks and the bundling would be bundled
with content no check had seen."""

from __future__ import annotations

import shutil

import pytest

from conftest import PROTOCOLS
from protocol_kit.app.bundle_checks import make_self_contained
from protocol_kit.app.check import CheckOptions, FileChecker


@pytest.fixture
def protocol(tmp_path):
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    return folder / "psoas-stretch-glute-bridge.json"


def test_a_file_saved_again_after_its_checks_is_bundled_as_checked(protocol):
    checker = FileChecker(CheckOptions())
    assert checker.check(str(protocol)).ok
    checked = (checker.document, checker.built)
    original = protocol.read_text(encoding="utf-8")
    # Saved again, now failing its schema: no check sees this text.
    protocol.write_text(original.replace('"title"', '"titel"', 1), encoding="utf-8")
    _, contained, _ = make_self_contained(checker, str(protocol), checked=checked)
    assert b'"title"' in contained.text and b'"titel"' not in contained.text


def test_there_is_no_way_to_bundle_a_file_by_reading_it_again_unchecked(protocol):
    checker = FileChecker(CheckOptions())
    assert checker.check(str(protocol)).ok
    with pytest.raises(TypeError):
        make_self_contained(checker, str(protocol), validated=True)  # type: ignore[call-arg]
