"""`protokit render` as functions: a protocol (and a prescription) in, a sheet out, as PDF
bytes or as one self-contained HTML file.

Everything that can refuse a sheet happens here or in the renderer before a byte is written:
a clinic profile without the telephone or the emergency number, an invalid or retired
protocol, a prescription for another protocol or beyond the dosage bounds, a language without
sheet wording or a missing translation, a character the font cannot print. No click, no
printing; reportlab is imported only when a sheet is rendered.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_kit.app.check import (
    CheckOptions,
    FileChecker,
    configured_check_options,
    load_prescription,
    load_protocol,
)
from protocol_kit.clinic.numbers import URGENT_EXAMPLE, URGENT_WHY, check_numbers
from protocol_kit.config import CONFIG_FILE, Config, config_key, config_place
from protocol_kit.errors import ConfigError, InputError, UsageError
from protocol_kit.files import HTML, PDF, FileKind, refuse_to_replace, write_atomic
from protocol_kit.model import (
    Exercise,
    Prescription,
    Protocol,
    build_text,
)
from protocol_kit.sheet.request import ClinicProfile, SheetRequest
from protocol_kit.untrusted.files import folders_upwards

if TYPE_CHECKING:
    from protocol_kit.render.sheet import RenderedSheet

# What `--format` writes, and what an existing output file must be to be replaced.
FORMATS: dict[str, FileKind] = {"pdf": PDF, "html": HTML}
# The endings that say a file is of a format: a sheet is never written under another's.
ENDINGS: dict[str, tuple[str, ...]] = {"pdf": (".pdf",), "html": (".html", ".htm", ".xhtml")}


def refuse_other_ending(output: str | Path, output_format: str) -> None:
    """UsageError when `output` ends as a file of another format than `output_format` does:
    `render -o sheet.html` wrote a PDF there and `--format html -o sheet.pdf` a web page, which
    the patient's PDF viewer then cannot open (H230)."""
    ending = Path(output).suffix.lower()
    for other, endings in ENDINGS.items():
        if other != output_format and ending in endings:
            raise UsageError(
                f"{output}: ends in {ending}, but the sheet is {FORMATS[output_format].name}: "
                f"give --format {other}, or an output ending in {ENDINGS[output_format][0]}"
            )


# The clinic's keys every patient sheet needs: the numbers it tells the patient to call.
CONTACT_KEYS = ("phone", "emergency_number")


@dataclass(frozen=True)
class RenderOptions:
    """How sheets are rendered; the same for every protocol of a `build`."""

    clinic: ClinicProfile = ClinicProfile()
    language: str | None = None  # None: the clinic's language, else the protocol's
    large_print: bool = False
    clinician: bool = False
    bounds: Mapping[str, Any] | None = None  # [tool.protokit.lint.bounds]
    source_date_epoch: str | None = None
    check: CheckOptions = CheckOptions()


def clinic_profile(config: Config) -> ClinicProfile:
    """The clinic profile from `[tool.protokit.clinic]` (already validated when the
    configuration was loaded, the logo's file included)."""
    clinic = config.section("clinic")
    where = config.shown
    logo = str(config.path(clinic["logo"])) if clinic.get("logo") else None
    place = clinic.get("emergency_place")
    places = place.items() if isinstance(place, dict) else [("", place)] if place else []
    return ClinicProfile(
        name=clinic.get("name"),
        address=tuple(clinic.get("address", ())),
        phone=clinic.get("phone"),
        emergency_number=clinic.get("emergency_number"),
        urgent_number=clinic.get("urgent_number"),
        # A plain string is the clinic's name for the place in every language (tag "").
        emergency_place=tuple(sorted(places)),
        email=clinic.get("email") or clinic.get("contact"),
        website=clinic.get("website"),
        logo=logo,
        accent=clinic.get("accent", ClinicProfile.accent),
        paper=clinic.get("paper", ClinicProfile.paper),
        language=clinic.get("language"),
        checked_texts=tuple(
            (tag, tuple(texts)) for tag, texts in sorted(clinic.get("checked_texts", {}).items())
        ),
        where=where,
    )


def render_options(
    config: Config, library_dirs: tuple[Path, ...] = (), lint: bool = True, **choices: Any
) -> RenderOptions:
    """Options from the repository's configuration and the command line's `choices`. The
    protocol passes the same checks as `protokit validate` (schema, library, lint rules as
    configured): a lint error refuses the sheet. Library exercises are looked up in
    `library_dirs` (`--library`), then in the configuration's library folders, and `build`
    skips what the configuration excludes."""
    hooks: tuple = ()
    if lint:
        from protocol_kit.lint.engine import Linter, run_settings

        hooks = (Linter(run_settings(config.section("lint"), config.shown)),)
    return RenderOptions(
        clinic=clinic_profile(config),
        bounds=config.section("lint").get("bounds", {}),
        check=configured_check_options(config, library_dirs, hooks=hooks),
        **choices,
    )


def require_contact(clinic: ClinicProfile, near: str | Path | None = None) -> None:
    """ConfigError (one line, naming the keys to set) when the clinic profile lacks a number
    the sheet tells the patient to call: every sheet prints the clinic's telephone and the
    emergency number, and a sheet without them must not be printed. `near`, the file or
    folder to print: a protokit.toml beside or above it, not read from the current folder,
    is named (a therapist who ran the command one folder up was told to add numbers that
    were there)."""
    missing = [key for key in CONTACT_KEYS if not getattr(clinic, key)]
    if not missing:
        check_numbers(
            clinic.where,
            clinic.phone,
            clinic.emergency_number,
            clinic.urgent_number,
            clinic.emergency_place,
        )
        _require_urgent_number(clinic)
        return
    why = (
        "every patient sheet prints the clinic's telephone number and the emergency number "
        "(never guessed), for the patient to call"
    )
    if not clinic.urgent_number:
        # Named now, not after the others are set: a therapist who added the two keys the
        # message named was then refused again for a third.
        missing.append("urgent_number")
        why += ", and the urgent medical line for signs that need a doctor the same day"
    keys = _and_list(missing)
    if clinic.where in ("defaults", "configuration"):
        unread = _configuration_near(near) if clinic.where == "defaults" else None
        if unread is not None:
            raise ConfigError(
                f"no configuration file sets [clinic] {keys}: {unread} is not read, since "
                "the configuration is looked for in the current folder and above it: run "
                f"protokit in {unread.parent}, or give --config {unread}"
            )
        raise ConfigError(
            f"no configuration file sets [clinic] {keys}: {why}; run protokit init to write "
            "a protokit.toml to fill in here, or add them to [clinic] in protokit.toml (or "
            "[tool.protokit.clinic] in pyproject.toml), see docs/configuration.md"
        )
    place = config_place(clinic.where, "clinic." + missing[0])
    first = config_key(clinic.where, "clinic." + missing[0])
    named = _and_list([first, *missing[1:]])
    raise ConfigError(f"{named} not set: {why}", place)


def _and_list(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def _configuration_near(near: str | Path | None) -> Path | None:
    """The nearest protokit.toml beside or above `near` (a file or folder), as a path from the
    current folder; None when there is none or nothing is named."""
    if near is None:
        return None
    start = Path(near)
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folders_upwards(folder.resolve())[1:]):
        found = candidate / CONFIG_FILE
        if found.is_file():
            return Path(os.path.relpath(found))
    return None


def _require_urgent_number(clinic: ClinicProfile) -> None:
    """ConfigError when the clinic profile has no urgent (out-of-hours) number. Never guessed
    from a language or country (111 is the UK's; 116117 Germany's). What it may be is judged
    with the other numbers (`protocol_kit.clinic.numbers`)."""
    if clinic.urgent_number:
        return
    if clinic.where in ("defaults", "configuration"):
        raise ConfigError(
            f"no configuration file sets [clinic] urgent_number: {URGENT_WHY}; "
            f"{URGENT_EXAMPLE}, see docs/configuration.md"
        )
    place = config_place(clinic.where, "clinic.urgent_number")
    key = config_key(clinic.where, "clinic.urgent_number")
    raise ConfigError(f"{key} not set: {URGENT_WHY}; {URGENT_EXAMPLE}", place)


def sheet_language(protocol: Protocol, requested: str) -> str:
    """The protocol's own tag for a requested language: `en` prints an `en-GB` protocol.

    A language the protocol does not have stays as requested, so that the first text without
    it is reported as a missing translation."""
    from protocol_kit.sheet.wording import sheet_language as wording_language

    wording_language(requested)  # UsageError: the sheet has no wording in this language
    if requested in protocol.languages:
        return requested
    primary = requested.split("-", 1)[0].lower()
    for tag in protocol.languages:
        if tag.lower() == primary or tag.lower().startswith(primary + "-"):
            return tag
    return requested


def language_note(protocol: Protocol, requested: str, language: str) -> str | None:
    """One line when a sheet asked for in a regional language (`fr-CA`, `en-US`) is printed
    from texts written for another or for none (`fr`, `en-GB`): a clinic asked for fr-CA and
    was handed a sheet from the protocol's `fr` texts without a word (s24-users, H833). A tag
    without a region (`fr`) takes any French the protocol has, and is not remarked."""
    if "-" not in requested or requested.lower() == language.lower():
        return None
    if language not in protocol.languages:
        return None  # not printed: the first text without it is refused
    from protocol_kit.untrusted.text import printable

    return (
        f"{printable(protocol.origin.path)}: no {requested!r} texts: the sheet is printed from its "
        f"{language!r} texts and the sheet's {requested.split('-', 1)[0].lower()!r} wording "
        f'(for texts of its own, list {requested!r} in the protocol\'s "translations" and '
        "write each; docs/languages.md)"
    )


def regional_build_note(requested: str | None) -> str | None:
    """`build`'s one line for a regional language (`--language fr-CA`): its workers print
    each protocol's sheet without a word, so it is said once for them all."""
    if not requested or "-" not in requested:
        return None
    primary = requested.split("-", 1)[0].lower()
    return (
        f"a protocol without {requested!r} texts is printed from its {primary!r} texts (or "
        f"another {primary + '-'!r} tag it has) and the sheet's {primary!r} wording; protokit "
        f"render FILE --language {requested} says which texts a protocol is printed from"
    )


def refuse_retired(protocol: Protocol) -> None:
    if protocol.status == "retired":
        raise InputError(
            f"{protocol.origin.path}: protocol '{protocol.id}' is retired: it must not be "
            "printed for patients"
        )


def _numbers(dosage: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dosage.items() if k != "intensity" and not k.startswith("x-")}


def apply_prescription(protocol: Protocol, prescription: Prescription) -> Protocol:
    """The protocol as this patient does it: exercises left out, dosages changed, the
    precautions their screening answers bring into force, their stages."""
    by_exercise = {o.exercise: o for o in prescription.overrides}
    exercises: list[Exercise] = []
    for exercise in protocol.exercises:
        override = by_exercise.get(exercise.id)
        if override is None:
            exercises.append(exercise)
            continue
        if override.omit:
            continue
        if override.dosage:
            origin = override.origin.child("dosage")
            dosage = replace(exercise.dosage, **_numbers(override.dosage), origin=origin)
            if "intensity" in override.dosage:
                intensity = build_text(
                    override.dosage["intensity"], protocol.language, origin.child("intensity")
                )
                dosage = replace(dosage, intensity=intensity)
            exercise = replace(exercise, dosage=dosage)
        exercises.append(exercise)
    from protocol_kit.prescribing.tailor import tailored

    return tailored(replace(protocol, exercises=tuple(exercises)), prescription)


def creation_time(
    prescription: Prescription | None, protocol: Protocol, source_date_epoch: str | None
) -> dt.datetime:
    """The date recorded in the PDF: SOURCE_DATE_EPOCH, else the prescription's date, else
    the protocol's last review, so that the same inputs give the same bytes."""
    if source_date_epoch:
        from protocol_kit.untrusted.moment import source_date

        return source_date(source_date_epoch)
    day = prescription.date if prescription is not None else protocol.updated
    return dt.datetime.combine(day, dt.time(), dt.timezone.utc)


def sheet_request(
    protocol: Protocol,
    options: RenderOptions,
    prescription_path: str | None = None,
    checker: FileChecker | None = None,
    said: Callable[[str], None] | None = None,
) -> SheetRequest:
    """Everything one sheet is made from, every refusal checked; `said` is given the note of
    a regional language printed from another's texts (`language_note`)."""
    require_contact(options.clinic)
    refuse_retired(protocol)
    requested = options.language or options.clinic.language or protocol.language
    language = sheet_language(protocol, requested)
    note = language_note(protocol, requested, language)
    if note is not None and said is not None:
        said(note)
    prescription = None
    if prescription_path is not None:
        checker = checker or FileChecker(options.check)
        prescription = load_prescription(prescription_path, protocol, checker)
        protocol = apply_prescription(protocol, prescription)
    return SheetRequest(
        protocol=protocol,
        language=language,
        clinic=options.clinic,
        prescription=prescription,
        large_print=options.large_print,
        clinician=options.clinician,
        created=creation_time(prescription, protocol, options.source_date_epoch),
    )


def protocol_inputs(protocol: Protocol) -> list[tuple[str, str | None]]:
    """The files a protocol is read from, as (what it is, path): the protocol, the library
    exercise files it uses and its pictures."""
    inputs: list[tuple[str, str | None]] = [("the protocol", protocol.origin.path)]
    for exercise in protocol.exercises:
        if exercise.library is not None:
            inputs.append(("a library exercise file", exercise.library.path))
        inputs += [("a picture", media.file) for media in exercise.media]
    return inputs


def sheet_inputs(request: SheetRequest) -> list[tuple[str, str | None]]:
    """Every file a sheet is made from, as (what it is, path): the files `-o` must not
    replace."""
    inputs = protocol_inputs(request.protocol)
    if request.prescription is not None:
        inputs.append(("the prescription", request.prescription.origin.path))
    clinic = request.clinic
    configuration = clinic.where if clinic.where != "defaults" else None  # see clinic_profile
    return inputs + [("the configuration", configuration), ("the clinic logo", clinic.logo)]


def _prescription_given_alone(path: str) -> str:
    """How a prescription is printed, for one given in place of its protocol: "is a patient's
    prescription, not an exercise protocol" left the therapist to find `--prescription`."""
    from protocol_kit.untrusted.text import advised_command

    command = advised_command("protokit render PROTOCOL.json --prescription", path)
    return f"its sheet is printed from its protocol, named first: {command}"


# What `render` says of a valid file of another kind given as the protocol.
_PRINTED_FROM_ITS_PROTOCOL = {"prescription": _prescription_given_alone}


def render_protocol(
    path: str,
    options: RenderOptions,
    prescription_path: str | None = None,
    checker: FileChecker | None = None,
    output: str | Path | None = None,
    output_format: str = "pdf",
    said: Callable[[str], None] | None = None,
    warned: Callable[[str], None] | None = None,
    before_writing: Callable[[SheetRequest], None] | None = None,
) -> RenderedSheet:
    """The sheet of the protocol file at `path`, as a PDF or (`output_format="html"`) one
    self-contained HTML file. With `output`, it is also written there, after checking that no
    input and no file other than an earlier sheet of the same format would be replaced
    (checked before rendering, so a refusal comes at once). `before_writing` is given the
    request once the sheet is made, before it is written, and may refuse it (`build`: an
    input changed since it was checked)."""
    from protocol_kit.render.sheet import RenderedSheet, font_check, render_sheet

    if output is not None:
        refuse_other_ending(output, output_format)
    require_contact(options.clinic, near=path)
    checker = checker or FileChecker(options.check)
    protocol = load_protocol(path, checker, instead=_PRINTED_FROM_ITS_PROTOCOL)
    request = sheet_request(protocol, options, prescription_path, checker, said)
    seen = None
    if output is not None:
        seen = refuse_to_replace(output, sheet_inputs(request), FORMATS[output_format], "the sheet")
    if output_format == "html":
        from protocol_kit.sheet.content import build_sheet
        from protocol_kit.sheet.html import write_html

        sheet = RenderedSheet(write_html(build_sheet(request, font_check())).encode(), None)
    else:
        sheet = render_sheet(request)
    if before_writing is not None:
        before_writing(request)
    if output is not None:
        write_atomic(output, sheet.data, seen=seen)
    if warned is not None:  # of a sheet made: a refused one says only why
        for warning in sheet_warnings(request):
            warned(warning)
        if prescription_path is not None and request.prescription is not None:
            from protocol_kit.prescribing.followed_up import followed_up_warning

            date = request.prescription.date.isoformat()
            later = followed_up_warning(
                prescription_path, checker.follow_ups(prescription_path, date)
            )
            if later is not None:
                warned(later)
    return sheet


def sheet_warnings(request: SheetRequest) -> list[str]:
    """What the therapist is told of a sheet made, beside it: `render` and `build` print it,
    the workbench shows it under its preview (H876). Today one line at most: the clinic's
    texts printed as written on a sheet in another language than theirs (H857)."""
    from protocol_kit.clinic.texts import other_language_warning

    clinic = request.clinic
    written_in = clinic.language or request.protocol.language
    warning = other_language_warning(clinic, request.language, written_in)
    return [] if warning is None else [warning]
