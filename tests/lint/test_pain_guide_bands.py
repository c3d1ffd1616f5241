from lint_helpers import codes, lint


def test_amber_not_above_green(tmp_path):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=5, amber_max=5)

    findings = lint(tmp_path, change)
    assert codes(findings) == [("SAFE004", "/safety/pain_guide/amber_max")]


def test_ordered_bands_are_fine(tmp_path):
    def change(data):
        data["safety"]["pain_guide"].update(green_max=2, amber_max=6)

    assert lint(tmp_path, change) == []
