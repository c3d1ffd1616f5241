"""Names Windows keeps for its devices.

A file or folder named `nul`, `aux`, `COM1` (whatever follows the first dot: `nul.json`,
`com1.png`) cannot be opened where a clinic's folder is shared with or copied to Windows, and a
program run there that writes it writes into the device: "saved", and nothing kept. The
workbench (H1647) and `protokit new` refuse such a name for a file they are about to make."""

from __future__ import annotations

import re
from pathlib import PurePath

_DEVICE = re.compile(
    r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9\u00b9\u00b2\u00b3]) *", re.IGNORECASE
)


def is_device_name(part: str) -> bool:
    """Whether Windows reads the name `part` (one part of a path) as one of its devices."""
    return _DEVICE.fullmatch(part.split(".", 1)[0]) is not None


def device_in(path: PurePath) -> str | None:
    """The first part of `path` that Windows reads as a device, if any."""
    return next((part for part in path.parts if is_device_name(part)), None)
