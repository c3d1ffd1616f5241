"""What a clinic starts from, so that a first protocol takes minutes: the reviewed starting
texts `protokit new protocol` writes (marked for review by lint rule GOV009 until a sign-off),
and the example library `protokit init --examples` copies."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

from protocol_kit.package_data import read_text

# The example exercises are not reviewed by a registered clinician (README, Clinical content):
# the library's note says so wherever they are copied.
EXAMPLES_NOTE = "README-examples.txt"
EXAMPLES_NOTE_TEXT = """\
The exercises in this folder that protokit init --examples copied are protocol-kit's example
library. They were written from public patient-education articles and have NOT yet been
reviewed by a registered clinician. Read each one (its steps, dosage, precautions and picture)
and change what does not suit your patients before a protocol that uses it is signed off;
delete the ones you do not use.
"""


@functools.cache
def protocol_texts() -> dict[str, Any]:
    """The starting texts of a new protocol (data/protocol_texts.json)."""
    return json.loads(read_text(__name__, "data/protocol_texts.json"))


def example_library() -> Path | None:
    """The example library's folder: inside the installed package (the wheel carries a copy),
    else the source tree's protocols/library (an editable install); None when neither is."""
    here = Path(__file__).resolve().parent
    for folder in (here / "example_library", here.parents[1] / "protocols" / "library"):
        if folder.is_dir() and any(folder.glob("*.json")):
            return folder
    return None


def copy_examples(source: Path, library: Path) -> tuple[list[str], list[str]]:
    """Copy the example exercises into `library`, never over a file there; the ids copied
    and the ids kept as they were."""
    copied, kept = [], []
    for path in sorted(source.glob("*.json")):
        target = library / path.name
        if target.exists() or target.is_symlink():
            kept.append(path.stem)
            continue
        shutil.copyfile(path, target)
        copied.append(path.stem)
    note = library / EXAMPLES_NOTE
    if copied and not note.exists():
        note.write_text(EXAMPLES_NOTE_TEXT, encoding="utf-8")
    return copied, kept
