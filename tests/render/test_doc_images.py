"""The sheet pages pictured in the README and docs/sheets.md are what a user prints today.

`docs/images/make-images.sh` makes each picture and records beside it, in
`docs/images/sheet-pages.txt`, the command that printed the sheet and the page's text. Each
command is run again here: a page whose text differs means the pictures are out of date
(the twenty-ninth sitting's still showed a prescriber's row and "clinician" wording that the
sheets had lost, H1252)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_protokit

IMAGES = REPO / "docs" / "images"
RECORD = IMAGES / "sheet-pages.txt"
HEADING = re.compile(r"^== (?P<image>\S+\.png): page (?P<page>\d+|last) of: protokit (?P<args>.+)$")


def recorded_pages(text: str) -> list[tuple[str, str, list[str], str]]:
    """(picture, page, protokit's arguments, the page's text) of each page in the record."""
    pages: list[tuple[str, str, list[str], str]] = []
    for line in text.splitlines(keepends=True):
        heading = HEADING.match(line.rstrip("\n"))
        if heading:
            image, page, args = heading.group("image", "page", "args")
            pages.append((image, page, shlex.split(args), ""))
        elif pages:
            image, page, args, body = pages[-1]
            pages[-1] = (image, page, args, body + line)
        else:
            assert line.startswith("#"), f"sheet-pages.txt: a line before the first page: {line!r}"
    return pages


PAGES = recorded_pages(RECORD.read_text(encoding="utf-8"))


def page_text(pdf: Path, page: str) -> str:
    """The page's text as make-images.sh records it (pdftotext -raw, without the form feed)."""
    if page == "last":
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        page = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1)
    command = ["pdftotext", "-raw", "-f", page, "-l", page, str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return text.replace("\f", "")


def test_every_sheet_picture_has_its_page_recorded():
    pictured = sorted(p.name for p in IMAGES.glob("sheet-*.png") if not p.stem.endswith("phone"))
    assert sorted(image for image, *_ in PAGES) == pictured
    assert all(body.strip() for *_, body in PAGES)


@pytest.mark.parametrize("image, page, args, recorded", PAGES, ids=[p[0] for p in PAGES])
def test_each_pictured_page_is_the_page_printed_today(tmp_path, image, page, args, recorded):
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext and pdfinfo (poppler-utils) are not installed")
    assert args[0] == "render"
    pdf = tmp_path / "sheet.pdf"
    result = run_protokit(*args, "-o", str(pdf), cwd=REPO)  # the repository's clinic
    assert result.code == 0, result.stderr
    # Compared word by word in order: a poppler that breaks or spaces lines otherwise is not
    # a changed sheet; a word changed, added, dropped or moved is.
    assert page_text(pdf, page).split() == recorded.split(), (
        f"docs/images/{image} no longer shows what `protokit {' '.join(args)}` prints: "
        "run sh docs/images/make-images.sh, look at the pictures, and commit them"
    )
