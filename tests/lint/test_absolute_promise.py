from lint_helpers import codes, lint


def test_promise_in_the_summary(tmp_path):
    findings = lint(tmp_path, lambda d: d.update(summary="Cures back pain, guaranteed."))
    assert codes(findings) == [("TEXT002", "/summary")]
    assert "'cures' promises an outcome" in findings[0].message


def test_words_inside_other_words_do_not_count(tmp_path):
    assert lint(tmp_path, lambda d: d.update(summary="Secure your footing; procured mats.")) == []


def test_a_hundred_percent_is_a_promise_before_a_space_or_at_the_end(tmp_path):
    """H955: "100%" sat inside the group that ends at a word's edge, and a mark has none
    after it: "a 100% recovery" and "works 100%." were never reported."""
    for summary in ("Expect a 100% recovery.", "It works 100 %.", "Back to normal: 100%"):
        findings = lint(tmp_path, lambda d, summary=summary: d.update(summary=summary))
        assert codes(findings) == [("TEXT002", "/summary")], summary
    for summary in ("About 1100% more", "Hold for 100 seconds.", "A 10% chance"):
        assert lint(tmp_path, lambda d, summary=summary: d.update(summary=summary)) == [], summary
