"""Acceptance tests: run `protokit validate .` in every case folder under tests/cases/validate.

valid/<case>/ must pass with exit 0 and no findings; invalid/<case>/ must fail with exit 1 and
print exactly the findings in its expected.txt. Adding a case means adding a folder.
"""

from __future__ import annotations

import pytest

from conftest import CASES, run_protokit

VALID = sorted((CASES / "validate" / "valid").iterdir())
INVALID = sorted((CASES / "validate" / "invalid").iterdir())


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_passes(case):
    result = run_protokit("validate", ".", cwd=case)
    assert result.stdout == ""
    assert result.code == 0, result.stderr
    assert "all valid" in result.stderr


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_reports_exact_findings(case):
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert expected, "an invalid case must list the findings it expects"
    result = run_protokit("validate", "--quiet", ".", cwd=case)
    assert result.stdout == expected
    assert result.code == 1
    assert "Traceback" not in result.stderr
