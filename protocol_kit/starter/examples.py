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
    # Here: `protokit validate` imports this module for GOV009's texts. Each file is written
    # whole or not at all (a full disk left an empty exercise file, which the next `init
    # --examples` kept as the clinic's own, H1146); OutputError names the file.
    from protocol_kit.files import write_atomic

    copied, kept = [], []
    for path in sorted(source.glob("*.json")):
        target = library / path.name
        if target.exists() or target.is_symlink():
            kept.append(path.stem)
            continue
        write_atomic(target, path.read_bytes(), overwrite=False)
        copied.append(path.stem)
    note = library / EXAMPLES_NOTE
    if copied and not note.exists():
        write_atomic(note, EXAMPLES_NOTE_TEXT, overwrite=False)
    return copied, kept
