from lint_helpers import ICD, codes, coding, lint


def test_split_header_lists_its_billable_codes_and_history(tmp_path):
    findings = lint(
        tmp_path, lambda d: d.update(indications=[coding(ICD, "M54.5", "Low back pain")])
    )
    assert codes(findings) == [("CODE002", "/indications/0")]
    (finding,) = findings
    assert finding.severity.value == "warning"
    assert "M54.5 (Low back pain) is a category header, not a billable code" in finding.message
    assert "split on 2021-10-01" in finding.message
    assert "use one of M54.50, M54.51, M54.59 (or, outside the US, the WHO ICD-10 code M54.5" in (
        finding.message
    )


def test_header_with_many_children_is_shortened(tmp_path):
    findings = lint(tmp_path, lambda d: d.update(indications=[coding(ICD, "M54", "Dorsalgia")]))
    assert codes(findings) == [("CODE002", "/indications/0")]
    assert "split" not in findings[0].message
    assert "and 25 more" in findings[0].message
