"""Check: this tree's sheets draw the same as another checkout's, when their bytes may differ
(a change to how the PDF is written, such as its compression).

    git worktree add ../protocol-kit-main main
    python benchmarks/compare_drawn.py ../protocol-kit-main

Both trees render the sheets `compare_bytes.py` renders (every example in standard and large
print, with and without the clinician's page, with pictures, with each prescription). For each
pair of PDFs this checks that they hold the same objects under the same numbers, each the same
once its streams are decoded (a stream's filters and length aside; the cross-reference
stream, which holds where each object starts and the file's id made from its bytes, is
left out); that poppler draws every
page to the same pixels (`pdftoppm`, 100 dpi); and that poppler reads the same text out of them
(`pdftotext -layout`). It also checks that this tree gives the same bytes for the same sheet
in two processes. Prints one line per difference and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
from compare_bytes import REPO, digests

# What may differ between two streams holding the same decoded data.
ENCODING = {"/Filter", "/DecodeParms", "/Length"}


def objects(path: Path) -> dict[tuple[int, int], object]:
    """Every object of the PDF by (number, generation): a stream as its dictionary without
    its encoding and its decoded bytes; anything else as qpdf writes it."""
    found: dict[tuple[int, int], object] = {}
    with pikepdf.open(path) as pdf:
        for item in pdf.objects:
            if not item.is_indirect:
                continue
            key = item.objgen
            if isinstance(item, pikepdf.Stream) and item.stream_dict.get("/Type") == "/XRef":
                continue  # where each object starts, and the file's id: from the bytes
            if isinstance(item, pikepdf.Stream):
                entries = {k: _written(item.stream_dict[k]) for k in item.stream_dict
                           if k not in ENCODING}  # fmt: skip
                found[key] = (entries, item.read_bytes())
            else:
                found[key] = _written(item)
    return found


def _written(value: object) -> object:
    """A value as the PDF writes it (pikepdf gives numbers and booleans as Python's)."""
    return value.unparse() if isinstance(value, pikepdf.Object) else repr(value)


def drawn(path: Path, folder: Path) -> tuple[list[bytes], bytes]:
    """The pages as poppler draws them (PNG bytes) and the text it reads out."""
    prefix = folder / path.stem
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(prefix)], check=True)
    pages = [png.read_bytes() for png in sorted(folder.glob(f"{path.stem}-*.png"))]
    for png in folder.glob(f"{path.stem}-*.png"):
        png.unlink()
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True).stdout  # fmt: skip
    return pages, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path, help="another checkout of protocol-kit")
    args = parser.parse_args()
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        theirs, ours, pictures = base / "other", base / "this", base / "png"
        for folder in (theirs, ours, pictures):
            folder.mkdir()
        digests(args.other.resolve(), theirs)
        first = digests(REPO, ours)
        if digests(REPO) != first:
            problems.append("this tree: a sheet's bytes differ between two processes")
        names = sorted(path.name for path in ours.glob("*.pdf"))
        if names != sorted(path.name for path in theirs.glob("*.pdf")):
            problems.append("the two trees render different sets of sheets")
        for name in names:
            if objects(ours / name) != objects(theirs / name):
                problems.append(f"{name}: objects differ once decoded")
            if drawn(ours / name, pictures) != drawn(theirs / name, pictures):
                problems.append(f"{name}: pages or text differ as poppler draws and reads them")
    for problem in problems:
        print(problem)
    print(f"{len(names)} sheets compared: {len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
