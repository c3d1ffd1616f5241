from lint_helpers import codes, lint


def test_amber_not_above_green(tmp_path):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=5, amber_max=5)

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE004", "/safety/pain_guide/amber_max")]


def test_ordered_bands_are_fine(tmp_path):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=2, amber_max=5)

    assert lint(tmp_path, change) == []


def test_an_amber_band_that_carries_on_above_5_out_of_10(tmp_path):
    # H861: "carry on with care" up to 7 or 9 out of 10 passed, and SAFE014 judges a pain
    # target against these bands, so "aim for 7 out of 10" passed with them.
    def change(data):
        data["safety"]["pain_guide"].update(green_max=4, amber_max=7)

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE004", "/safety/pain_guide/amber_max")]
    assert "carry on with pain up to 7 out of 10" in findings[0].message
