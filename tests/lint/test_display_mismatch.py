from lint_helpers import ICD, SNOMED, codes, coding, lint


def test_icd_display_must_match_the_code_list(tmp_path):
    findings = lint(tmp_path, lambda d: d.update(indications=[coding(ICD, "M54.50", "Sciatica")]))
    assert codes(findings) == [("CODE004", "/indications/0/display")]
    assert 'M54.50 is "Low back pain, unspecified", but the display says "Sciatica"' in (
        findings[0].message
    )


def test_snomed_display_must_match_the_curated_table(tmp_path):
    findings = lint(
        tmp_path,
        lambda d: d["indications"].append(coding(SNOMED, "279039007", "Chronic low back pain")),
    )
    assert codes(findings) == [("CODE004", "/indications/1/display")]


def test_preferred_term_or_full_name_any_case(tmp_path):
    def change(data):
        data["indications"] += [
            coding(SNOMED, "279039007", "Low back pain (finding)"),
            coding(SNOMED, "161891005", "backache"),
            coding(ICD, "M54.50", "low back pain,  unspecified"),
        ]

    assert lint(tmp_path, change) == []


def test_unknown_snomed_concept_is_not_compared(tmp_path):
    assert (
        lint(tmp_path, lambda d: d["indications"].append(coding(SNOMED, "22253000", "Ache"))) == []
    )


def test_a_placeholder_display_is_left_to_the_placeholder_rule(tmp_path):
    # `protokit new` writes a code with "TODO: ..." as its display: one finding there, not two.
    findings = lint(
        tmp_path,
        lambda d: d.update(indications=[coding(ICD, "R69", "TODO: the condition treated")]),
    )
    assert codes(findings) == [("TEXT003", "/indications/0/display")]
