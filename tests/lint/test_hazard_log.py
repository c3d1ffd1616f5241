"""The hazard log names, for each control, the test that proves it: those tests must exist."""

from __future__ import annotations

import re

from conftest import REPO

LOG = REPO / "docs" / "safety" / "hazard-log.md"


def test_every_test_named_in_the_hazard_log_exists():
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", LOG.read_text(encoding="utf-8")))
    assert len(named) >= 20
    missing = []
    for path, name in sorted(named):
        source = (REPO / path).read_text(encoding="utf-8") if (REPO / path).exists() else ""
        if not re.search(rf"^def {name}\(", source, re.MULTILINE):
            missing.append(f"{path}::{name}")
    assert not missing, f"the hazard log names tests that do not exist: {missing}"
