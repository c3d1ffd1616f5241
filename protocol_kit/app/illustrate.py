"""`protokit illustrate` as a function: exercise and protocol files in, pictures out.

For a therapist writing poses, a quick look at what protocol-kit draws (SVG opens in any
browser); for the docs, the gallery of the example library. Every file is checked as
`protokit validate` checks it before anything is drawn; what the pose checks (POSE001/POSE002)
find is returned with the pictures, so that a wrong pose can be seen and read about together.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from protocol_kit.app.check import CheckOptions, FileChecker, expand_paths, load_valid
from protocol_kit.errors import InputError, OutputError, UsageError
from protocol_kit.files import PDF, FileKind, refuse_to_replace, writable_folder, write_atomic
from protocol_kit.model import Exercise, Origin, build_exercise
from protocol_kit.untrusted.text import quoted

FORMATS = ("svg", "pdf", "png")
KINDS = {
    "svg": FileKind("an SVG picture", b"<svg"),
    "pdf": PDF,
    "png": FileKind("a PNG picture", b"\x89PNG"),
}
PNG_DPI = 150
MM = 72.0 / 25.4


@dataclass
class Illustrated:
    """What one run wrote, and what the pose checks said about the poses drawn."""

    written: list[Path] = field(default_factory=list)
    without_poses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def illustrate(
    paths: Sequence[str],
    folder: str,
    formats: Iterable[str] = ("svg",),
    language: str | None = None,
    width_mm: float = 80.0,
    options: CheckOptions | None = None,
) -> Illustrated:
    """Draw every exercise with poses in the files (folders searched for `.json`) into
    `folder`, one file per exercise and format, named after the exercise id."""
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format {quoted(unknown[0])} (formats: {', '.join(FORMATS)})")
    if "png" in formats and shutil.which("pdftoppm") is None:
        raise UsageError(
            "PNG pictures need pdftoppm (Debian and Ubuntu: apt install poppler-utils)"
        )
    options = options or CheckOptions()
    exercises = _exercises(expand_paths(paths, options.exclude, empty_ok=False), options)
    drawn = [(source, e) for source, e in exercises if e.poses is not None]
    result = Illustrated(without_poses=[e.id for _, e in exercises if e.poses is None])
    if not drawn:
        raise UsageError("no exercise in these files has poses: nothing to draw")
    target = writable_folder(folder, create=True)
    # Checked before anything is written: an input, or a file that is not an earlier picture,
    # where a picture would go is refused.
    for source, exercise in drawn:
        for kind in formats:
            refuse_to_replace(
                target / f"{exercise.id}.{kind}", [("the file", source)], KINDS[kind], "a picture"
            )
    for source, exercise in drawn:
        result.notes += _pose_notes(source, exercise)
        result.written += write_pictures(exercise, target, formats, language, width_mm)
    return result


def _exercises(files: list[str], options: CheckOptions) -> list[tuple[str, Exercise]]:
    """Each exercise of the files once (a library exercise used by several protocols is
    drawn once), with the file it comes from. Two different exercises with one id are an
    error: their pictures would have the same name."""
    checker = FileChecker(CheckOptions(options.limits, options.library_dirs))
    found: dict[str, tuple[str, Exercise]] = {}
    for path in files:
        report = load_valid_any(path, checker)
        document = checker.document  # as checked: never read again (H475)
        assert document is not None
        if report.kind == "exercise":
            data = document.data
            exercises: tuple[Exercise, ...] = (
                build_exercise(data, data["language"], Origin(path)),
            )
        else:
            protocol, _ = checker.build_protocol(document)
            assert protocol is not None  # the file passed its checks
            exercises = protocol.exercises
        for exercise in exercises:
            source = exercise.library.path if exercise.library else path
            earlier = found.get(exercise.id)
            if earlier is not None and os.path.realpath(earlier[0]) != os.path.realpath(source):
                raise InputError(
                    f"{path}: exercise '{exercise.id}' is also in {earlier[0]}: two pictures "
                    "would have the same name; illustrate the files separately"
                )
            found.setdefault(exercise.id, (source, exercise))
    return list(found.values())


def load_valid_any(path: str, checker: FileChecker):
    """The file's check report; an InputError for an invalid file or one that is neither an
    exercise nor a protocol."""
    report = checker.check(path)
    if report.kind not in ("protocol", "exercise") and not report.errors():
        raise InputError(f"{path}: has no exercises to draw (it is not a protocol or exercise)")
    return load_valid(path, report.kind or "protocol", checker)


def _pose_notes(source: str, exercise: Exercise) -> list[str]:
    from protocol_kit.illustration import pose_request
    from protocol_kit.illustration.checks import check

    poses = exercise.poses
    assert poses is not None
    requests = {"start": pose_request(poses.start)}
    if poses.end is not None:
        requests["end"] = pose_request(poses.end, poses.start)
    codes = {"range": "POSE001", "support": "POSE002"}
    return [
        f"{source}: {codes[issue.kind]} exercise '{exercise.id}' at "
        f"{poses.origin.pointer}{issue.pointer}: {issue.message}"
        for issue in check(requests)
    ]


def write_pictures(
    exercise: Exercise,
    folder: Path,
    formats: Sequence[str],
    language: str | None,
    width_mm: float,
) -> list[Path]:
    """The exercise's picture in each format, written atomically into `folder`."""
    from protocol_kit.illustration import alt_text, scene_for
    from protocol_kit.illustration.svg import to_svg

    scene = scene_for(exercise)
    assert scene is not None
    tag = language or next(iter(exercise.name.languages))
    if not exercise.name.has(tag):
        raise InputError(
            f"{exercise.origin.path}: exercise '{exercise.id}' has no '{tag}' translation of "
            "its name, for the picture's title"
        )
    description = alt_text(exercise, tag)
    title = exercise.name.get(tag)
    written = []
    svg = to_svg(scene, description, title=title, element_id=exercise.id)
    if "svg" in formats:
        written.append(write_atomic(folder / f"{exercise.id}.svg", svg))
    if "pdf" in formats or "png" in formats:
        from protocol_kit.render.illustration import picture_pdf

        pdf = picture_pdf(scene, width_mm * MM, description, title, tag)
        if "pdf" in formats:
            written.append(write_atomic(folder / f"{exercise.id}.pdf", pdf))
        if "png" in formats:
            png = stamped(_png(pdf), svg)
            written.append(write_atomic(folder / f"{exercise.id}.png", png))
    return written


def _png(pdf: bytes) -> bytes:
    """The one-page PDF as a PNG, by poppler's pdftoppm (the same renderer as the sheet tests
    use to look at pages)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "picture.pdf"
        source.write_bytes(pdf)
        out = Path(work) / "picture"
        done = subprocess.run(
            ["pdftoppm", "-png", "-r", str(PNG_DPI), "-singlefile", str(source), str(out)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            raise OutputError(f"pdftoppm could not draw the picture: {done.stderr.strip()}")
        return (Path(work) / "picture.png").read_bytes()


SOURCE_KEY = b"protocol-kit-svg-sha256"


def stamped(png: bytes, svg: str) -> bytes:
    """The PNG with a text chunk holding the SHA-256 of the SVG drawn from the same scene, so
    that a test can tell a PNG made from an older drawing (`source_of`)."""
    import hashlib
    import struct
    import zlib

    digest = hashlib.sha256(svg.encode("utf-8")).hexdigest().encode("ascii")
    data = SOURCE_KEY + b"\0" + digest
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF)
    header_end = 8 + 25  # the signature, then IHDR (length, type, 13 bytes, CRC)
    return png[:header_end] + chunk + png[header_end:]


def source_of(png: bytes) -> str | None:
    """The SVG hash `stamped` put into the PNG, if any."""
    import struct

    offset = 8
    while offset + 8 <= len(png):
        length = struct.unpack(">I", png[offset : offset + 4])[0]
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        if kind == b"tEXt" and data.startswith(SOURCE_KEY + b"\0"):
            return data[len(SOURCE_KEY) + 1 :].decode("ascii")
        offset += 12 + length
    return None
