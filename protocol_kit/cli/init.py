"""`protokit init [FOLDER]`: start a clinic's folder of protocols (a therapist typed
`protokit init`, as most tools have it, and read "No such command")."""

from __future__ import annotations

from pathlib import Path

import click

from protocol_kit.cli.options import CONTEXT
from protocol_kit.cli.output import say


@click.command(context_settings=CONTEXT, short_help="Start a folder for a clinic's protocols.")
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--examples",
    is_flag=True,
    help="Also copy protocol-kit's 12 example exercises into library/ to start from (NOT yet "
    "reviewed by a registered clinician: review each before a protocol using it is signed off).",
)
def init(folder: Path, examples: bool) -> None:
    """Start a folder for a clinic's protocols (default: the current folder): protokit.toml
    with the clinic's details to fill in, which every patient sheet prints (name, address,
    telephone, e-mail, the emergency and urgent numbers), and a library/ folder for the
    exercises protocols share; and a .gitignore that keeps prescriptions/ out of git (a
    prescription and its sheet name a patient), unless the folder has one.

    With --examples, library/ gets protocol-kit's example exercises (glute bridge, knee to
    wall ankle stretch, ...), so that a first protocol can name them (`-e ID`) instead of
    writing an exercise out; they are not yet reviewed by a registered clinician.

    Nothing is replaced: an existing protokit.toml or library file is kept as it is. Then fill in
    every TODO of protokit.toml, and write a protocol with `protokit new protocol ID` or in
    the browser with `protokit serve`.

    Exit status: 0 done, 2 the folder cannot be written or its protokit.toml is no file.
    """
    from protocol_kit.config import CONFIG_FILE, PYPROJECT, find_config_file
    from protocol_kit.errors import ConfigError, OutputError
    from protocol_kit.files import write_atomic
    from protocol_kit.templates import CLINIC_CONFIG

    config, library = folder / CONFIG_FILE, folder / "library"
    _refuse_no_folder(folder, "name a folder for the clinic's protocols (one is made if missing)")
    _refuse_unusable(config)
    _refuse_no_folder(library, "move it out of the way, then run protokit init again")
    made = not library.is_dir()
    try:
        library.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or error
        raise OutputError(f"{library}: cannot create the folder: {reason}") from None
    if examples:
        _copy_examples(library)
    try:
        # The settings the folder has now: a protokit.toml there would take their place
        # (configuration files are not merged), and the clinic's lint settings would be lost.
        found = find_config_file(folder)
    except ConfigError:
        found = None  # a broken file above is reported by the command that reads it
    beside = found is not None and found[0].parent == folder.resolve()
    if config.exists() or config.is_symlink():
        say(f"kept {config} as it is (it exists already)")
    elif beside and found[0].name == PYPROJECT:
        say(
            f"kept the settings in {folder / PYPROJECT} ([tool.protokit]): add the clinic's "
            "name, address, phone, email, emergency_number and urgent_number under "
            "[tool.protokit.clinic] there"
        )
        say(_library_line(library, made))
        say(_patient_files_line(folder))
        return
    else:
        write_atomic(config, CLINIC_CONFIG, overwrite=False)
        # "protokit refuses to work in this folder" (the file's own comment said "to print a
        # sheet"): `new` works, and a therapist who read either was surprised by the other.
        # A receiving clinic read "checks nothing" and filled in its details with anything to
        # verify the bundle it was sent, which needs none of them (H1426, H1438).
        say(
            f"wrote {config}: open it in a text editor and replace every TODO with your "
            "clinic's details, which every patient sheet prints (until then protokit checks, "
            "prints and serves nothing in this folder; protokit new still writes drafts, and "
            "protokit bundle verify and import still check and unpack a bundle you were sent)"
        )
        if found is not None:
            say(
                f"note: in {folder} it takes the place of {found[0]}, whose settings no longer "
                f"apply there (files are not merged): copy any you need into {config}"
            )
    if not (beside and found[0].name == PYPROJECT):
        say(_library_line(library, made))
    say(_patient_files_line(folder))
    here = "" if folder == Path(".") else f"in {folder} (cd {folder}), "
    # A therapist who had filled it in and then ran `init --examples` (as the first run
    # suggests) was told to fill it in again.
    first = f"fill in {config.name}; then " if _has_todo(config) else ""
    shared = any(library.glob("*.json"))
    # "-e ID for each exercise of your library" was said of an empty library too.
    named = " (-e ID for each exercise of your library it uses)" if shared else ""
    say(
        f"next: {first}{here}write a protocol with protokit new protocol knee-rehab{named}, or "
        "work in the browser with protokit serve"
    )
    if not examples and not shared:
        named = "" if folder == Path(".") else f" {folder}"
        say(
            f"the library is empty: protokit init{named} --examples adds protocol-kit's 12 example "
            "exercises to start from (not yet reviewed by a registered clinician)"
        )


def _refuse_no_folder(path: Path, advice: str) -> None:
    """Refuse the folder, or its library/, when it is there and is no folder (a named pipe,
    a file, a link to nothing), before anything is made: the folder's making failed with
    "fifo/library: cannot create the folder: Not a directory", or "File exists" of a link to
    nothing, which name neither the path at fault nor what it is (H1309)."""
    import os
    import stat

    from protocol_kit.errors import OutputError
    from protocol_kit.untrusted.files import kind_of

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        what = "a link to nothing" if os.path.islink(path) else None
    except OSError:
        return  # a folder this user may not look into: making the folder says why
    else:
        what = None if stat.S_ISDIR(mode) else ("a file" if stat.S_ISREG(mode) else kind_of(mode))
    if what:
        raise OutputError(f"{path}: is {what}, not a folder: {advice}; nothing was changed")


def _refuse_unusable(config: Path) -> None:
    """Refuse a protokit.toml that is there and is no regular file (a folder, a named pipe, a
    link to nothing), before anything is made: `init` said "kept it as it is (it exists
    already)" and "next: fill in protokit.toml", exit 0, and every command in the folder then
    refused it (H1145)."""
    import os

    from protocol_kit.errors import OutputError
    from protocol_kit.untrusted.files import kind_of

    try:
        what = kind_of(os.stat(config).st_mode)
    except FileNotFoundError:
        what = "a link to nothing" if os.path.islink(config) else None
    except OSError:
        return  # a folder this user may not look into: the write below says why
    if what:
        raise OutputError(
            f"{config}: is {what}, not a configuration file: move it out of the way, then run "
            "protokit init again; nothing was changed"
        )


def _patient_files_line(folder: Path) -> str:
    """`.gitignore` leaving out prescriptions/, written when the folder has none (H1317)."""
    from protocol_kit.errors import OutputError
    from protocol_kit.starter.patient_files import keep_prescriptions_out

    try:
        return keep_prescriptions_out(folder)
    except OSError as error:
        reason = error.strerror or error
        raise OutputError(f"{folder / '.gitignore'}: cannot write it: {reason}") from None


def _library_line(library: Path, made: bool) -> str:
    """What `init` says of the library folder ("library folder for shared exercises:
    library" read as a list of settings)."""
    if made:
        return (
            f"made {library}, the folder for the exercises your protocols share (protokit new "
            "exercise ID writes one there)"
        )
    return f"kept {library}, the folder for the exercises your protocols share, as it is"


def _has_todo(config: Path) -> bool:
    """Whether a setting still holds a `TODO` to replace, as the configuration's check finds
    it (a value, not the file's comments); True when the file cannot be read or is not TOML
    (the command that reads it then says why)."""
    from protocol_kit.errors import ConfigError
    from protocol_kit.templates import TODO_WORD
    from protocol_kit.tomlfile import parse_toml, read_toml_text

    try:  # read as the configuration is: a link to /dev/zero is not read forever
        settings = parse_toml(read_toml_text(config, ConfigError), str(config), ConfigError)
    except ConfigError:
        return True
    values = list(settings.values())
    while values:
        value = values.pop()
        if isinstance(value, dict | list):
            values += value.values() if isinstance(value, dict) else value
        elif isinstance(value, str) and TODO_WORD.search(value):
            return True
    return False


def _copy_examples(library: Path) -> None:
    """Copy the example exercises into `library`, saying what was copied and what kept."""
    from protocol_kit.errors import OutputError
    from protocol_kit.starter.examples import EXAMPLES_NOTE, copy_examples, example_library

    source = example_library()
    if source is None:
        raise OutputError(
            "--examples: this installation of protocol-kit has no example library (it comes "
            "with the source folder's protocols/library and with the wheel)"
        )
    try:
        copied, kept = copy_examples(source, library)
    except OSError as error:
        reason = error.strerror or error
        raise OutputError(f"{library}: cannot copy the example exercises: {reason}") from None
    if copied:
        say(
            f"copied {len(copied)} example exercises into {library} ({', '.join(copied)}): "
            "NOT yet reviewed by a registered clinician: read each and change what does not "
            f"suit your patients before a protocol using it is signed off ({EXAMPLES_NOTE})"
        )
    if kept:
        say(f"kept {len(kept)} exercises of {library} as they are ({', '.join(kept)})")
