"""Semantic version order decides updates and downgrades."""

from __future__ import annotations

import pytest

from protocol_kit.bundle.versions import compare_versions, version_key

# semver.org, section 11: each is lower than the next.
ORDERED = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.2.0",
    "1.10.0",
    "2.0.0",
]


def test_semver_precedence():
    assert sorted(reversed(ORDERED), key=version_key) == ORDERED
    for lower, higher in zip(ORDERED[:-1], ORDERED[1:], strict=True):
        assert compare_versions(lower, higher) == -1
        assert compare_versions(higher, lower) == 1
    assert compare_versions("1.0.0", "1.0.0") == 0


@pytest.mark.parametrize("text", ["1.0", "01.0.0", "1.0.0-", "1.0.0+build", "v1.0.0", ""])
def test_not_a_version(text):
    with pytest.raises(ValueError):
        version_key(text)
