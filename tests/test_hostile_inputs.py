"""Hostile inputs, one class at a time (issue 18's trial): numbers, special files, sizes, images,
names and text, reports, build. Each case is refused with one clear line naming the file and
a non-zero exit, never a traceback, a hang or a half-written file. The property-based fuzzing
of every command is in test_fuzz_commands.py; the bundle classes in bundle/test_hostile_bundles.py.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import socket
import struct
import zlib
from pathlib import Path

import pytest
from hostile_helpers import assert_clean_output, assert_refused, state

from conftest import CASES, CLINIC_NUMBERS, HANG_SECONDS, PROTOCOLS, REPO, run_protokit

BASE = (CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json").read_text()
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def protocol(folder: Path, name: str = "protocol.json", edit=None, text: str | None = None) -> Path:
    path = folder / name
    if text is None:
        data = json.loads(BASE)
        if edit is not None:
            edit(data)
        text = json.dumps(data, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


# -- numbers and sizes: one limit policy when a file is read --------------------------------------


@pytest.mark.parametrize(
    "replacement, said",
    [
        ('"programme_weeks": 1' + "0" * 5000, "a number of 5,001 digits is too large"),
        ('"programme_weeks": 1e400', "1e400 is too large"),
        ('"programme_weeks": -1e20', "-1e20 is too large"),
        ('"programme_weeks": 10000', "10000 is too large: the most allowed is 52"),
    ],
    ids=["thousands-of-digits", "float-overflow", "huge-negative", "absurd-but-an-integer"],
)
@pytest.mark.parametrize("command", ["validate", "render", "export"])
def test_numbers_no_command_can_handle_are_refused_where_they_are(
    tmp_path, replacement, said, command
):
    path = protocol(tmp_path, text=BASE.replace('"programme_weeks": 6', replacement))
    arguments = {
        "validate": ["validate", str(path)],
        "render": ["render", str(path), "-o", str(tmp_path / "out.pdf")],
        "export": ["export", "fhir", str(path), "-o", str(tmp_path / "out.fhir.json")],
    }[command]
    before = state(tmp_path)
    result = run_protokit(*arguments)
    assert_refused(result, path, located=True, folder=tmp_path, before=before)
    assert said in result.stdout + result.stderr


@pytest.mark.parametrize(
    "edit, said",
    [
        (lambda d: d["safety"]["general_advice"].append("W" * 1_900_000), "1,900,000 characters"),
        (lambda d: d["safety"].update(red_flags=[d["safety"]["red_flags"][0]] * 300), "300 items"),
        (
            lambda d: d["exercises"][0].update(
                media=[
                    {
                        "kind": "video",
                        "url": "https://video.example/" + "a" * 3000,
                        "caption": "How",
                        "author": "A",
                        "licence": "CC-BY-4.0",
                    }
                ]
            ),
            "longer than 300 characters",
        ),
        (lambda d: d["exercises"][0]["steps"].extend(["Step."] * 1500), "1,502 items"),
    ],
    ids=["one-enormous-word", "hundreds-of-red-flags", "url-too-long-for-a-qr-code", "array"],
)
def test_sizes_no_sheet_can_hold_are_refused_before_rendering(tmp_path, edit, said):
    path = protocol(tmp_path, edit=edit)
    before = state(tmp_path)
    result = run_protokit("render", str(path), "-o", str(tmp_path / "out.pdf"))
    assert_refused(result, path, located=True, folder=tmp_path, before=before)
    assert said in result.stderr


@pytest.mark.parametrize(
    ("encoding", "said"),
    [("utf-32", "UTF-32"), ("utf-32-be", "UTF-32"), ("utf-32-le", "UTF-32"),
     ("utf-16", "UTF-16"), ("utf-16-be", "UTF-16")],
)  # fmt: skip
def test_a_file_in_a_wide_encoding_is_named_for_what_it_is(tmp_path, encoding, said):
    """H235: a UTF-32 file was "looks like UTF-16" (UTF-32's byte-order mark starts with
    UTF-16's, and both put NUL bytes in ASCII): the user re-saved it as UTF-16 and got the
    same refusal."""
    path = tmp_path / "protocol.json"
    path.write_bytes(BASE.encode(encoding))
    result = run_protokit("validate", str(path))
    assert_refused(result, path, located=True)
    assert f"(the file looks like {said}: save it as UTF-8)" in result.stdout


def test_nesting_beyond_the_limit_is_located(tmp_path):
    path = protocol(tmp_path, text='{\n  "a": ' + "[" * 100 + "]" * 100 + "}")
    result = run_protokit("validate", str(path))
    assert_refused(result, path, located=True)
    assert f"{path}:2:" in result.stdout and "nested deeper than the limit" in result.stdout


def test_a_depth_limit_beyond_what_the_parser_can_read_is_a_usage_error(tmp_path):
    """Python's parser runs out of stack near 1,000 levels: with --max-depth 5000, a file 2,000
    levels deep was said to be "deeper than the limit of 5000 levels", without a place."""
    path = protocol(tmp_path, text='{"a": ' + "[" * 2000 + "]" * 2000 + "}")
    result = run_protokit("validate", "--max-depth", "5000", str(path))
    assert result.code == 2
    assert_clean_output(result)
    assert "--max-depth" in result.stderr and "limit of 5000" not in result.stdout
    deepest = run_protokit("validate", "--max-depth", "500", str(path))
    assert_refused(deepest, path, located=True)


@pytest.mark.parametrize(
    "command",
    [["validate"], ["fmt"], ["render", "-o", "out.pdf"], ["export", "fhir", "-o", "out.json"]],
    ids=lambda command: command[0],
)
@pytest.mark.parametrize("limit", ["--max-depth", "--max-bytes"])
def test_advice_to_raise_a_limit_names_only_an_option_the_command_has(tmp_path, command, limit):
    """H188: every command reading a protocol refused a deep or large file with "raise it with
    --max-depth" (or --max-bytes), options only `validate` has: `fmt`, `render` and `export`
    answered "no such option" to the advice they gave."""
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nname = "A clinic"\ncontact = "a@clinic.invalid"\nphone = "0113 496 0000"\n'
        'emergency_number = "999"\nurgent_number = "111"\n',
        "utf-8",
    )
    if limit == "--max-depth":
        path = protocol(tmp_path, text='{\n  "a": ' + "[" * 100 + "]" * 100 + "}")
    else:
        path = protocol(tmp_path, text='{"a": "' + " " * 3_000_000 + '"}')
    result = run_protokit(command[0], *command[1:], str(path), cwd=tmp_path)
    assert_refused(result, path)
    offered = limit in run_protokit(*command[:2] if command[0] == "export" else command[:1],
                                    "--help").stdout  # fmt: skip
    assert (limit in result.stdout + result.stderr) == offered, (result.stdout, result.stderr)


@pytest.mark.parametrize(
    "inner, code",
    [
        ("1", "SCHEMA002"),  # a finding of the schema, about the deep field
        ('{"k": 1, "k": 2}', "JSON002"),
        ("NaN", "JSON003"),
        ('"' + "x" * 20_000 + '"', "JSON010"),
    ],
    ids=["schema", "duplicate-key", "nan", "long-text"],
)
def test_a_finding_in_a_file_as_deep_as_the_limit_allows_has_its_line_and_column(
    tmp_path, inner, code
):
    """The trial: a protocol nested 500 levels deep, validated with --max-depth 500, had its
    findings reported without a line and column (the source map ran out of recursion)."""
    deep = '{"a": ' * 497 + inner + "}" * 497
    text = json.dumps(json.loads(BASE), indent=2)[:-2] + ',\n  "deep": ' + deep + "\n}\n"
    path = protocol(tmp_path, text=text)
    result = run_protokit("validate", "--max-depth", "500", str(path))
    assert_refused(result, path, located=True)
    [finding] = [line for line in result.stdout.splitlines() if f" {code} " in line]
    line = text[: text.index('"deep"')].count("\n") + 1
    assert finding.startswith(f"{path}:{line}:"), finding


# -- special files: one safe way to open a path ---------------------------------------------------


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def test_a_fifo_named_json_is_refused_given_directly_or_found_in_a_folder(tmp_path, fifo):
    protocol(tmp_path)
    for given in (fifo, tmp_path):
        result = run_protokit("validate", str(given))
        assert_refused(result, fifo)
        assert "is a named pipe (FIFO), not a regular file" in result.stdout
        assert result.code == 2


def test_a_fifo_as_an_image_or_a_bundle_or_a_configuration_is_refused(tmp_path, fifo):
    image = tmp_path / "img.png"
    os.mkfifo(image)
    path = protocol(
        tmp_path,
        edit=lambda d: d["exercises"][0].update(
            media=[
                {
                    "kind": "image",
                    "path": "img.png",
                    "alt": "A",
                    "author": "A",
                    "licence": "CC-BY-4.0",
                }
            ]
        ),
    )
    result = run_protokit("validate", str(path))
    assert_refused(result, path, located=True)
    assert "is a named pipe (FIFO)" in result.stdout
    for arguments, named in (
        (["bundle", "verify", str(fifo)], fifo),
        (["bundle", "inspect", str(fifo)], fifo),
        (["validate", "--config", str(fifo), str(path)], fifo),
        (["bundle", "verify", str(fifo), "--trust", str(fifo)], fifo),
    ):
        result = run_protokit(*arguments)
        assert_refused(result, named)


def test_a_named_pipe_a_command_comes_across_is_never_waited_on(tmp_path):
    """H916: a named pipe called pyproject.toml beside protokit.toml (read to refuse settings
    in both) stopped every command that reads the configuration; H917: one called out.json
    beside a prescription (read to find its protocol) stopped `validate` of it. Neither was
    named by the user; each is passed over as no file of the kind."""
    import shutil

    shutil.copy(PROTOCOLS / "psoas-stretch-glute-bridge.json", tmp_path / "psoas.json")
    shutil.copytree(PROTOCOLS / "library", tmp_path / "library")
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    made = run_protokit(
        "new", "prescription", "rx.json", "--protocol", "psoas.json", "--no-overrides", cwd=tmp_path
    )
    assert made.code == 0, made.stderr
    for pipe in ("pyproject.toml", "out.json"):
        os.mkfifo(tmp_path / pipe)
    # A run that waits on a pipe is stopped, and fails, at run_protokit's limit (HANG_SECONDS).
    result = run_protokit("validate", "rx.json", cwd=tmp_path)
    assert result.code == 1 and "rx.json:" in result.stdout, result
    assert "RX008" not in result.stdout  # the protocol beside it was found


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_before_it_is_read(device):
    for arguments in (["validate", device], ["bundle", "verify", device]):
        result = run_protokit(*arguments)
        assert_refused(result, device)
        assert "character device, not a regular file" in result.stdout + result.stderr


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = run_protokit("validate", str(tmp_path))
    finally:
        server.close()
    assert_refused(result, path)
    assert "is a socket" in result.stdout


def test_an_unreadable_subfolder_is_an_error_not_all_valid(tmp_path):
    from bundle.bundle_helpers import OrdinaryUser, make_writable

    home = tmp_path / "home"
    (home / "protocols" / "private").mkdir(parents=True)
    protocol(home / "protocols")
    protocol(home / "protocols" / "private", "hidden.json")
    (home / "protocols" / "private").chmod(0)
    try:
        result = OrdinaryUser(home).run("validate", "protocols")
    finally:
        make_writable(home)
    if result.code == 0 and os.geteuid() != 0:
        pytest.skip("file permissions are not enforced for this user")
    assert_refused(result, "protocols/private")
    assert "cannot read the folder: Permission denied" in result.stderr
    assert "all valid" not in result.stderr


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junit", "github"])
def test_a_report_never_replaces_a_file_that_is_not_a_report(tmp_path, output_format):
    """H233: `validate a.json -o b.json` (a slip for `a.json b.json`) replaced the protocol
    b.json with the report, as `-o` over any other file (a README, a sheet) did: only the
    files checked were protected. A report is written over nothing, an empty file or an earlier
    report of any format (a CI job's), and into a device."""
    checked = protocol(tmp_path, "a.json")
    other = protocol(tmp_path, "b.json")
    notes = tmp_path / "notes.txt"
    notes.write_text("the clinic's notes\n")
    for target in (other, notes):
        before = state(tmp_path)
        result = run_protokit("validate", "-f", output_format, str(checked), "-o", str(target))
        assert_refused(result, target, folder=tmp_path, before=before)
    report = tmp_path / "report"
    bad = protocol(tmp_path, "bad.json", text="{}")
    for earlier in ("text", "json", "sarif", "junit", "github"):
        report.unlink(missing_ok=True)
        first = run_protokit("validate", "-f", earlier, str(bad), "-o", str(report))
        assert first.code == 1 and report.stat().st_size, first
        again = run_protokit("validate", "-f", output_format, str(checked), "-o", str(report))
        assert again.code == 0, (earlier, again)


def test_a_report_written_to_a_full_device_is_a_failure(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    path = protocol(tmp_path)
    result = run_protokit("validate", "--format", "json", "-o", "/dev/full", str(path))
    assert result.code == 2
    assert result.stderr.splitlines()[-1] == (
        "protokit: error: /dev/full: cannot write: No space left on device"
    )
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")  # never replaced


def test_standard_output_on_a_full_device_is_a_failure(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    import subprocess
    import sys

    path = protocol(tmp_path)
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "protocol_kit", "validate", "--format", "json", str(path)],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=HANG_SECONDS,
        )
    assert completed.returncode == 2
    assert completed.stderr.decode().splitlines()[-1] == (
        "protokit: error: cannot write the output: No space left on device"
    )


CLOSED_STDOUT = (
    # validate read without click, and through click (an option the quick reading leaves)
    (["validate", "--format", "json"], 2),
    (["validate", "--jobs", "1"], 2),
    (["validate", "-q", "{ok}"], 0),  # nothing to print: nothing lost
    (["validate", "-o", "{report}"], 1),  # the report in its file, the findings counted
    (["rules"], 2),
    (["--version"], 2),
)


@pytest.mark.parametrize(
    ("words", "code"), CLOSED_STDOUT, ids=[" ".join(w) for w, _ in CLOSED_STDOUT]
)
def test_standard_output_closed_is_a_failure_not_a_traceback(tmp_path, words, code):
    # `protokit ... >&-`: Python starts with sys.stdout None; every command was an internal
    # error with a traceback (H221).
    import subprocess
    import sys

    bad = protocol(tmp_path, "bad.json", edit=lambda data: data.pop("title"))
    ok = protocol(tmp_path, "ok.json")
    args = [w.format(ok=ok, report=tmp_path / "report.txt") for w in words]
    if words[0] == "validate" and "{ok}" not in words:
        args.append(str(bad))
    completed = subprocess.run(
        [sys.executable, "-m", "protocol_kit", *args],
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),  # noqa: PLW1509 (no threads in the test process)
        timeout=HANG_SECONDS,
    )
    stderr = completed.stderr.decode()
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert completed.returncode == code, stderr
    if code == 2:
        assert stderr.splitlines()[-1] == (
            "protokit: error: cannot write the output: standard output is closed"
        )


# -- images: checked from their header ----------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb() -> bytes:
    """A small file that declares 13,000 x 13,000 pixels (1.7 GB to decode)."""
    header = struct.pack(">IIBBBBB", 13_000, 13_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 20, 20)).save(buffer, "JPEG")
    return buffer.getvalue()


def _scans_bomb() -> bytes:
    """H915: a progressive JPEG whose last scan is repeated until it has 101: each scan is
    decoded over the whole picture (small here: 1,000 over 5,000 x 5,000 pixels took 16 s)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    last = data[data.rindex(b"\xff\xda") : -2]
    return data[:-2] + last * (101 - data.count(b"\xff\xda") + 1) + b"\xff\xd9"


def _exif(orientation: int) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


# The colours of a portrait picture's quarters as it is seen (top left, top right, bottom left,
# bottom right): which corner is where tells a turned or mirrored picture from an upright one.
QUARTERS = ((220, 30, 30), (30, 200, 30), (30, 30, 220), (240, 240, 240))


def _turned(picture_format: str, orientation: int) -> bytes:
    """H953, H980: a portrait picture (quarters of four colours) stored as a phone stores it:
    its pixels turned or mirrored, and its EXIF block saying how to show them (6: a portrait
    photo stored sideways, to be turned a quarter clockwise)."""
    from PIL import Image

    shown = Image.new("RGB", (20, 40))
    for corner, colour in enumerate(QUARTERS):
        left, top = 10 * (corner % 2), 20 * (corner // 2)
        shown.paste(colour, (left, top, left + 10, top + 20))
    undo = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }
    stored = shown.transpose(undo[orientation]) if orientation in undo else shown
    buffer = io.BytesIO()
    stored.save(buffer, picture_format, exif=_exif(orientation), quality=95)
    return buffer.getvalue()


@pytest.mark.parametrize("picture_format", ["JPEG", "PNG"])
def test_a_turned_or_mirrored_photo_is_printed_as_screens_show_it(tmp_path, picture_format):
    """H980 (H953 refused them): a phone's portrait photo (stored sideways, EXIF orientation 6),
    one upside down (3) or mirrored (2, 4, 5, 7) passes the checks every path makes (validate,
    bundles, the workbench's saving) and the PDF sheet draws it turned upright, as browsers (the
    HTML sheet, which carries the file as it is) and photo viewers show it: each quarter of the
    page's picture, drawn by PDFium, has the colour of that quarter as seen. A value no viewer
    turns by (9) is upright."""
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    from protocol_kit.render.images import sheet_image
    from protocol_kit.sheet.images import printable_image
    from protocol_kit.untrusted.images import image_problem

    for orientation in range(1, 10):
        data = _turned(picture_format, orientation)
        assert image_problem(data) is None
        assert printable_image(data).shown_size() == (20, 40)
        (tmp_path / "photo").write_bytes(data)
        picture = sheet_image(str(tmp_path / "photo"), 50, 100, "p.json")
        assert (picture.drawWidth, picture.drawHeight) == (50, 100)
        pdf = io.BytesIO()
        canvas = Canvas(pdf, pagesize=(50, 100))
        picture.drawOn(canvas, 0, 0)
        canvas.save()
        page = pypdfium2.PdfDocument(pdf.getvalue())[0].render().to_pil().convert("RGB")
        seen = [
            page.getpixel((12 + 25 * (corner % 2), 25 + 50 * (corner // 2))) for corner in range(4)
        ]
        for colour, expected in zip(seen, QUARTERS, strict=True):
            assert max(abs(a - b) for a, b in zip(colour, expected, strict=True)) < 40, (
                orientation,
                seen,
            )


def _jpeg_with_two_exif_blocks() -> bytes:
    """Two EXIF blocks that disagree (6, then 3): Pillow and Chromium follow the first."""
    data = _turned("JPEG", 6)
    block = _exif(3)
    segment = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
    first = data.index(b"\xff\xe1")
    after = first + 2 + struct.unpack(">H", data[first + 2 : first + 4])[0]
    return data[:after] + segment + data[after:]


def _png_with_exif_after_its_pixels() -> bytes:
    """An eXIf chunk after IDAT, where the PNG format says it does not belong: Pillow turns the
    picture by it, Chromium does not."""
    data = _turned("PNG", 6)
    start = data.index(b"eXIf") - 4
    end = start + 12 + struct.unpack(">I", data[start : start + 4])[0]
    chunk, data = data[start:end], data[:start] + data[end:]
    return data[:-12] + chunk + data[-12:]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            _jpeg_with_two_exif_blocks(),
            "holds two EXIF blocks that say different ways to show it (orientations 6 and 3), "
            "and viewers differ on which they follow: save a copy with its pixels upright (an "
            "image editor's export)",
        ),
        (
            _png_with_exif_after_its_pixels(),
            "says how to turn it (EXIF orientation 6) after its pixels, where some viewers do not "
            "look: save a copy with its pixels upright (an image editor's export)",
        ),
    ],
    ids=["two-exif-blocks", "exif-after-the-pixels"],
)
def test_a_photo_viewers_could_turn_differently_is_refused(data, said):
    """H980: turning a picture as viewers do is safe only when they agree on how."""
    from protocol_kit.untrusted.images import image_problem

    assert image_problem(data) == said


# H981: an 8 x 8 JPEG coded arithmetically (libjpeg-turbo's `cjpeg -arithmetic`): Pillow and
# Chromium show it; carried into the PDF as it is, PDFium and poppler drew a blank.
ARITHMETIC_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAx"
    "NDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjL/yQARCAAIAAgDASIAAhEBAxEB/8wACgAQEAUBEBEF/9oADAMBAAIRAxEAPwD/AGctk4vRoP/Z"
)


def _png_of(colour_type: int, depth: int, pixel: bytes, *extra: bytes) -> bytes:
    """A 4 x 4 PNG of one colour, with `extra` chunks before its pixels."""
    header = struct.pack(">IIBBBBB", 4, 4, depth, colour_type, 0, 0, 0)
    rows = zlib.compress((b"\x00" + pixel * 4) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + b"".join(extra)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def _gamma(value: int) -> bytes:
    return _chunk(b"gAMA", struct.pack(">I", value))


def _primaries(swapped: bool = False) -> bytes:
    """sRGB's white point and primaries in a cHRM chunk; `swapped`: red's and green's exchanged
    (with a gAMA and no sRGB or iCCP chunk, Chromium showed a red PNG green)."""
    red, green = (64_000, 33_000), (30_000, 60_000)
    if swapped:
        red, green = green, red
    return _chunk(b"cHRM", struct.pack(">8I", 31_270, 32_900, *red, *green, 15_000, 6_000))


def _twelve_bit_jpeg() -> bytes:
    data = _jpeg()
    frame = data.index(b"\xff\xc0")
    return data[: frame + 4] + b"\x0c" + data[frame + 5 :]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (ARITHMETIC_JPEG, "is an arithmetic-coded JPEG, which PDF readers are not made to draw"),
        (_twelve_bit_jpeg(), "is a 12-bit JPEG, which PDF readers are not made to draw"),
        (
            _png_of(2, 8, b"\xc8\x28\x28", _chunk(b"acTL", struct.pack(">II", 1, 0))),
            "is an animated PNG: screens play its frames, a printed sheet shows one picture",
        ),
        (
            _png_of(0, 16, struct.pack(">H", 20_000)),
            "is a 16-bit grey PNG, which the sheet would print blank",
        ),
        (
            _png_of(2, 8, b"\xc8\x28\x28", _chunk(b"gAMA", struct.pack(">I", 10_000))),
            "says its pixels are to be shown with a gamma of 0.10, where sRGB's is 0.45",
        ),
        (
            _png_of(2, 8, b"\xc8\x28\x28", _gamma(45_455), _primaries(swapped=True)),
            "says its pixels are to be shown with primary colours other than sRGB's",
        ),
    ],
    ids=[
        "arithmetic-jpeg",
        "12-bit-jpeg",
        "animated-png",
        "16-bit-grey-png",
        "png-gamma",
        "png-primaries",
    ],
)
def test_a_picture_a_printed_sheet_would_show_otherwise_than_screens_is_refused(data, said):
    """H981-H983: pictures Pillow decodes and browsers show, that the PDF sheet printed blank
    (an arithmetic-coded JPEG in PDFium and poppler; a 16-bit grey PNG, whose values reportlab
    cuts to white) or as another picture (an animated PNG's default image, which browsers do
    not show when its animation starts elsewhere). A 12-bit JPEG was called damaged. H985: a
    PNG's gamma or primaries, which Chromium follows (a red of 200 with a gamma of 0.1 shown 84;
    red shown green), printed as sRGB's."""
    from protocol_kit.untrusted.images import image_problem

    assert image_problem(data).startswith(said)


def test_pictures_the_sheet_prints_as_screens_show_them_pass():
    """Beside H981-H983 and H985: a progressive or extended (SOF1) JPEG, a CMYK JPEG with or
    without Adobe's marker (reportlab and every viewer read both as Adobe's inverted CMYK),
    16-bit colour and grey-with-alpha PNGs (Pillow reads them at 8 bits), a PNG's gamma of
    1/1.8, sRGB's primaries, primaries without a gamma and a gamma beside an sRGB chunk (which
    Chromium does not follow) are printed."""
    from PIL import Image

    from protocol_kit.untrusted.images import image_problem

    def saved(picture, **options) -> bytes:
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", **options)
        return buffer.getvalue()

    red = Image.new("RGB", (8, 8), (200, 40, 40))
    cmyk = saved(red.convert("CMYK"))
    adobe = cmyk.index(b"\xff\xee")
    without_adobe = (
        cmyk[:adobe] + cmyk[adobe + 2 + struct.unpack(">H", cmyk[adobe + 2 : adobe + 4])[0] :]
    )
    baseline = saved(red)
    frame = baseline.index(b"\xff\xc0")
    for data in (
        saved(red, progressive=True),
        baseline[: frame + 1] + b"\xc1" + baseline[frame + 2 :],
        cmyk,
        without_adobe,
        _png_of(2, 16, struct.pack(">HHH", 20_000, 50_000, 20_000)),
        _png_of(4, 16, struct.pack(">HH", 20_000, 65_535)),
        _png_of(2, 8, b"\xc8\x28\x28", _gamma(55_556)),  # an old Mac's 1/1.8
        _png_of(2, 8, b"\xc8\x28\x28", _gamma(45_455), _primaries()),
        _png_of(2, 8, b"\xc8\x28\x28", _primaries(swapped=True)),  # no gAMA: not followed
        _png_of(2, 8, b"\xc8\x28\x28", _chunk(b"sRGB", b"\x00"), _gamma(10_000)),
    ):
        assert image_problem(data) is None


def _profile(kind: str = "sRGB", swapped: bool = False) -> bytes:
    """An ICC profile made by LittleCMS (Pillow's); `swapped`: sRGB's with its red and green
    primaries exchanged, so that a screen shows the pixels' red as green."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile(kind)).tobytes())
    for at in range(132, 132 + 12 * struct.unpack(">I", profile[128:132])[0], 12):
        name = bytes(profile[at : at + 4])
        if swapped and name in (b"rXYZ", b"gXYZ"):
            profile[at : at + 4] = b"gXYZ" if name == b"rXYZ" else b"rXYZ"
    return bytes(profile)


def _profiled(picture_format: str, profile: bytes) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(
        buffer, picture_format, icc_profile=profile, quality=95
    )
    return buffer.getvalue()


@pytest.mark.parametrize("picture_format", ["JPEG", "PNG"])
def test_a_picture_with_a_colour_profile_is_printed_in_the_colours_screens_show(
    tmp_path, picture_format
):
    """H985: browsers and photo viewers show a picture's pixels through its colour profile; the
    PDF sheet printed them as they are. A profile exchanging red and green (Chromium showed the
    red picture green) printed it red; now printed green, the pixels turned into sRGB by the
    profile. A picture whose profile is sRGB's goes into the sheet as it is; one whose profile
    is for other colours than its own (an XYZ profile in an RGB picture: Chromium follows it in
    a PNG, not in a JPEG) is refused."""
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    from protocol_kit.render.images import sheet_image
    from protocol_kit.sheet.images import in_srgb, printable_image
    from protocol_kit.untrusted.images import image_problem

    data = _profiled(picture_format, _profile(swapped=True))
    assert image_problem(data) is None
    (tmp_path / "photo").write_bytes(data)
    pdf = io.BytesIO()
    canvas = Canvas(pdf, pagesize=(20, 20))
    sheet_image(str(tmp_path / "photo"), 20, 20, "p.json").drawOn(canvas, 0, 0)
    canvas.save()
    page = pypdfium2.PdfDocument(pdf.getvalue())[0].render().to_pil().convert("RGB")
    red, green, blue = page.getpixel((10, 10))
    assert green > 150 and red < 100, (red, green, blue)
    srgb = _profiled(picture_format, _profile())
    assert in_srgb(srgb, printable_image(srgb)) is srgb
    assert image_problem(_profiled(picture_format, _profile("XYZ"))) == (
        "carries a colour profile for other colours ('XYZ') than its own (RGB), which screens "
        "follow or not: save a copy in sRGB (an image editor's export)"
    )


def _with_profile_parts(parts: list[tuple[int, int, bytes]], after_frame: bool = False) -> bytes:
    """The red JPEG of `_profiled` with an ICC profile in APP2 parts (number, count, bytes) put
    before its first segment or, `after_frame`, between its frame header and its scan."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, "JPEG", quality=95)
    data = buffer.getvalue()
    segments = b"".join(
        b"\xff\xe2" + struct.pack(">H", len(part) + 16) + b"ICC_PROFILE\0" + bytes((n, of)) + part
        for n, of, part in parts
    )
    at = data.index(b"\xff\xda") if after_frame else 2
    return data[:at] + segments + data[at:]


def _iccp(profile: bytes, cut: bool = False) -> bytes:
    stream = zlib.compress(profile)
    return _chunk(b"iCCP", b"p\0\0" + (stream[: len(stream) // 2] if cut else stream))


def _after_the_pixels(png: bytes, chunk: bytes) -> bytes:
    return png[:-12] + chunk + png[-12:]  # before IEND's 12 bytes


_SWAPPED = _profile(swapped=True)
_HALF = len(_SWAPPED) // 2
_RED_PNG = _png_of(2, 8, b"\xc8\x28\x28")
_UNREAD = "carries a colour profile that screens read differently or not at all"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (_profiled("JPEG", _SWAPPED[:_HALF]), f"{_UNREAD} (it says it is 588 bytes long"),
        (_profiled("JPEG", _SWAPPED[:18]), f"{_UNREAD} (it is cut short or damaged)"),
        (_png_of(2, 8, b"\xc8\x28\x28", _iccp(_SWAPPED, cut=True)), f"{_UNREAD} (it is cut"),
        (_profiled("PNG", _SWAPPED[:8] + b"\x05" + _SWAPPED[9:]), f"{_UNREAD} (it is of version 5"),
        (_profiled("PNG", b"\0\0\0\0" + _SWAPPED[4:]), f"{_UNREAD} (it says it is 0 bytes long"),
        (_with_profile_parts([(1, 2, _SWAPPED[:_HALF])]), f"{_UNREAD} (a part of it is missing)"),
        (_with_profile_parts([(0, 1, _SWAPPED)]), f"{_UNREAD} (its parts are numbered"),
        (
            _with_profile_parts([(1, 1, _SWAPPED)], after_frame=True),
            f"{_UNREAD} (a part of it comes after the frame header)",
        ),
        (
            _png_of(2, 8, b"\xc8\x28\x28", _iccp(_profile()), _iccp(_SWAPPED)),
            "says twice how to show its colours (two 'iCCP' parts), and viewers differ",
        ),
        (
            _after_the_pixels(_png_of(2, 8, b"\xc8\x28\x28", _gamma(10_000)), _iccp(_profile())),
            "says how to show its colours (its 'iCCP' part) after its pixels, where viewers do not",
        ),
        (
            _after_the_pixels(_RED_PNG, _chunk(b"sRGB", b"\x00")),
            "says how to show its colours (its 'sRGB' part) after its pixels",
        ),
        (
            _png_of(2, 8, b"\xc8\x28\x28", _chunk(b"cICP", bytes((12, 13, 0, 1)))),
            "says its pixels are to be shown in other colours than sRGB's (its 'cICP' part)",
        ),
    ],
    ids=[
        "jpeg-profile-cut-in-half",
        "jpeg-profile-cut-in-its-header",
        "png-profile-stream-cut",
        "profile-version-5",
        "profile-size-0",
        "jpeg-profile-part-missing",
        "jpeg-profile-part-0",
        "jpeg-profile-after-frame",
        "png-two-profiles",
        "png-profile-after-pixels",
        "png-srgb-after-pixels",
        "png-cicp-display-p3",
    ],
)
def test_a_colour_description_screens_and_the_sheet_read_differently_is_refused(data, said):
    """H1010, H1011: Chromium (the HTML sheet, the workbench) and the PDF sheet (Pillow and
    LittleCMS) differed over each of these pictures, a red of (200, 40, 40) with a profile
    exchanging red and green: shown green and printed red, or the other way (a profile of size
    0 or version 5, parts numbered from 0 or after the frame, two profiles); a gamma of 0.1 with
    an iCCP or sRGB chunk after the pixels was shown (84, 0, 0) and passed as sRGB's; a cICP of
    Display P3 was shown (218, 0, 26). The profile cut in its header was refused as "for other
    colours ('RGÿÛ')", the bytes of the next segment. All passed the header walk before."""
    from protocol_kit.untrusted.images import image_problem

    assert image_problem(data).startswith(said)


def test_a_colour_description_every_reader_takes_alike_passes():
    """Beside H1010, H1011: a JPEG's profile in two parts (in either order: every reader sorts
    them), a profile padded with zero bytes, a cICP of sRGB's code points (which Chromium
    follows before a gamma) and a text chunk after the pixels pass."""
    from protocol_kit.untrusted.images import image_problem

    for data in (
        _with_profile_parts([(1, 2, _SWAPPED[:_HALF]), (2, 2, _SWAPPED[_HALF:])]),
        _with_profile_parts([(2, 2, _SWAPPED[_HALF:]), (1, 2, _SWAPPED[:_HALF])]),
        _profiled("PNG", _SWAPPED + bytes(3)),
        _png_of(2, 8, b"\xc8\x28\x28", _chunk(b"cICP", bytes((1, 13, 0, 1))), _gamma(10_000)),
        _after_the_pixels(_RED_PNG, _chunk(b"tEXt", b"Comment\0after")),
    ):
        assert image_problem(data) is None


def _retagged(profile: bytes, entry: bytes, name: bytes, data_of: bytes | None = None) -> bytes:
    """`profile` with its tag table's entry `entry` renamed `name` (pointing at the data of the
    entry `data_of`, when given)."""
    table = {profile[at : at + 4]: at for at in range(132, 132 + 12 * profile[131], 12)}
    at = table[entry]
    where = (
        profile[table[data_of] + 4 : table[data_of] + 12] if data_of else profile[at + 4 : at + 12]
    )
    return profile[:at] + name + where + profile[at + 12 :]


def _reclassed(profile: bytes, kind: bytes) -> bytes:
    return profile[:12] + kind + profile[16:]


@pytest.mark.parametrize(
    ("profile", "said"),
    [
        (_retagged(_SWAPPED, b"cprt", b"rXYZ", data_of=b"gXYZ"), "it gives its part 'rXYZ' twice"),
        (_reclassed(_SWAPPED, b"abst"), "it is of a kind some screens do not read"),
        (_reclassed(_SWAPPED, b"link"), "it is of a kind some screens do not read"),
        (_reclassed(_SWAPPED, b"nmcl"), "it is of a kind some screens do not read"),
        (_retagged(_SWAPPED, b"desc", b"B2A0"), "its part 'B2A0' is damaged"),
    ],
    ids=["tag-twice", "abstract", "device-link", "named-colours", "b2a0-of-text"],
)
def test_a_well_formed_colour_profile_littlecms_and_chromium_read_differently_is_refused(
    profile, said
):
    """H1042 (the twenty-fifth sitting's leftover of H1010): a red (200, 40, 40) with a profile
    exchanging red and green, its form otherwise sound, shown in Chromium and turned by
    LittleCMS (`in_srgb`): with a tag given twice, or of the abstract, device-link or
    named-colour class, LittleCMS refused it (printed red as sRGB) and Chromium showed it
    green; with a B2A0 holding text, LittleCMS followed it (green) and Chromium showed red."""
    from protocol_kit.untrusted.images import image_problem

    for picture_format in ("PNG", "JPEG"):
        problem = image_problem(_profiled(picture_format, profile))
        assert problem == f"{_UNREAD} ({said}): save a copy in sRGB (an image editor's export)"


def test_a_colour_profile_no_reader_follows_is_printed_as_srgb_as_screens_show_it():
    """H1042's decision: a well-formed profile without the parts to turn colours by (its
    'rTRC' renamed, no tags at all) LittleCMS refuses and Chromium shows as sRGB (the red
    stayed (200, 40, 40)): it passes and prints as it is; a profile of the colour-space class
    both follow passes too."""
    from protocol_kit.sheet.images import in_srgb, printable_image
    from protocol_kit.untrusted.images import image_problem

    for profile in (
        _retagged(_SWAPPED, b"rTRC", b"rtrx"),
        _SWAPPED[:128] + bytes(4) + _SWAPPED[132:],
    ):
        data = _profiled("PNG", profile)
        assert image_problem(data) is None
        assert in_srgb(data, printable_image(data)) is data
    assert image_problem(_profiled("PNG", _reclassed(_SWAPPED, b"spac"))) is None


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("cut.png", PNG[:-15], "is incomplete"),
        ("cut.jpg", _jpeg()[:-40], "is incomplete"),
        ("bomb.png", _bomb(), "13,000 x 13,000 pixels"),
        ("text.png", b"not an image", "is not a PNG or JPEG file"),
        ("scans.jpg", _scans_bomb(), "a progressive JPEG of more than 100 scans"),
        ("turned.jpg", _jpeg_with_two_exif_blocks(), "holds two EXIF blocks that say different"),
        ("arithmetic.jpg", ARITHMETIC_JPEG, "is an arithmetic-coded JPEG"),
    ],
    ids=[
        "truncated-png",
        "truncated-jpeg",
        "decompression-bomb",
        "not-an-image",
        "scans-bomb",
        "photo-turned-two-ways",
        "arithmetic-jpeg",
    ],
)
def test_an_image_that_cannot_be_printed_is_refused_without_decoding(tmp_path, name, content, said):
    (tmp_path / name).write_bytes(content)
    path = protocol(
        tmp_path,
        edit=lambda d: d["exercises"][0].update(
            media=[
                {"kind": "image", "path": name, "alt": "A", "author": "A", "licence": "CC-BY-4.0"}
            ]
        ),
    )
    before = state(tmp_path)
    for arguments in (
        ["validate", str(path)],
        ["render", str(path), "-o", str(tmp_path / "out.pdf")],
    ):
        result = run_protokit(*arguments)
        assert_refused(result, path, located=True, folder=tmp_path, before=before)
        assert said in result.stdout + result.stderr
        assert "Warning" not in result.stderr  # no raw library warning on the terminal


def test_the_sheet_opens_images_only_through_the_checked_reader(tmp_path):
    """Below lint, the sheet's own image opening refuses the same files (render without lint
    is not a command, so the functions are called as the sheet calls them). Both writers, the
    PDF's and the HTML's, read every picture and the logo through `checked_image`, the one
    place, and use the bytes it checked."""
    from protocol_kit.render.images import sheet_image
    from protocol_kit.sheet.html import data_url
    from protocol_kit.sheet.images import checked_image
    from protocol_kit.sheet.text import TextError

    writers = {
        "checked_image": lambda path: checked_image(path, "p.json"),
        "PDF": lambda path: sheet_image(path, 100, 100, "p.json"),
        "HTML": lambda path: data_url(path, "p.json"),
    }
    cases = {"cut.png": PNG[:-15], "bomb.png": _bomb()}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    os.mkfifo(tmp_path / "pipe.png")
    for name in [*cases, "pipe.png", "nul\x00.png", "missing.png"]:
        for writer, read in writers.items():
            with pytest.raises(TextError) as raised:
                read(str(tmp_path / name))
            assert "\n" not in str(raised.value), writer
    (tmp_path / "ok.png").write_bytes(PNG)
    assert checked_image(str(tmp_path / "ok.png"), "p.json")[0] == PNG
    assert sheet_image(str(tmp_path / "ok.png"), 100, 100, "p.json").drawWidth == 100
    assert data_url(str(tmp_path / "ok.png"), "p.json").startswith("data:image/png;base64,")


def test_no_other_module_of_the_writers_reads_an_image():
    """The one place: no module of the sheet's writers but protocol_kit/sheet/images.py opens
    files or decodes pictures itself (the sheet's text lookup opens the protocol, not images)."""
    import protocol_kit

    package = Path(protocol_kit.__file__).parent
    readers = re.compile(r"\bPIL\b|ImageReader|read_file\(|read_bytes\(|open_regular\(|\bopen\(")
    offenders = []
    for folder in ("render", "sheet"):
        for module in sorted((package / folder).glob("*.py")):
            if module.relative_to(package).as_posix() in ("sheet/images.py", "sheet/text.py"):
                continue
            for number, line in enumerate(module.read_text("utf-8").splitlines(), 1):
                # (Opening bytes already in memory, such as the PDF just written, reads no file.)
                in_memory = "open(io.BytesIO(" in line
                if readers.search(line) and not in_memory and not line.lstrip().startswith("#"):
                    offenders.append(f"{module.relative_to(package)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate", "protocol.json"],
        ["render", "protocol.json", "-o", "sheet.pdf"],
        ["render", "protocol.json", "--format", "html", "-o", "sheet.html"],
        ["bundle", "create", "protocol.json", "-o", "shared.pkb"],
        ["export", "fhir", "protocol.json", "-o", "export.json"],
    ],
    ids=lambda arguments: " ".join(arguments[:3]),
)
def test_a_picture_linked_from_outside_the_folder_is_refused(tmp_path, arguments):
    """H234: an image path is relative and never climbs with `..` (the schema), but a
    symbolic link in its place was followed: a photo from another folder (a patient's, a
    private one) was printed on the sheet and put into the bundle sent to other clinics. A
    link that stays inside the folder is a picture of the folder."""
    clinic, private = tmp_path / "clinic", tmp_path / "private"
    clinic.mkdir()
    private.mkdir()
    (private / "patient-photo.png").write_bytes(PNG)
    (clinic / "inside.png").write_bytes(PNG)
    (clinic / "protokit.toml").write_text(
        '[clinic]\nname = "Clinic"\nphone = "0123 456 789"\nemergency_number = "999"\n'
        'urgent_number = "111"\nemail = "clinic@example.org"\n'
    )
    image = {"kind": "image", "alt": "A", "author": "A", "licence": "CC-BY-4.0"}
    protocol(
        clinic,
        edit=lambda d: d["exercises"][0].update(
            media=[{**image, "path": "linked.png"}, {**image, "path": "also-inside.png"}]
        ),
    )
    (clinic / "also-inside.png").symlink_to("inside.png")
    (clinic / "linked.png").symlink_to(private / "patient-photo.png")
    before = state(tmp_path)
    result = run_protokit(*arguments, cwd=clinic)
    assert_refused(result, "protocol.json", located=True, folder=tmp_path, before=before)
    assert "outside the folder" in result.stdout + result.stderr
    (clinic / "linked.png").unlink()
    (clinic / "linked.png").symlink_to("inside.png")
    assert run_protokit(*arguments, cwd=clinic).code == 0


def test_a_nul_in_an_image_path_is_refused(tmp_path):
    path = protocol(
        tmp_path,
        edit=lambda d: d["exercises"][0].update(
            media=[
                {
                    "kind": "image",
                    "path": "a\u0000.png",
                    "alt": "A",
                    "author": "A",
                    "licence": "CC-BY-4.0",
                }
            ]
        ),
    )
    result = run_protokit("render", str(path), "-o", str(tmp_path / "out.pdf"))
    assert_refused(result, path, located=True)
    assert "NUL" in result.stderr


# -- names and text: one escaping for every output format ----------------------------------------

HOSTILE_NAMES = ["new\nline.json", "carriage\rreturn.json", "esc\x1b[31m.json", "bidi\u202e.json"]


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif", "junit"])
def test_hostile_file_names_and_keys_never_forge_a_line_or_break_a_format(tmp_path, output_format):
    from xml.dom import minidom

    for name in HOSTILE_NAMES:
        protocol(tmp_path, name)
    # A file whose name is not UTF-8, holding a key with a line break, a carriage return, an
    # escape sequence and a NUL: the one invalid file.
    key = '"st\\natus\\r\\u001b[2J\\u0000x": 1,\n  "status"'
    with open(os.fsencode(tmp_path) + b"/not-utf8-\xff.json", "wb") as handle:
        handle.write(BASE.replace('"status"', key, 1).encode())
    result = run_protokit("validate", "--format", output_format, str(tmp_path))
    assert result.code == 1
    assert_clean_output(result)
    if output_format == "text":
        [line] = result.stdout.splitlines()  # one finding, one line: nothing forged
        assert line.startswith(f"{tmp_path}/not-utf8-\\xff.json:7:3: error SCHEMA002 unknown")
    elif output_format in ("json", "sarif"):
        payload = json.loads(result.stdout)
        text = json.dumps(payload)
        assert "not-utf8-\\\\xff.json" in text or "not-utf8-%FF.json" in text
    elif output_format == "junit":
        document = minidom.parseString(result.stdout.encode())
        names = [case.getAttribute("name") for case in document.getElementsByTagName("testcase")]
        assert f"{tmp_path}/new\\nline.json" in names
    else:
        assert len(result.stdout.splitlines()) == 1


def test_an_error_message_naming_a_hostile_file_is_one_line(tmp_path):
    folder = tmp_path / "evil\nprotokit: error: forged"
    folder.mkdir()
    result = run_protokit("render", str(folder / "missing.json"), "-o", str(tmp_path / "o.pdf"))
    assert result.code == 2
    assert len(result.stderr.splitlines()) == 1
    assert_clean_output(result)


@pytest.mark.parametrize("output_format", ["text", "sarif", "junit"])
def test_a_terminal_that_cannot_show_a_character_still_gets_the_report(tmp_path, output_format):
    """H171: under PYTHONIOENCODING=ascii (or a Latin-1 terminal) a report naming `pé.json`
    was an internal error and lost; text shows an escape, the UTF-8 formats stay UTF-8."""
    path = protocol(tmp_path, "pé.json", edit=lambda data: data.pop("title"))
    result = run_protokit(
        "validate", "-f", output_format, str(path),
        env={"PYTHONIOENCODING": "ascii"}, subprocess_only=True,
    )  # fmt: skip
    assert result.code == 1 and "internal error" not in result.stderr, result.stderr
    if output_format == "text":
        assert "p\\xe9.json:" in result.stdout and "SCHEMA" in result.stdout
    elif output_format == "sarif":
        assert json.loads(result.stdout)["runs"][0]["results"][0]["ruleId"] == "SCHEMA002"
    else:
        from xml.dom.minidom import parseString

        parseString(result.stdout.encode())
        assert "pé.json" in result.stdout


EMPTY_NAME = "an empty name names no file or folder"
EMPTY_LANGUAGE = "an empty tag names no language"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["validate", ""], EMPTY_NAME),
        (["fmt", ""], EMPTY_NAME),
        (["build", "protocol.json", "-o", ""], EMPTY_NAME),
        (["render", "protocol.json", "-o", ""], EMPTY_NAME),
        (["validate", "protocol.json", "--config", ""], EMPTY_NAME),
        (["new", "protocol", "new-one", "-o", ""], EMPTY_NAME),
        (["render", "protocol.json", "--language", ""], EMPTY_LANGUAGE),
        (["build", "protocol.json", "-o", "sheets", "--language", ""], EMPTY_LANGUAGE),
    ],
    ids=lambda value: (
        " ".join(value).replace('""', "EMPTY") or "EMPTY" if isinstance(value, list) else ""
    ),
)
def test_an_empty_name_is_a_usage_error_not_the_current_folder(tmp_path, arguments, said):
    """H172: `protokit fmt "$FILE"` with FILE unset reformatted every file of the current
    folder; `build -o ""` wrote sheets into it; `--config ""` fell back to the defaults;
    `--language "$TAG"` printed the sheet in the default language."""
    protocol(tmp_path, text=BASE.replace("\n", "\n\n"))  # fmt would rewrite it
    before = state(tmp_path)
    result = run_protokit(*arguments, cwd=tmp_path)
    assert result.code == 2, result
    assert said in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not result.stdout
    assert state(tmp_path) == before


def test_a_report_to_dash_goes_to_standard_output(tmp_path):
    """`validate -o -` wrote a file named '-' and printed nothing."""
    protocol(tmp_path)
    result = run_protokit("validate", "protocol.json", "--format", "json", "-o", "-", cwd=tmp_path)
    assert result.code == 0, result
    assert json.loads(result.stdout)["summary"]["files"] == 1
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["render", "protocol.json", "-o", "-"],
        ["render", "protocol.json", "--format", "html", "-o", "-"],
        ["build", "protocol.json", "-o", "-"],
        ["bundle", "create", "protocol.json", "-o", "-"],
        ["illustrate", "protocol.json", "-o", "-"],
        ["keys", "generate", "-o", "-", "--name", "Clinic"],
        ["export", "fhir", "protocol.json", "-o", "-"],
        ["import", "fhir", "export.json", "-o", "-"],
        ["new", "protocol", "new-one", "-o", "-"],
        ["validate", "protocol.json", "--config", "-"],
    ],
    ids=" ".join,
)
def test_a_dash_is_never_taken_for_a_file_named_dash(tmp_path, arguments):
    """H227: `-o -` is standard output to `validate`; `render -o -` (and build, bundle create,
    illustrate, keys generate, export and import fhir, new) wrote a file called '-' and printed
    "wrote -" on standard output, into the pipe of `render back.json -o - | lpr`."""
    protocol(tmp_path)
    (tmp_path / "export.json").write_text("{}")
    before = state(tmp_path)
    result = run_protokit(*arguments, cwd=tmp_path)
    assert result.code == 2, result
    assert "'-' means standard input or output" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not result.stdout
    assert state(tmp_path) == before


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("protocol.json", "\u202e"),  # a right-to-left override: the line reads backwards
        ("protocol.json", "\x9b2J"),  # a C1 control (CSI): a terminal's escape sequence
        ("protocol.json", "a\u2028+  forged"),  # a line separator, raw in a string
        ("two\n+  lines.json", "x"),  # a line break in the name forges a diff line
    ],
    ids=["direction-override", "c1-control", "line-separator", "newline-in-name"],
)
def test_fmt_diff_prints_what_a_file_holds_as_visible_text(tmp_path, name, raw):
    """H228: `fmt --diff` printed the file's lines as they were: JSON lets a string hold a
    direction override, a C1 control or U+2028 raw, which reordered, recoloured or split the
    diff on the terminal (and splitlines broke a line inside the string), and a line break in
    the file's name forged a line of the diff's header."""
    text = BASE.replace('"title": "', '"title":  "' + raw, 1)
    assert text != BASE
    path = protocol(tmp_path, name, text=text)
    result = run_protokit("fmt", "--diff", str(path))
    assert result.code == 1, result
    assert_clean_output(result)
    assert not re.search("[\x80-\x9f\u2028\u2029\u202a-\u202e]", result.stdout), result.stdout
    lines = result.stdout.split("\n")
    removed = [line for line in lines if line.startswith(("-  ", "-+"))]
    added = [line for line in lines if line.startswith("+  ")]
    assert len(removed) == len(added) == 1, result.stdout
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("home", ["a-file", "mods-code"])
def test_a_strange_home_folder_never_breaks_or_changes_a_sheet(tmp_path, home):
    """H173: reportlab ran ~/.reportlab_mods as Python on its first import: a HOME that is a
    file, or that name being a folder, was an internal error for every sheet, and code there
    ran (and could change the sheet's settings)."""
    home_path = tmp_path / "home"
    if home == "a-file":
        home_path.write_text("not a folder", "utf-8")
    else:
        home_path.mkdir()
        (home_path / ".reportlab_mods").write_text("print('RAN CODE FROM HOME')\n", "utf-8")
    from protocol_kit.cache import cache_dir

    sheet = tmp_path / "sheet.pdf"
    result = run_protokit(
        "render", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "-o", str(sheet),
        env={"HOME": str(home_path), "PROTOKIT_CACHE_DIR": str(cache_dir())},
        subprocess_only=True,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "RAN CODE" not in result.stdout + result.stderr
    assert sheet.read_bytes().startswith(b"%PDF")


def test_standard_input_closed_is_a_clear_error(tmp_path):
    """H173: `protokit validate - 0<&-` (a hook started without standard input) was an
    internal error."""
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "protocol_kit", "validate", "-"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=HANG_SECONDS, cwd=REPO,
        preexec_fn=lambda: os.close(0),
    )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert "standard input is closed" in completed.stdout + completed.stderr
    assert "internal error" not in completed.stderr


TOO_LONG_NAME = "a" * 300 + ".json"  # beyond the 255 bytes a file name may have
TOO_LONG_PATH = "a/" * 3000 + "x.json"  # beyond the 4,096 bytes a path may have


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate", TOO_LONG_NAME],
        ["validate", TOO_LONG_PATH, str(PROTOCOLS / "psoas-stretch-glute-bridge.json")],
        ["render", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "-o", TOO_LONG_PATH],
        ["build", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "-o", TOO_LONG_PATH],
    ],
    ids=["validate-long-name", "validate-long-path", "render-long-output", "build-long-output"],
)
def test_a_path_the_system_refuses_is_one_line_not_an_internal_error(arguments):
    """H177: pathlib's is_dir raises for a name or path too long (and for a folder on the way
    that cannot be entered): `internal error: OSError: [Errno 36] File name too long`."""
    result = run_protokit(*arguments)  # in the repository, for its clinic profile
    assert result.code == 2, result
    assert "internal error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "File name too long" in errors[0], result.stderr
    assert not (REPO / "a").exists()


def test_a_whole_number_written_with_a_point_prints_as_a_whole_number(tmp_path):
    """H178: `"sets": 2.0` passes the schema (JSON has one kind of number) and was printed
    as "2.0" sets on the patient's sheet."""
    data = json.loads((PROTOCOLS / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    data["exercises"][0]["dosage"] = {"sets": 2.0, "hold_seconds": 45.0}
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data), "utf-8")
    sheet = tmp_path / "sheet.html"
    result = run_protokit(
        "render", str(path), "-o", str(sheet), "--format", "html", "--library",
        str(PROTOCOLS / "library"),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    html = sheet.read_text("utf-8")
    assert "<dt>Sets</dt><dd>2</dd>" in html and "2.0" not in html and "45.0" not in html


def test_a_number_is_printed_with_the_digits_it_was_written_with(tmp_path):
    """H389: the sheet, its clinician's page and the FHIR narrative printed numbers with
    Python's `:g`, six digits at most and an exponent beyond them: a hold of 0.00001 s was
    printed "1e-05 s", a baseline of 1234.567 "1234.57", a target of 1000000 "1e+06"."""
    data = json.loads((PROTOCOLS / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    data["exercises"][0]["dosage"]["hold_seconds"] = 0.00001
    protocol = tmp_path / "psoas-stretch-glute-bridge.json"
    protocol.write_text(json.dumps(data), "utf-8")
    prescription = json.loads((REPO / "docs/examples/prescription-staged.json").read_text("utf-8"))
    [custom] = [m for m in prescription["measures"] if "custom" in m]
    custom["custom"].update({"name": "Steps in a month", "min": 0, "max": 2000000})
    custom["baseline"]["value"] = 1234.567
    custom["target"] = {"value": 1000000}
    rx = tmp_path / "prescription.json"
    rx.write_text(json.dumps(prescription), "utf-8")
    library = str(PROTOCOLS / "library")
    sheet, clinicians = tmp_path / "sheet.html", tmp_path / "clinician.html"
    for arguments in (
        (str(protocol), "-o", str(sheet)),
        (str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "--prescription", str(rx), "-o",
         str(clinicians), "--clinician"),
    ):  # fmt: skip
        result = run_protokit("render", *arguments, "--format", "html", "--library", library)
        assert result.code == 0, result.stderr
    html = sheet.read_text("utf-8") + clinicians.read_text("utf-8")
    assert "<dd>0.00001\u00a0s</dd>" in html
    assert "baseline 1234.567 repetitions (2026-11-20), target 1000000 repetitions;" in html
    assert not re.search(r"\de[+-]\d", html), "a number printed with an exponent"
    result = run_protokit("export", "fhir", str(protocol), "--library", library)
    assert result.code == 0, result.stderr
    assert "hold 0.00001 s" in result.stdout and "hold 1e-05" not in result.stdout


@pytest.mark.parametrize(
    "option, value, said",
    [
        ("--publisher-name", "Clinic\x1b[2J", "cannot be seen"),
        ("--publisher-name", "Clinic\u202e", "cannot be seen"),
        ("--publisher-contact", "a\u202eb@clinic.example", "cannot be seen"),
        ("--publisher-name", "", "--publisher-name is empty"),
    ],
    ids=["escape-in-name", "override-in-name", "override-in-contact", "empty-name"],
)
def test_export_refuses_a_publisher_no_receiving_clinic_could_trust(tmp_path, option, value, said):
    """H182: `bundle create` refused such a name, `export fhir` wrote it into every resource
    (an escape sequence for another system's screen); an empty --publisher-name fell back to
    the configuration's name without a word."""
    output = tmp_path / "export.json"
    result = run_protokit(
        "export", "fhir", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "-o", str(output),
        option, value,
    )  # fmt: skip
    assert result.code == 2, result
    assert said in result.stderr and len(result.stderr.splitlines()) == 1
    assert not output.exists()


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("https://nhs.example@attacker.example/fhir", "user name before the host"),
        ("https://clinic:secret@fhir.clinic.example", "user name before the host"),
        ("https://fhir.clinic.example/\x1b[2J", "a character a URL cannot"),
        ("https://fhir.clinic.example/\u202elivne", "a character a URL cannot"),
        ("https://fhir.clinic.example/a/../b", "'.' or '..' segment"),
        ('https://fhir.clinic.example/"><script>', "which a URL cannot hold"),
        ("https://fhir.clinic.example/a\\..\\b", "which a URL cannot hold"),
        ("https://fhir.clinic.example/{id}", "which a URL cannot hold"),
        ("https://fhir.clinic.example/100%", "not followed by two hexadecimal digits"),
        ("https://fhir.clinic.example/a/%2E%2e/b", "'.' or '..' segment"),
        ("https://fhir.clinic.example:99999/fhir", "port that is not a number"),
    ],
    ids=[
        *("look-alike-host", "password", "escape", "override", "dot-segment"),
        *("markup", "backslash", "brace", "bad-escape", "escaped-dot-segment", "port"),
    ],
)
def test_export_refuses_a_canonical_base_that_is_not_what_it_reads_as(tmp_path, base, said):
    """H236: the canonical base starts the canonical URL of every exported resource (the
    identity a FHIR server matches on) and was checked for a scheme, spaces, a query and a
    fragment only: a user name before the host (a URL that reads as one site and is another,
    or a password sent to every receiver), an escape sequence or a direction override, and
    `..` segments (two bases naming one resource once a server resolves them) were written
    into every resource; in the configuration's [fhir] canonical_base as on the command line."""
    output = tmp_path / "export.json"
    protocol_file = str(PROTOCOLS / "psoas-stretch-glute-bridge.json")
    result = run_protokit(
        "export", "fhir", protocol_file, "-o", str(output), "--canonical-base", base
    )
    assert result.code == 2, result
    assert said in result.stderr and len(result.stderr.splitlines()) == 1
    assert_clean_output(result)
    assert not output.exists()
    config = tmp_path / "protokit.toml"
    config.write_text(
        f"{(REPO / 'protokit.toml').read_text()}\n[fhir]\ncanonical_base = {json.dumps(base)}\n"
    )
    result = run_protokit("export", "fhir", protocol_file, "-o", str(output), cwd=tmp_path)
    assert result.code == 2 and said in result.stderr, result
    assert not output.exists()


# -- build --------------------------------------------------------------------------------------


def test_build_into_the_folder_it_reads_leaves_it_valid(tmp_path):
    folder = tmp_path / "protocols"
    folder.mkdir()
    protocol(folder)
    result = run_protokit("build", str(folder), "-o", str(folder), "--no-bundle")
    assert result.code == 0, result.stderr
    assert (folder / ".protokit-build.json").exists()
    checked = run_protokit("validate", str(folder))
    assert checked.code == 0, checked.stdout
    assert checked.stderr.strip() == "checked 1 file: all valid"


def test_build_of_a_file_whose_name_is_not_utf8_records_it_and_removes_its_sheet_later(tmp_path):
    # The build record is UTF-8 JSON: a protocol file named with a byte that is not UTF-8
    # stopped `build` with an internal error before any sheet was written (H291).
    folder = tmp_path / "protocols"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.json")  # Latin-1, as an old system or a USB stick names it
    path = protocol(folder, name=name)
    out = tmp_path / "sheets"
    result = run_protokit("build", str(folder), "-o", str(out), "--no-bundle")
    assert result.code == 0, result.stderr
    assert "internal error" not in result.stderr and len(list(out.glob("*.pdf"))) == 1
    assert "caf\\\\xe9.json" in (out / ".protokit-build.json").read_text("utf-8")
    protocol(folder, name="other.json", edit=lambda data: data.update(id="other-protocol"))
    path.unlink()
    result = run_protokit("build", str(folder), "-o", str(out), "--no-bundle")
    assert result.code == 0, result.stderr
    assert [p.name for p in out.glob("*.pdf")] == ["other-protocol.pdf"]
    assert "caf\\xe9.json is not part of this build" in result.stderr


# -- what protokit wrote and reads back: read as any file from outside ---------------------------
# The import record, an interrupted import's journal, the build record and a protocol's text
# in git history live in folders others change: a bare json.loads met nesting that exhausted
# the stack, numbers of thousands of digits and wrong types (internal errors), and a named
# pipe in the journal's place hung the import.

DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "1" * 5000


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A folder one signed bundle was imported into, the bundle and its trust file."""
    from bundle.bundle_helpers import copy_examples, create, make_keys, run_import

    home = tmp_path_factory.mktemp("state")
    key, _, trust = make_keys(home)
    bundle = home / "good.pkb"
    create(copy_examples(home), bundle, "--sign", str(key))
    target = home / "received"
    target.mkdir()
    result = run_import(bundle, target, "--trust", str(trust))
    assert result.code == 0, result.stderr
    return target, bundle, trust


def _record_edit(entry: str):
    def edit(data: dict) -> None:
        name = sorted(data["files"])[0]
        data["files"][name][entry.split("=")[0]] = json.loads(entry.split("=", 1)[1])

    return edit


@pytest.mark.parametrize(
    "content",
    [
        '{"format_version": 1, "files": ' + DEEP + "}",
        '{"format_version": ' + HUGE + "}",
        '{"format_version": 1, "format_version": 1, "files": {}}',
        _record_edit('version=["1.0.0"]'),
        _record_edit("version=7"),
        _record_edit('version="1.0.x"'),
        _record_edit('id={"a": 1}'),
        lambda data: data["files"].update({"../outside.json": next(iter(data["files"].values()))}),
    ],
    ids=[
        "deep",
        "huge-number",
        "duplicate-key",
        "version-list",
        "version-number",
        "not-a-version",
        "id-object",
        "path-out-of-the-folder",
    ],  # fmt: skip
)
def test_a_hostile_import_record_is_refused_in_one_line(imported, tmp_path, content):
    import shutil

    source, bundle, trust = imported
    target = tmp_path / "received"
    shutil.copytree(source, target)
    record = target / ".protokit" / "imports.json"
    if callable(content):
        data = json.loads(record.read_text())
        content(data)
        content = json.dumps(data)
    record.write_text(content)
    # With the newest protocol's file deleted, the record is all that stops a downgrade.
    next(p for p in sorted(target.glob("*.json"))).unlink()
    before = state(target)
    result = run_protokit("bundle", "import", str(bundle), "--into", str(target),
                          "--trust", str(trust))  # fmt: skip
    assert_refused(result, record, folder=target, before=before)
    assert "not a valid import record" in result.stderr


@pytest.mark.parametrize(
    "journal",
    [
        DEEP,
        '{"format_version": 1, "moves": [{"path": 5, "replaces": false, "sha256": "x"}], '
        '"folders": []}',
        '{"format_version": 1, "moves": "media", "folders": []}',
        '{"format_version": 1, "moves": [], "folders": [' + HUGE + "]}",
        "fifo",
    ],
    ids=["deep", "path-a-number", "moves-a-text", "huge-number", "fifo"],
)
def test_a_hostile_journal_is_never_acted_on(imported, tmp_path, journal):
    source, bundle, trust = imported
    target = tmp_path / "received"
    staging = target / ".protokit" / "staging-abc"
    staging.mkdir(parents=True)
    if journal == "fifo":
        os.mkfifo(staging / "journal.json")
    else:
        (staging / "journal.json").write_text(journal)
    before = state(target)
    result = run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust),
        subprocess_only=journal == "fifo",  # a hang is caught by the process's time limit
    )  # fmt: skip
    assert_refused(result, staging, folder=target, before=before)


def test_an_interrupted_import_is_never_rolled_back_through_a_link(imported, tmp_path):
    """A staging folder left in the target (or planted there) whose journal puts an older
    copy back into media/, where media/ is a link to a folder outside: nothing is written
    outside, and the staging folder is kept."""
    source, bundle, trust = imported
    target, outside = tmp_path / "received", tmp_path / "outside"
    outside.mkdir()
    target.mkdir()
    (target / "media").symlink_to(outside)
    staging = target / ".protokit" / "staging-abc"
    (staging / "replaced" / "media").mkdir(parents=True)
    (staging / "new" / "media").mkdir(parents=True)
    (staging / "replaced" / "media" / "run-me.sh").write_text("echo planted\n")
    (staging / "new" / "media" / "y.png").write_bytes(PNG)
    (staging / "moving").write_text("moving\n")
    moves = [
        {"path": "media/run-me.sh", "replaces": True, "sha256": "0" * 64},
        {"path": "media/y.png", "replaces": False, "sha256": "0" * 64},
    ]
    (staging / "journal.json").write_text(
        json.dumps({"format_version": 1, "moves": moves, "folders": []})
    )
    result = run_protokit("bundle", "import", str(bundle), "--into", str(target),
                          "--trust", str(trust))  # fmt: skip
    assert_refused(result, staging)
    assert "symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    assert (staging / "replaced" / "media" / "run-me.sh").exists()


@pytest.mark.parametrize("content", [DEEP, '{"format": ' + HUGE + "}", "fifo"])
def test_a_hostile_build_record_stops_the_build_in_one_line(tmp_path, content):
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    protocol(source)
    record = out / ".protokit-build.json"
    if content == "fifo":
        os.mkfifo(record)
    else:
        record.write_text(content)
    before = state(out)
    result = run_protokit("build", str(source), "-o", str(out), "--no-bundle")
    assert_refused(result, record, folder=out, before=before)


def test_a_hostile_earlier_version_in_git_history_is_no_internal_error(tmp_path):
    import subprocess

    path = protocol(tmp_path, text='{"a": ' + DEEP + "}")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "protocol.json"], check=True)
    subprocess.run([*git, "commit", "-qm", "deep"], check=True)
    protocol(tmp_path)
    result = run_protokit("validate", str(path))
    assert_clean_output(result)
    assert result.code == 0, result.stdout + result.stderr


@pytest.mark.parametrize("limit", [str(2**62), str(10**24)])
def test_a_size_limit_raised_beyond_memory_reads_standard_input_as_it_comes(limit):
    """H218: `validate --max-bytes N -` set aside N bytes before reading standard input:
    `internal error: MemoryError` (or OverflowError) for a limit of 2**62 or more."""
    data = (CASES / "validate" / "valid" / "signed-off-protocol" / "protocol.json").read_bytes()
    result = run_protokit("validate", "--max-bytes", limit, "-", stdin=data)
    assert_clean_output(result)
    assert (result.code, result.stderr) == (0, "checked 1 file: all valid\n")
    small = run_protokit("validate", "--max-bytes", "100", "-", stdin=data)
    assert small.code == 1 and "over the limit of 100" in small.stdout, small


# -- TOML files: the same limits as JSON -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, said",
    [
        ("[" * 5000 + "]" * 5000, "nested deeper than 16 levels"),
        (HUGE, "a number thousands of digits long"),
        ("nan", "it holds nan"),
    ],
    ids=["deep", "huge-number", "nan"],
)
@pytest.mark.parametrize("which", ["configuration", "trust file"])
def test_hostile_values_in_a_toml_file_are_refused_in_one_line(imported, tmp_path, value, said,
                                                                which):  # fmt: skip
    _, bundle, trust = imported
    path = protocol(tmp_path)
    if which == "configuration":
        toml = tmp_path / "protokit.toml"
        toml.write_text(f"[lint.bounds.mobilisation]\nsets = [1, 5, {value}]\n")
        result = run_protokit("validate", str(path), cwd=tmp_path)
        toml = toml.relative_to(tmp_path)  # found, so named as from the working folder (H420)
    else:
        toml = tmp_path / "trust.toml"
        toml.write_text(trust.read_text() + f"x = {value}\n")
        result = run_protokit("bundle", "verify", str(bundle), "--trust", str(toml))
    assert_refused(result, toml)
    assert said in result.stderr


@pytest.mark.parametrize("value", ["inf", "+inf", "1e400"])
def test_inf_as_a_dosage_bound_does_not_turn_the_safety_check_off(tmp_path, value):
    """H216: `repetitions = [1, 15, inf]` (or a float too large, 1e400) set the safe limit to
    a number nothing reaches: 5,000 repetitions passed DOSE001 and printed."""
    path = protocol(tmp_path, edit=lambda d: d["exercises"][0]["dosage"].update(sets=40))
    config = tmp_path / "protokit.toml"
    config.write_text(f"[lint.bounds.mobilisation]\nsets = [1, 5, {value}]\n")
    result = run_protokit("validate", str(path), cwd=tmp_path)
    assert_refused(result, config.relative_to(tmp_path))
    assert "which is infinite" in result.stderr
    assert result.stderr.startswith("protokit: error: protokit.toml:2:15: not usable")


def test_nan_as_a_dosage_bound_does_not_turn_the_safety_check_off(tmp_path):
    """Every comparison with nan is false: `sets = [nan, nan, nan]` made DOSE001 and DOSE002
    silent for any number of sets."""
    path = protocol(tmp_path, edit=lambda d: d["exercises"][0]["dosage"].update(sets=40))
    (tmp_path / "protokit.toml").write_text("[lint.bounds.mobilisation]\nsets = [nan, nan, nan]\n")
    result = run_protokit("validate", str(path), cwd=tmp_path)
    assert_refused(result, "protokit.toml")


# -- every message that names a file: one visible line, and advice safe to paste -----------------

EVIL = "ev\x1b[31m\nil\u202e"


@pytest.fixture(scope="module")
def evil_files(tmp_path_factory):
    """An example protocol, its FHIR export and a prescription, named with a line break, an
    escape sequence and a right-to-left override."""
    import shutil

    home = tmp_path_factory.mktemp("names")
    shutil.copytree(PROTOCOLS / "library", home / "library")
    (home / "protokit.toml").write_text(
        '[clinic]\nname = "Example Physiotherapy Clinic"\nphone = "0123 456 789"\n'
        'emergency_number = "999"\nurgent_number = "111"\n'
    )
    shutil.copy(PROTOCOLS / "psoas-stretch-glute-bridge.json", home / f"p{EVIL}.json")
    shutil.copy(REPO / "docs" / "examples" / "prescription-psoas.json", home / f"rx{EVIL}.json")
    shutil.copy(PROTOCOLS / "psoas-stretch-glute-bridge.json", home / "plain.json")
    exported = run_protokit("export", "fhir", "plain.json", "-o", f"f{EVIL}.json", cwd=home)
    assert exported.code == 0, exported.stderr
    return home


@pytest.mark.parametrize(
    "arguments",
    [
        ["checklist", f"p{EVIL}.json"],
        ["checklist", "--format", "markdown", f"p{EVIL}.json"],
        ["render", f"p{EVIL}.json", "-o", f"o{EVIL}.pdf"],
        [
            "render",
            "plain.json",
            "--prescription",
            f"rx{EVIL}.json",
            "-o",
            f"o{EVIL}.html",
            "--format",
            "html",
        ],
        ["export", "fhir", f"p{EVIL}.json", "-o", f"x{EVIL}.json"],
        ["import", "fhir", f"f{EVIL}.json", "-o", f"back{EVIL}.json"],
        ["illustrate", f"p{EVIL}.json", "-o", f"pictures{EVIL}"],
        ["keys", "generate", "-o", f"key{EVIL}", "--name", "Clinic"],
        ["new", "protocol", "my-protocol", "-o", f"new{EVIL}.json"],
        ["validate", f"missing{EVIL}.json"],
        ["validate", "--max-depth", f"x{EVIL}", "plain.json"],
    ],
    ids=[
        "checklist",
        "checklist-markdown",
        "render",
        "render-prescription",
        "export",
        "import",
        "illustrate",
        "keys",
        "new",
        "validate-missing",
        "usage-error",
    ],  # fmt: skip
)
def test_every_message_naming_a_hostile_file_is_one_visible_line(evil_files, tmp_path, arguments):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(evil_files, home)
    result = run_protokit(*arguments, cwd=home)
    assert_clean_output(result)
    assert "\\n" in result.stdout + result.stderr  # the line break shown, not made


@pytest.mark.parametrize("name", ["$(touch pwned).json", "a b; rm -rf x.json", "it's.json"])
def test_advice_to_run_a_command_quotes_the_file_name(tmp_path, name):
    import shlex

    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nname = "Clinic"\nphone = "0123 456 789"\nemergency_number = "999"\n'
        'urgent_number = "111"\n'
    )
    path = protocol(tmp_path, name, edit=lambda d: d.update(title="", summary=""))
    result = run_protokit("render", name, "-o", "sheet.pdf", cwd=tmp_path)
    assert_refused(result, path.name)
    assert f"run: protokit validate {shlex.quote(name)})" in result.stderr
    made = run_protokit("new", "protocol", "my-protocol", "-o", f"new-{name}", cwd=tmp_path)
    assert f"run: protokit validate {shlex.quote(f'new-{name}')}" in made.stderr


def test_a_line_break_in_a_bundle_or_folder_name_never_forges_a_result_line(imported, tmp_path):
    import shutil

    _, good, trust = imported
    forged = "x\nresult:     OK"
    bundle, target = tmp_path / f"b{forged}.pkb", tmp_path / f"t{forged}"
    shutil.copy(good, bundle)
    target.mkdir()
    for arguments in (
        ["bundle", "inspect", str(bundle)],
        ["bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust),
         "--dry-run"],
        ["bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust)],
        ["bundle", "create", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"),
         "--publisher-name", "Clinic", "--publisher-contact", "c@example.org",
         "-o", str(tmp_path / f"new{forged}.pkb")],
    ):  # fmt: skip
        result = run_protokit(*arguments)
        assert result.code == 0, result.stderr
        assert_clean_output(result)
        lines = (result.stdout + result.stderr).splitlines()
        assert not [line for line in lines if line.startswith("result:")], lines


# -- import fhir: pictures checked before anything is written -------------------------------------


@pytest.fixture(scope="module")
def fhir_with_picture(tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("fhir")
    (home / "img.png").write_bytes(PNG)
    path = protocol(
        home,
        edit=lambda d: d["exercises"][0].update(
            media=[{"kind": "image", "path": "img.png", "alt": "A", "author": "A",
                    "licence": "CC-BY-4.0"}]
        ),
    )  # fmt: skip
    result = run_protokit("export", "fhir", str(path), "-o", str(home / "export.json"))
    assert result.code == 0, result.stderr
    return json.loads((home / "export.json").read_text())


def _pictures(value):
    if isinstance(value, dict):
        if "data" in value and "contentType" in value:
            yield value
        for child in value.values():
            yield from _pictures(child)
    elif isinstance(value, list):
        for child in value:
            yield from _pictures(child)


@pytest.mark.parametrize(
    "content, said",
    [(b"", "is not a PNG or JPEG file"), (b"<svg/>", "is not a PNG or JPEG file"),
     (_bomb(), "13,000 x 13,000 pixels"), (PNG[:-15], "is incomplete")],
    ids=["empty", "not-an-image", "decompression-bomb", "truncated"],
)  # fmt: skip
def test_import_fhir_refuses_a_picture_that_cannot_be_printed(fhir_with_picture, tmp_path,
                                                              content, said):  # fmt: skip
    data = json.loads(json.dumps(fhir_with_picture))
    [picture] = list(_pictures(data))
    picture["data"] = base64.b64encode(content).decode()
    source = tmp_path / "export.json"
    source.write_text(json.dumps(data))
    out = tmp_path / "out"
    out.mkdir()
    result = run_protokit("import", "fhir", str(source), "-o", str(out / "protocol.json"))
    assert_refused(result, source, folder=out, before={})
    assert said in result.stderr


def test_import_fhir_never_writes_pictures_through_a_linked_folder(fhir_with_picture, tmp_path):
    source, out, elsewhere = tmp_path / "export.json", tmp_path / "out", tmp_path / "elsewhere"
    source.write_text(json.dumps(fhir_with_picture))
    out.mkdir()
    elsewhere.mkdir()
    (out / "media").symlink_to(elsewhere)
    before = state(out)
    result = run_protokit("import", "fhir", str(source), "-o", str(out / "protocol.json"))
    assert_refused(result, out / "media", folder=out, before=before)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("output", ["the-export", "a-link-to-it", "a-sheet", "a-key"])
def test_import_fhir_force_never_replaces_its_input_or_a_file_of_another_kind(
    fhir_with_picture, tmp_path, output
):
    """H226: `import fhir export.json -o export.json --force` replaced the FHIR export it read
    with the protocol, and `--force` replaced any file (a sheet, a signing key) with a
    protocol: `--force` is for an earlier protocol, as `export fhir --force` is for an earlier
    export. Nothing is written, the pictures neither."""
    source = tmp_path / "export.json"
    source.write_text(json.dumps(fhir_with_picture))
    target = {
        "the-export": source,
        "a-link-to-it": tmp_path / "link.json",
        "a-sheet": tmp_path / "sheet.pdf",
        "a-key": tmp_path / "clinic.key",
    }[output]
    if output == "a-link-to-it":
        target.symlink_to(source)
    elif output == "a-sheet":
        target.write_bytes(b"%PDF-1.7 the patient's sheet")
    elif output == "a-key":
        target.write_text("-----BEGIN PRIVATE KEY-----\n")
    before = state(tmp_path)
    result = run_protokit("import", "fhir", str(source), "-o", str(target), "--force")
    assert_refused(result, target, folder=tmp_path, before=before)


@pytest.mark.parametrize(
    ("arguments", "target"),
    [
        (["new", "prescription", "--protocol", "protocol.json", "protocol.json"], "protocol.json"),
        (["new", "prescription", "--protocol", "protocol.json", "link.json"], "link.json"),
        (["new", "protocol", "knee", "-o", "sheet.pdf"], "sheet.pdf"),
        (["new", "exercise", "knee", "-o", "protokit.toml"], "protokit.toml"),
        (["new", "protocol", "knee", "-o", "clinic.key"], "clinic.key"),
    ],
    ids=["its-protocol", "a-link-to-its-protocol", "a-sheet", "the-configuration", "a-key"],
)
def test_new_force_never_replaces_its_input_or_a_file_of_another_kind(tmp_path, arguments, target):
    """H229: `new prescription --protocol back.json back.json --force` replaced the protocol it
    read with the prescription; `new protocol ID -o FILE --force` replaced any file (a sheet,
    protokit.toml, a signing key) with a template. `--force` starts a protocol-kit file again."""
    protocol(tmp_path)
    (tmp_path / "link.json").symlink_to("protocol.json")
    (tmp_path / "sheet.pdf").write_bytes(b"%PDF-1.7 the patient's sheet")
    (tmp_path / "protokit.toml").write_text('[clinic]\nname = "Clinic"\n')
    (tmp_path / "clinic.key").write_text("-----BEGIN PRIVATE KEY-----\n")
    before = state(tmp_path)
    result = run_protokit(*arguments, "--force", cwd=tmp_path)
    assert_refused(result, target, folder=tmp_path, before=before)
    again = run_protokit("new", "protocol", "knee", "-o", "protocol.json", "--force", cwd=tmp_path)
    assert again.code == 0, again  # an earlier protocol-kit file is started again


@pytest.mark.parametrize(
    ("output", "arguments"),
    [("sheet.html", []), ("sheet.htm", []), ("sheet.pdf", ["--format", "html"]),
     ("SHEET.PDF", ["--format", "html"])],
)  # fmt: skip
def test_a_sheet_is_never_written_under_another_formats_name(tmp_path, output, arguments):
    """H230: `render back.json -o sheet.html` wrote a PDF named .html, and `--format html -o
    sheet.pdf` a web page named .pdf: sent to the patient, neither opens in what the name
    promises (a PDF viewer says the file is damaged)."""
    config = tmp_path / "protokit.toml"
    config.write_text('[clinic]\nname = "C"\nphone = "0123 456 789"\nemergency_number = "999"\n')
    path = protocol(tmp_path)
    before = state(tmp_path)
    result = run_protokit("render", str(path), "-o", output, *arguments, cwd=tmp_path)
    assert_refused(result, output, folder=tmp_path, before=before)
    assert "--format" in result.stderr


@pytest.mark.parametrize("width", ["nan", "NaN", "-nan", "+nan"])
def test_a_picture_width_that_is_not_a_number_is_refused(tmp_path, width):
    """H232: `illustrate --width nan` passed click's range check (every comparison with NaN is
    false): the picture's PDF was written with a MediaBox of `nan nan`, which no viewer can
    size, and the PNG drawn from it at whatever size poppler guessed."""
    exercise = REPO / "protocols" / "library" / "glute-bridge.json"
    before = state(tmp_path)
    result = run_protokit(
        "illustrate", str(exercise), "-o", str(tmp_path / "out"), "--format", "pdf",
        "--width", width,
    )  # fmt: skip
    assert_refused(result, width, folder=tmp_path, before=before)


def test_import_fhir_force_replaces_an_earlier_import(fhir_with_picture, tmp_path):
    source, target = tmp_path / "export.json", tmp_path / "protocol.json"
    source.write_text(json.dumps(fhir_with_picture))
    for _ in range(2):
        result = run_protokit("import", "fhir", str(source), "-o", str(target), "--force")
        assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    "manifest",
    [b'{"a": ' + b"[" * 50 + b"]" * 50 + b"}", b'{"pad": "' + b"A" * (17 * 1024 * 1024) + b'"}'],
    ids=["deep", "padded"],
)
def test_a_refused_manifest_never_advises_an_option_the_command_lacks(tmp_path, manifest):
    from protocol_kit.bundle.archive import write_archive

    bundle = tmp_path / "b.pkb"
    bundle.write_bytes(write_archive({"manifest.json": manifest}))
    for command in ("verify", "inspect"):
        result = run_protokit("bundle", command, str(bundle))
        assert_refused(result, bundle)
        assert "--max-bytes" not in result.stderr and "--max-depth" not in result.stderr


@pytest.mark.parametrize("value", ["-1", "1e9", "17e8", "9" * 5000, "99999999999999", "-1\x1b[2J"])
@pytest.mark.parametrize("command", ["render", "bundle"])
def test_a_source_date_that_is_not_seconds_since_1970_is_refused_alike(tmp_path, value, command):
    """H273: SOURCE_DATE_EPOCH=-1 was taken by `render` (a PDF dated 1969) and refused by
    `bundle create` only below -1; the two commands worded the error differently, and 5,000
    digits printed whole."""
    out = tmp_path / ("sheet.pdf" if command == "render" else "b.pkb")
    args = ["render", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), "-o", str(out)]
    if command == "bundle":
        args = ["bundle", "create", str(PROTOCOLS), "-o", str(out)]
    result = run_protokit(*args, env={"SOURCE_DATE_EPOCH": value})
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 200 and "\x1b" not in lines[0], lines
    assert "is not a number of seconds since 1970-01-01" in lines[0]
    assert not out.exists()


# -- a problem said once --------------------------------------------------------------------------


def test_a_problem_repeated_in_one_text_is_reported_once(tmp_path):
    # "twice a day" written 500 times in one step gave 500 identical DOSE005 lines, and a
    # 100-step file of them 16 s of reporting; a prescription's note the same with RX016 (H286).
    said = "Do this twice a day. " * 500

    def edit(data):
        data["exercises"][0]["steps"][0] = said[:9000]

    path = protocol(tmp_path, edit=edit)
    result = run_protokit("validate", str(path))
    assert result.code == 1
    lines = [line for line in result.stdout.splitlines() if "DOSE005" in line]
    assert len(lines) == 1, result.stdout[:500]
    assert lines[0].startswith(f"{path}:") and "[/exercises/0/steps/0]" in lines[0]
    assert "1 error" in result.stderr

    prescription = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
    prescription["notes"] = ["Do your exercises twice a week. " * 200]
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "protocols").symlink_to(PROTOCOLS)
    (folder / "alex.json").write_text(json.dumps(prescription, indent=2), "utf-8")
    result = run_protokit("validate", str(folder / "alex.json"))
    assert result.code == 1
    assert len([line for line in result.stdout.splitlines() if "RX016" in line]) == 1
    assert "(1 error," in result.stderr


def test_files_written_before_the_report_failed_are_named(tmp_path):
    """H354: `bundle create`, `build`, `illustrate` and `bundle import` with standard output on
    a full disk wrote their files, then said only "cannot write the output" and exited 2: a
    script took the bundle or import for undone (and a second import for a conflict)."""
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    path = protocol(tmp_path)
    args = ["bundle", "create", str(path), "-o", "shared.zip", "--publisher-name", "North"]
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "protocol_kit", *args, "--publisher-contact", "a@b.example"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=HANG_SECONDS,
        )
    assert completed.returncode == 2
    assert completed.stderr.decode().splitlines()[-1] == (
        "protokit: error: cannot write the output: No space left on device (shared.zip was "
        "written and is kept)"
    )
    assert (tmp_path / "shared.zip").is_file()


def test_a_huge_key_or_number_text_is_quoted_shortened_in_every_report_line(tmp_path):
    """H350: a number written as 9,000 digits in quotes came back whole in the advice ("write
    999...999 without the quotes"), and a key of 5,000 characters whole in the pointer after
    every text, GitHub and JUnit report line."""

    def edit(data):
        data["k" * 5000] = 1
        data["exercises"][0]["dosage"] = {"sets": "9" * 9000}

    path = protocol(tmp_path, edit=edit)
    for output_format in ("text", "github", "junit"):
        result = run_protokit("validate", "-f", output_format, str(path))
        assert result.code == 1, result
        longest = max(len(line) for line in result.stdout.splitlines())
        assert longest < 400, (output_format, longest)


HUGE_WORD = "n" * 3000


@pytest.mark.parametrize(
    "arguments",
    [
        (HUGE_WORD,),
        ("measures", HUGE_WORD),
        ("validate", f"--{HUGE_WORD}"),
        ("render", "x.json", "-o", "x.pdf", "--format", HUGE_WORD),
        ("bundle", "é" * 3000),
    ],
    ids=["command", "extra-argument", "option", "choice", "subcommand"],
)
def test_a_huge_argument_is_quoted_shortened_in_a_usage_error(arguments):
    # click quotes the argument it refuses whole: one value from a runaway script variable
    # filled the terminal or the CI log, the reason and the help lost in it (H390).
    result = run_protokit(*arguments)
    assert result.code == 2, result.stderr
    assert_clean_output(result)
    [line] = result.stderr.splitlines()
    assert len(line) < 400 and "..." in line, line
    assert line.endswith(" -h)"), line


@pytest.mark.parametrize(
    "command",
    [("render",), ("export", "fhir"), ("import", "fhir"), ("bundle", "verify"), ("illustrate",)],
)
@pytest.mark.parametrize("link", ["loop", "dangling"])
def test_a_link_to_nothing_is_called_so_not_a_missing_file(tmp_path, command, link):
    """H423: a symbolic link whose target is gone, or two links naming each other, given to a
    command was "File 'x.json' does not exist": the user sees the name in the folder and looks
    for a mistake that is not there."""
    if link == "loop":
        (tmp_path / "a.json").symlink_to("b.json")
        (tmp_path / "b.json").symlink_to("a.json")
    else:
        (tmp_path / "a.json").symlink_to("gone.json")
    result = run_protokit(*command, "a.json", cwd=tmp_path)
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert "'a.json' is a link to nothing (its target is missing, or its links go round" in (
        result.stderr
    )


def test_a_working_folder_that_was_deleted_is_one_clear_error(tmp_path):
    """H420: run from a folder deleted under the shell (a checkout or a clean-up removed it),
    every command ended in `internal error: FileNotFoundError`: each finds its configuration
    and names files from the working folder."""
    gone = tmp_path / "gone"
    gone.mkdir()
    deleting = ("sh", "-c", 'rmdir "$PWD" && exec "$@"', "sh")
    result = run_protokit(
        "validate", str(PROTOCOLS / "psoas-stretch-glute-bridge.json"), cwd=gone, prefix=deleting
    )
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "protokit: error: the current folder no longer exists (it was deleted or moved): "
        "change to a folder that exists and run the command again\n"
    )
