"""`protokit new prescription` as functions: a protocol in, the starting prescription out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.errors import InputError
from protocol_kit.model import Protocol
from protocol_kit.templates import new_prescription


def prescription_for(
    protocol_path: str,
    check: CheckOptions,
    overrides: bool = True,
    today: dt.date | None = None,
) -> tuple[Protocol, dict[str, Any]]:
    """The protocol at `protocol_path` (valid, library references resolved, not retired) and
    the starting prescription of it. Raises InputError naming the file."""
    protocol = load_protocol(protocol_path, FileChecker(check))
    if protocol.status == "retired":
        raise InputError(
            f"{protocol_path}: protocol '{protocol.id}' is retired: it must not be prescribed"
        )
    return protocol, new_prescription(protocol, today, overrides)


def prescription_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
