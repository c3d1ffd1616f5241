import pytest
from lint_helpers import SNOMED, codes, coding, lint

from protocol_kit.terminology.snomed import identifier_problem, verhoeff_check_digit


def indication(code, display="Low back pain"):
    return lambda data: data["indications"].append(coding(SNOMED, code, display))


def test_mistyped_digit_fails_the_check_digit(tmp_path):
    findings = lint(tmp_path, indication("279039008"))
    assert codes(findings) == [("CODE003", "/indications/1")]
    assert "Verhoeff check digit (the last digit would be 7)" in findings[0].message


def test_swapped_digits_fail_the_check_digit(tmp_path):
    assert codes(lint(tmp_path, indication("270939007"))) == [("CODE003", "/indications/1")]


def test_description_identifier_is_not_a_concept(tmp_path):
    # 14 + partition 01 + check digit: a description id, well formed but not a concept.
    body = "1234567801"
    findings = lint(tmp_path, indication(body + str(verhoeff_check_digit(body))))
    assert codes(findings) == [("CODE003", "/indications/1")]
    assert "identifies a description, not a concept" in findings[0].message


@pytest.mark.parametrize("code", ["279039007", "161891005", "23056005", "22253000", "404684003"])
def test_published_identifiers_are_well_formed(code):
    assert identifier_problem(code) is None


def test_valid_identifier_is_fine(tmp_path):
    assert lint(tmp_path, indication("279039007")) == []
