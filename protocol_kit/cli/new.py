"""`protokit new protocol ID`, `protokit new exercise ID` and `protokit new prescription FILE
--protocol PROTOCOL`: write a starting file with every field to fill in marked TODO."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from protocol_kit.cli.options import CONTEXT, library_option
from protocol_kit.cli.output import say, say_lines
from protocol_kit.untrusted.text import advised_command, printable, quoted


@click.group(
    context_settings=CONTEXT,
    short_help="Write a new protocol, exercise or prescription to fill in.",
)
def new() -> None:
    """Write a new protocol, library exercise or prescription to fill in.

    Every field the file needs is present; those you must fill in start with TODO, and
    `protokit validate` reports each one left. The file names its "$schema", so editors that
    understand JSON Schema offer completion and show errors as you type.
    """


def _check_id(identifier: str, language: str) -> None:
    import re

    from protocol_kit.errors import UsageError

    pattern = r"[a-z0-9]+(-[a-z0-9]+)*"
    if not re.fullmatch(pattern, identifier) or len(identifier) > 64:
        # What a new user typed instead: a file name (`knee-rehab.json`), or words as the
        # title has them (`Knee rehab`, `knee_rehab`).
        file_name = identifier.lower().endswith(".json")
        words = re.findall(r"[a-z0-9]+", identifier[: -5 if file_name else None].lower())
        guess = "-".join(words)
        hint = ""
        if guess and len(guess) <= 64 and guess != identifier:
            hint = f" (did you mean '{guess}'?"
            hint += " The file is named after the id, or by -o.)" if file_name else ")"
        raise UsageError(
            f"{quoted(identifier)} is not a valid id: use lower-case letters and "
            f"digits in words joined by single hyphens, for example 'knee-rehab-phase-1'{hint}"
        )
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?", language):
        raise UsageError(f"'{language}' is not a BCP 47 language tag such as 'en-GB' or 'fr'")


def _write(target: Path, text: str, force: bool, inputs=()) -> None:  # noqa: ANN001
    """Write a new file; its folder is made if needed (`-o drafts/knee.json` in a new
    repository), as a therapist starting out would expect. `--force` starts again over a
    protocol-kit file, never over one of the `inputs` (what it is, path) nor a file of
    another kind (a sheet, a key, the configuration: H229)."""
    from protocol_kit.errors import OutputError
    from protocol_kit.files import PROTOKIT_JSON, refuse_to_replace, write_atomic

    _refuse_unread_name(target)
    _refuse_device_name(target)
    seen = None
    if force:
        seen = refuse_to_replace(target, inputs, PROTOKIT_JSON, "the new file")

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{target}: cannot create the folder {target.parent}: {error.strerror or error}"
        ) from None
    write_atomic(target, text, overwrite=force, seen=seen)


def _refuse_unread_name(target: Path) -> None:
    """UsageError for a new file whose name does not end in `.json`: `protokit validate` of
    its folder, `build`, `bundle create`, the workbench and the pre-commit hook look only for
    `*.json`, so a prescription written as `prescriptions/alex` was never checked (H329)."""
    from protocol_kit.errors import UsageError

    if target.name.endswith(".json"):
        return
    stem = target.name[: -len(target.suffix)] if target.suffix else target.name
    suggestion = target.with_name(f"{stem or target.name}.json")
    raise UsageError(
        f"{printable(str(target))}: the name of a protocol-kit file must end in .json, or "
        "validating its folder, build and the pre-commit hook would never read it (did you "
        f"mean {printable(str(suggestion))}?)"
    )


def _refuse_device_name(target: Path) -> None:
    """UsageError for a new file, or a folder `_write` would make for it, named as a Windows
    device (`protokit new protocol aux`, `-o nul/knee.json`): it could not be opened where the
    clinic's folder is shared with Windows (H1647 in the workbench; here H1659). A file or
    folder already there is the therapist's: written over with `--force` as before."""
    from protocol_kit.errors import UsageError
    from protocol_kit.untrusted.windows_names import is_device_name

    made = [target, *(folder for folder in target.parents if not folder.exists())]
    for path in made:
        if path == target and target.exists():
            continue
        if is_device_name(path.name):
            raise UsageError(
                f"{printable(str(target))}: {printable(path.name)} is the name of a device on "
                "Windows, where the file could not be opened: choose another name"
            )


def _write_template(target: Path, document: dict, force: bool, preset: str) -> None:
    """Write a new protocol or exercise and tell the therapist what to fill in and check:
    `preset` names the values the template sets to make the file valid."""
    _write(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n", force)
    check = f", and check the values set to make it valid ({preset})" if preset else ""
    say(
        f"wrote {target}: fill in every TODO{check}; then run: "
        f"{advised_command('protokit validate', target)}",
        err=True,
    )


def output_option(default: str):  # -> a click option decorator
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False), help=f"Where to write it. {default}"
    )


language_option = click.option(
    "--language", default="en-GB", show_default=True, help="BCP 47 language of its texts."
)
force_option = click.option("--force", is_flag=True, help="Replace the file if it exists.")


@new.command(context_settings=CONTEXT)
@click.argument("identifier", metavar="ID")
@output_option("Default: ID.json here.")
@click.option(
    "-e",
    "--exercise",
    "exercises",
    multiple=True,
    metavar="ID",
    help="A library exercise to use, by its id: give it once per exercise, in the order the "
    "patient does them. The protocol refers to each (with the library's dosage) instead of "
    "holding an exercise to write out.",
)
@click.option(
    "-c",
    "--condition",
    "conditions",
    multiple=True,
    metavar="CODE",
    help="A condition the programme is for, by its code (M54.50, or icd-10:M54.5 to name the "
    "list; protokit codes WORDS finds one): written with its exact display, and the red flags "
    "its red-flag sets require (protokit redflags lists each set with its codes: the back, "
    "neck, shoulder, ankle, Achilles tendon, pregnancy, after a hip or knee replacement, ...) "
    "are written as starting texts to review. Give it once per condition, or several codes "
    "in one, separated by commas (as the workbench's field).",
)
@language_option
@force_option
def protocol(
    identifier: str,
    output: str | None,
    exercises: tuple[str, ...],
    conditions: tuple[str, ...],
    language: str,
    force: bool,
) -> None:
    """Write a new protocol, ID.json, that passes the schema.

    With --exercise, its exercises are those of your library (the `library` folder beside
    the new file or above it), for example: protokit new protocol knee-rehab -e wall-squat -e
    straight-leg-raise. With --condition, the condition is coded and its red flags are
    written, for example: protokit new protocol back-care -c M54.50.
    """
    from protocol_kit.templates import new_protocol

    _check_id(identifier, language)
    target = Path(output) if output else Path(f"{identifier}.json")
    codings = _conditions(conditions)
    _check_library_refs(exercises, target)
    document = new_protocol(identifier, language, library_refs=exercises)
    from protocol_kit.starter.conditions import with_conditions

    red_flags, sets = with_conditions(document, codings)
    preset = ["type, side, dosage, body regions"] if not exercises else []
    preset += [] if codings else ["condition code"]
    _write_template(target, document, force, ", ".join(preset))
    say(
        "the red flag for chest pain, stop criteria, pain guide, general advice and delivery "
        "are starting texts to read and change where they do not fit (validate marks each, "
        f"GOV009, until a sign-off); {_red_flags_said(codings, red_flags, sets)}",
        err=True,
    )


def _conditions(values: tuple[str, ...]) -> list[dict[str, str]]:
    """The codings of the --condition values, each once; UsageError naming the value."""
    from protocol_kit.errors import UsageError
    from protocol_kit.starter.conditions import ConditionError, condition_codings

    try:
        return condition_codings(values)
    except ConditionError as error:
        raise UsageError(f"--condition {printable(str(error))}") from None


def _red_flags_said(codings: list, red_flags: list, sets: list[str]) -> str:
    """What the therapist is told about the condition and its red flags."""
    if not codings:
        return (
            "protokit codes WORDS finds the condition's code (or give it: --condition CODE), "
            "and protokit redflags the red flags it needs (low back and neck pain have a set "
            "each: validate names every one missing, SAFE005)"
        )
    if not red_flags:
        return (
            "no red-flag set of protokit's is for this condition: write the red flags it "
            "needs yourself (protokit redflags lists the sets)"
        )
    count = f"{len(red_flags)} red flag{'s' * (len(red_flags) != 1)}"
    named = " and ".join(f"'{title}'" for title in sets)
    return (
        f"{'so is' if len(red_flags) == 1 else 'so are'} the {count} that the red-flag "
        f"set{'s' * (len(sets) != 1)} {named} require{'s' * (len(sets) == 1)} (protokit "
        "redflags lists them with their sources); each names its item in covers, for the checks"
    )


def _check_library_refs(exercises: tuple[str, ...], target: Path) -> None:
    """UsageError, before anything is written, for an exercise id given twice or that no
    library folder near the new file holds (with the id it may have meant)."""
    if not exercises:
        return
    from protocol_kit.app.check import CheckOptions, FileChecker
    from protocol_kit.config import load_config_without_clinic
    from protocol_kit.errors import UsageError
    from protocol_kit.suggestions import did_you_mean

    twice = next((e for i, e in enumerate(exercises) if e in exercises[:i]), None)
    if twice is not None:
        raise UsageError(
            f"--exercise {printable(twice)} is given twice: a protocol uses each library "
            "exercise once (a second use with another dosage is written by hand, with an id)"
        )
    library = FileChecker(
        CheckOptions(library_dirs=load_config_without_clinic().library_dirs)
    ).library
    where = str(target.parent / "new.json")
    folders = library.dirs_near(where)
    for ref in exercises:
        if library.lookup(ref, where, folders) is None:
            shown = (
                os.path.relpath(f) if f.is_relative_to(Path.cwd()) else str(f) for f in folders
            )
            searched = ", ".join(shown) or "no library folder beside or above the new file"
            below = _library_below(target, ref, library)
            raise UsageError(
                f"no library exercise with id {printable(repr(ref))} (searched: {searched})"
                f"{did_you_mean(ref, library.ids_near(where))}; {below}`protokit new exercise "
                "ID` writes a new one"
            )


def _library_below(target: Path, ref: str, library: Any) -> str:
    """Where a library holding `ref` is, one folder down from the new file's folder, said as
    where to write the protocol: in the source folder, `protokit new protocol back-care -e
    glute-bridge` (the README's example) found none, as the examples' library is
    protocols/library, and said only "no library folder found"."""
    for folder in sorted(p for p in target.parent.glob("*/library") if p.is_dir()):
        if library.lookup(ref, str(folder.parent / "new.json"), [folder]) is not None:
            beside = printable(str(folder.parent / target.name))
            return f"{printable(str(folder))} has it: write the protocol beside it (-o {beside}); "
    return ""


@new.command(context_settings=CONTEXT)
@click.argument("identifier", metavar="ID")
@output_option("Default: library/ID.json when there is a library folder here, else ID.json.")
@language_option
@force_option
def exercise(identifier: str, output: str | None, language: str, force: bool) -> None:
    """Write a new library exercise, library/ID.json (ID.json when there is no library
    folder here), that passes the schema."""
    from protocol_kit.templates import new_exercise

    _check_id(identifier, language)
    target = Path(output) if output else Path("library", f"{identifier}.json")
    if not output and not target.parent.is_dir():
        target = Path(f"{identifier}.json")
    preset = "type, side, dosage, body regions"
    _write_template(target, new_exercise(identifier, language), force, preset)


def _existing_protocol(value: str) -> str:
    """The protocol file named, which must exist; for a name that is no file, the files it
    may have meant: a therapist often gives the protocol's id ("neck-stiffness"), as the
    prescription itself names it, where the file ("protocols/neck-stiffness.json") is asked."""
    if Path(value).exists():
        return _existing_file(value)
    from protocol_kit.findings import shown

    name = Path(value).name if value.endswith(".json") else f"{Path(value).name}.json"
    meant = [str(p) for p in (Path(name), *sorted(Path().glob(f"*/{name}"))) if p.is_file()]
    hint = f"; did you mean {' or '.join(meant[:3])}?" if meant else ""
    raise click.BadParameter(f"no such file: {shown(value)}{hint}")


@new.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@output_option("Another way to give FILE.")
@click.option(
    "--protocol",
    "protocol_path",
    type=click.Path(dir_okay=False),
    callback=lambda _context, _option, value: None if value is None else _existing_protocol(value),
    help="The protocol prescribed: its id and version are written into the prescription, and "
    "each of its exercises becomes an override to change or delete. With --from, the "
    "protocol the earlier prescription names is found as validate finds it.",
)
@click.option(
    "--from",
    "earlier_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    callback=lambda _context, _option, value: None if value is None else _existing_file(value),
    help="A follow-up of this earlier prescription (the patient seen again): its patient, "
    "therapist, notes, overrides, goals and measures copied, dated today, the screening asked "
    "again, and a link to the earlier one, which is never changed.",
)
@click.option(
    "--no-overrides",
    is_flag=True,
    help="Write no override entries: the patient does every exercise at the protocol's dosage.",
)
@click.option("--patient", metavar="NAME", help="The patient's full name.")
@click.option(
    "--born", metavar="YYYY-MM-DD", help="The patient's date of birth (or --patient-number)."
)
@click.option("--patient-number", metavar="TEXT", help="The clinic's patient number (or --born).")
@click.option("--therapist", metavar="NAME", help="Your name as the patient should read it.")
@click.option(
    "--credentials",
    metavar="TEXT",
    help="Your profession and registration, for example 'Physiotherapist, HCPC PH123456'.",
)
@click.option(
    "--phone",
    metavar="NUMBER",
    help="The telephone number the patient reaches you on, printed beside your name (without "
    "it the sheet gives the clinic's number only).",
)
@library_option
@force_option
def prescription(
    file: str | None,
    output: str | None,
    protocol_path: str | None,
    earlier_path: str | None,
    no_overrides: bool,
    library: tuple[str, ...],
    force: bool,
    **people: str | None,
) -> None:
    """Write a new prescription of a protocol for one patient, to FILE (or -o FILE).

    The protocol's id and version are filled in, and the prescription is dated today and
    starts today. The patient (name, and date of birth or patient number) and the therapist
    are written from --patient, --born, --patient-number, --therapist and --credentials, and
    marked TODO where not given; --phone adds the number the patient reaches you on, printed
    beside your name (the clinic's number is on every sheet). Every exercise of the protocol
    is listed under "overrides" with the protocol's dosage: change the numbers and write the
    reason, write "omit": true instead of the dosage to leave it out, or delete the entry to
    keep the protocol's dosage.
    `protokit validate FILE` reports every TODO left, and `protokit render` refuses the
    prescription until none is.

    To progress a programme when the patient is seen again, write a follow-up from the last
    prescription: protokit new prescription --from prescriptions/alex.json -o
    prescriptions/alex-2.json. The earlier file is kept as it was (a clinical record); the
    new one says which prescription it follows, and its sheet prints that date. --phone
    with --from gives your number where the earlier prescription gave none, or a new one.
    """
    from protocol_kit.app.check import configured_check_options
    from protocol_kit.app.prescribe import prescription_for, prescription_text, with_people
    from protocol_kit.config import load_config_without_clinic

    file = _one_output(file, output)
    _refuse_unread_name(Path(file))  # before the protocol is read: the first mistake to fix
    check = configured_check_options(load_config_without_clinic(), library)
    if earlier_path is not None:
        _follow_up(file, earlier_path, protocol_path, check, force, no_overrides, people)
        return
    if protocol_path is None:
        raise click.UsageError(
            "Missing option '--protocol' (the protocol prescribed), or --from FILE for a "
            "follow-up of an earlier prescription."
        )
    protocol, document = prescription_for(protocol_path, check, not no_overrides)
    with_people(document, people)
    from protocol_kit.app.render import protocol_inputs

    target = Path(file)
    _write(target, prescription_text(document), force, protocol_inputs(protocol))
    language = protocol.language
    listed = "\n".join(f"  {e.id}: {e.name.get(language)}" for e in protocol.exercises)
    if no_overrides:
        how = (
            "The protocol's exercises, all at the protocol's dosage (to change one, add an "
            'override: "exercise", a "dosage" or "omit": true, and a "reason"):'
        )
    else:
        how = (
            'Each exercise is under "overrides" with the protocol\'s dosage: change the numbers '
            'and write the reason, write "omit": true instead of the dosage to leave it out, or '
            "delete the entry to keep the protocol's dosage:"
        )
    say_lines(  # several lines: the name escaped on its own, so it cannot add one
        f"wrote {printable(target)}: a prescription of '{protocol.id}' version "
        f"{protocol.version}, dated and starting {document['date']}.\n"
        "Fill in every TODO ("
        + ", ".join(
            [
                *_people_left(document),
                *(["the screening answers"] if protocol.screening else []),
                # Only what the file holds: of a protocol that names no measure it asked
                # for "outcome measures" the file did not have, above the line saying so.
                "the goals and outcome measures: delete what you do not use"
                if protocol.measures
                else "the goals: delete what you do not use",
            ]
        )
        + "), and check the dates.\n"
        f"{how}\n{listed}\n"
        + (
            ""
            if protocol.measures
            else 'The protocol names no outcome measure: to follow one, add "measures" '
            "(protokit measures lists them; docs/walkthrough.md section 11 shows one filled in).\n"
        )
        + _protocol_unfinished(protocol_path)
        + f"Then run: {advised_command('protokit validate', target)}",
        err=True,
    )


def _to_check(document: dict[str, Any], screening: bool) -> str:
    """What the therapist checks in a follow-up: only the parts it holds."""
    parts = [
        words
        for key, words in (
            ("overrides", "the doses and each override's reason"),
            ("notes", "the notes"),
            ("goals", "the goals"),
            ("measures", "the measures"),
            ("stages", "the stages"),
        )
        if document.get(key)
    ]
    if screening:
        parts.append("answer the screening questions again")
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
    check = f"Check and change for today: {listed}; a" if parts else "A"
    return f"{check}dd a review_date when you will see the patient next."


def _existing_file(value: str) -> str:
    """The file named (the earlier prescription of --from, a protocol that exists), which
    must be a file."""
    if Path(value).is_file():
        return value
    from protocol_kit.findings import shown

    raise click.BadParameter(
        f"{shown(value)} is not a file" if Path(value).exists() else f"no such file: {shown(value)}"
    )


def _one_output(file: str | None, output: str | None) -> str:
    """The file to write: FILE or -o FILE (a therapist writes either), not both or neither."""
    if file is not None and output is not None and file != output:
        raise click.UsageError(f"Give the new file once: FILE ({file}) or -o ({output}).")
    chosen = file or output
    if chosen is None:
        raise click.UsageError("Missing the file to write: FILE, or -o FILE.")
    return chosen


def _follow_up(
    file: str,
    earlier_path: str,
    protocol_path: str | None,
    check: Any,
    force: bool,
    no_overrides: bool,
    people: dict[str, str | None],
) -> None:
    """`new prescription --from EARLIER FILE`: the follow-up written, never over the earlier
    prescription (nor the protocol and its files), and the therapist told what to check."""
    from protocol_kit.app.prescribe import (
        follow_up_for,
        prescription_text,
        refuse_a_second_follow_up,
        with_people,
    )
    from protocol_kit.app.render import protocol_inputs
    from protocol_kit.errors import UsageError
    from protocol_kit.prescribing.follow_up import asks_for_the_prescriber_phone, changes_since
    from protocol_kit.untrusted.files import same_file

    # The prescriber's number may be new since the earlier prescription (it may give none).
    given = [
        f"--{o.replace('_', '-')}" for o, v in people.items() if v is not None and o != "phone"
    ]
    if no_overrides:
        given.append("--no-overrides")
    if given:
        raise UsageError(
            f"{', '.join(given)} with --from: a follow-up keeps the earlier prescription's "
            "patient, therapist and overrides; change them in the new file"
        )
    target = Path(file)
    protocol, earlier, document = follow_up_for(earlier_path, protocol_path, check, file)
    if not same_file(target, earlier_path):  # (refused by _write: the file it is made from)
        refuse_a_second_follow_up(earlier_path, earlier, check.limits, file)
    asked = asks_for_the_prescriber_phone(document)
    with_people(document, {"phone": people.get("phone")})
    inputs = [("the earlier prescription", earlier_path), *protocol_inputs(protocol)]
    _write(target, prescription_text(document), force, inputs)
    lines = [
        f"wrote {printable(target)}: a follow-up of {printable(earlier_path)} (dated "
        f"{earlier['date']}), prescribing '{protocol.id}' version {protocol.version}, dated "
        f"and starting {document['date']}; {printable(earlier_path)} is unchanged.",
        _to_check(document, bool(protocol.screening)),
    ]
    lines += changes_since(earlier, protocol, printable(protocol.origin.path), "validate")
    if asked and people.get("phone") is None:
        lines.append(
            "The earlier prescription gives no telephone number of yours: to print the number "
            'the patient reaches you on beside your name, add "phone" to "therapist" (--phone '
            "NUMBER with --from writes it); without it the sheet gives the clinic's number "
            "only."
        )
    lines.append(f"Then run: {advised_command('protokit validate', target)}")
    say_lines("\n".join(lines), err=True)


def _protocol_unfinished(protocol_path: str) -> str:
    """A line saying the protocol still holds placeholders, or "". A prescription of a
    protocol full of TODOs was written without a word, listing exercises named "TODO: the
    exercise's name", as if it were ready for a patient."""
    from protocol_kit.lint.placeholders import placeholder_in
    from protocol_kit.loading import iter_strings

    try:
        data = json.loads(Path(protocol_path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return ""  # read once already to write the prescription: nothing more to say here
    left = [pointer for pointer, text in iter_strings(data) if placeholder_in(text)]
    if not left:
        return ""
    count = f"{len(left)} placeholder{'s' if len(left) != 1 else ''}"
    return (
        f"The protocol is not finished: {printable(protocol_path)} still holds {count} (TODO, "
        f"TBC, xx...; the first at {left[0]}). Fill them in and run "
        f"{advised_command('protokit validate', Path(protocol_path))}: no sheet is printed "
        "from this prescription until the protocol passes, and an exercise whose id you "
        "change there must be changed here too.\n"
    )


def _people_left(document: dict[str, Any]) -> list[str]:
    """Who is still to fill in, with the options that write them next time."""
    from protocol_kit.templates import TODO_WORD

    return [
        f"the {who} (or give {options})"
        for who, options in (
            ("patient", "--patient, and --born or --patient-number"),
            ("therapist", "--therapist and --credentials, and --phone for your own number"),
        )
        if any(TODO_WORD.search(str(v)) for v in document[who].values())
    ]
