"""What `protokit init` writes so that the files naming a patient stay out of version control.

A prescription names its patient (name, date of birth or number), and so does the sheet
printed from it beside it. A clinic lead who keeps the protocols in git (docs/ci.md) and a
therapist who prescribes in the workbench (which writes `prescriptions/`) in the same folder
committed patients' details to a repository that every clone copies and keeps for ever: the
walkthrough said to add `prescriptions/` to `.gitignore`, which only its readers did.
"""

from __future__ import annotations

from pathlib import Path

IGNORE_FILE = ".gitignore"
PRESCRIPTIONS = "prescriptions/"
IGNORE_TEXT = f"""\
# Written by protokit init. A prescription names a patient, and so does the sheet printed
# beside it: keep both out of version control, whose history every clone copies and keeps.
# The workbench saves prescriptions in prescriptions/; write yours there too
# (protokit new prescription prescriptions/NAME.json). docs/walkthrough.md, section 9.
{PRESCRIPTIONS}
"""

# The lines of an existing .gitignore that already leave every `prescriptions` folder out.
_ALREADY = {"prescriptions", "prescriptions/", "**/prescriptions", "**/prescriptions/"}
_READ_AT_MOST = 1 << 20  # a .gitignore is a few lines; more is not read


def ignores_prescriptions(text: str) -> bool:
    """Whether a .gitignore's text leaves out every folder named `prescriptions`."""
    return any(line.strip() in _ALREADY for line in text.splitlines())


def keep_prescriptions_out(folder: Path) -> str:
    """Write `folder/.gitignore` leaving out `prescriptions/` when there is none; an existing
    one is never changed. Returns what `init` says of it."""
    from protocol_kit.files import write_atomic

    ignore = folder / IGNORE_FILE
    if not (ignore.exists() or ignore.is_symlink()):
        write_atomic(ignore, IGNORE_TEXT, overwrite=False)
        return (
            f"wrote {ignore}: prescriptions/ stays out of git (a prescription and its sheet "
            "name a patient); keep each patient's files there"
        )
    text = ""
    try:
        if ignore.is_file():  # not a named pipe or a device read for ever
            with ignore.open("rb") as file:
                text = file.read(_READ_AT_MOST).decode("utf-8", errors="replace")
    except OSError:
        pass  # unreadable: said not to leave prescriptions out, which the user can check
    if ignores_prescriptions(text):
        return f"kept {ignore}, which leaves prescriptions/ out of git"
    return (
        f"note: {ignore} does not leave prescriptions/ out of git: add the line "
        f"{PRESCRIPTIONS} to it (a prescription and its sheet name a patient), and keep each "
        "patient's files there"
    )
