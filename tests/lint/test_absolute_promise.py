from lint_helpers import codes, lint


def test_promise_in_the_summary(tmp_path):
    findings = lint(tmp_path, lambda d: d.update(summary="Cures back pain, guaranteed."))
    assert codes(findings) == [("TEXT002", "/summary")]
    assert "'cures' promises an outcome" in findings[0].message


def test_words_inside_other_words_do_not_count(tmp_path):
    assert lint(tmp_path, lambda d: d.update(summary="Secure your footing; procured mats.")) == []
