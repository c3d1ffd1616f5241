"""What one sheet is made from: plain data, no reportlab (the app layer builds these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from protocol_kit.model import Prescription, Protocol
from protocol_kit.render.styles import DEFAULT_ACCENT


@dataclass(frozen=True)
class ClinicProfile:
    """The clinic printed at the top of every sheet (`[tool.protokit.clinic]`).

    `where` names the configuration file, for messages about its values.
    """

    name: str | None = None
    address: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    logo: str | None = None  # resolved path
    accent: str = DEFAULT_ACCENT
    paper: str = "A4"
    language: str | None = None
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
    created: dt.datetime | None = None  # the PDF's creation date; None: the protocol's review date
