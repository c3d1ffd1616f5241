"""The example library `protokit init --examples` copies into a clinic's library/."""

from __future__ import annotations

from pathlib import Path

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
    import shutil  # here: `protokit validate` imports this module for GOV009's texts

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
