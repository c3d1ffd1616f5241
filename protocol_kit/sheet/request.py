"""What one sheet is made from: plain data (the app layer builds these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from protocol_kit.model import Prescription, Protocol

DEFAULT_ACCENT = "#1F5C99"


@dataclass(frozen=True)
class ClinicProfile:
    """The clinic printed on every sheet (`[tool.protokit.clinic]`).

    `phone`, `emergency_number` and `urgent_number` (for the urgent group: a doctor the same
    day, or this number out of hours) are required to print a patient sheet (checked by the
    app layer before anything is drawn); `emergency_place` names where to go in an emergency, by
    language (else the sheet's own words: the nearest emergency department). `where` names
    the configuration file, for messages about its values.
    """

    name: str | None = None
    address: tuple[str, ...] = ()
    phone: str | None = None
    emergency_number: str | None = None
    urgent_number: str | None = None
    emergency_place: tuple[tuple[str, str], ...] = ()  # (language tag, place)
    email: str | None = None
    website: str | None = None
    logo: str | None = None  # resolved path
    accent: str = DEFAULT_ACCENT
    paper: str = "A4"
    language: str | None = None
    # (language tag, texts): the clinic's texts checked readable on a sheet in that language
    checked_texts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    where: str = "configuration"


@dataclass(frozen=True)
class SheetRequest:
    """One sheet: a protocol (prescription overrides already applied), in one language."""

    protocol: Protocol
    language: str
    clinic: ClinicProfile = ClinicProfile()
    prescription: Prescription | None = None
    large_print: bool = False
    clinician: bool = False
    created: dt.datetime | None = None  # the file's date; None: the protocol's review date
