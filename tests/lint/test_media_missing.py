import base64

from lint_helpers import codes, exercise, lint

# A real 1x1 pixel PNG: the rule reads the whole structure, not only the first bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def image(path):
    def change(data):
        exercise(data)["media"] = [
            {"kind": "image", "path": path, "alt": "Cat pose", "author": "A", "licence": "CC0-1.0"}
        ]

    return change


def test_missing_image(tmp_path):
    findings = lint(tmp_path, image("img/cat.png"))
    assert codes(findings) == [("LINK001", "/exercises/0/media/0/path")]
    assert 'the image "img/cat.png" does not exist' in findings[0].message


def test_file_that_is_not_an_image(tmp_path):
    (tmp_path / "cat.png").write_text("<svg/>")
    findings = lint(tmp_path, image("cat.png"))
    assert codes(findings) == [("LINK001", "/exercises/0/media/0/path")]
    assert "is not a PNG or JPEG file" in findings[0].message


def test_image_beside_the_protocol_is_fine(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "cat.png").write_bytes(PNG)
    assert lint(tmp_path, image("img/cat.png")) == []


def test_a_truncated_image_is_refused_without_decoding(tmp_path):
    (tmp_path / "cut.png").write_bytes(PNG[:-20])
    findings = lint(tmp_path, image("cut.png"))
    assert codes(findings) == [("LINK001", "/exercises/0/media/0/path")]
    assert "is incomplete" in findings[0].message
