"""The folder the workbench serves: every path stays inside it, reads carry a version, saves
are atomic, in the canonical layout, and never overwrite a file changed on disk since it was
opened."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protocol_kit.errors import ProtokitError
from protocol_kit.files import WrittenMeanwhile, seen_now, write_atomic
from protocol_kit.formatting import dumps
from protocol_kit.loading import object_or_none
from protocol_kit.untrusted.files import read_file
from protocol_kit.untrusted.text import is_printable, named, quoted
from protocol_kit.untrusted.windows_names import device_in, is_device_name

NEW_FILE = ""  # the version of a file that does not exist yet


class PathRefused(ProtokitError):
    """A path outside the folder, hidden, or not a JSON file."""


@dataclass(frozen=True)
class Conflict(Exception):
    """The file changed on disk since the page opened it: its text and version now."""

    theirs: str
    version: str


def _conflict(current: bytes | None, version: str) -> Conflict:
    return Conflict("" if current is None else current.decode("utf-8", "replace"), version)


def version_of(data: bytes | None) -> str:
    return NEW_FILE if data is None else hashlib.sha256(data).hexdigest()


def ordered_like(new: Any, old: Any) -> Any:
    """`new` with its members in the order `old` has them (the author's order), members `old`
    lacks after them in the order they come: a form writes fields in the schema's order, and a
    save must not move every line of a file the author ordered otherwise."""
    if isinstance(new, dict) and isinstance(old, dict):
        keys = [k for k in old if k in new] + [k for k in new if k not in old]
        return {k: ordered_like(new[k], old.get(k)) for k in keys}
    if isinstance(new, list) and isinstance(old, list):
        return [ordered_like(n, old[i] if i < len(old) else None) for i, n in enumerate(new)]
    return new


# Pictures --------------------------------------------------------------------------------
# A file's pictures live in `media/` beside it (where `bundle import` and `import fhir` put
# them too), named in the file by that relative path: the schema allows no `..`, so a library
# exercise's pictures are in library/media/.
MEDIA = "media"
PICTURE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(png|jpg|jpeg)$", re.IGNORECASE)
SUFFIXES = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


class PictureRefused(ProtokitError):
    """A picture that cannot be saved into the folder: its name, its content, or a different
    picture already saved under that name."""


class PictureTaken(PictureRefused):
    """Another picture is saved under that name already: nothing is replaced."""


def _plain_name(part: str) -> bool:
    """Whether one part of a path shows what it is: printable (no control, format, direction
    or separator character, no byte that is not UTF-8), no backslash, no space at an end."""
    return is_printable(part) and "\\" not in part and part == part.strip()


def _look_alike(parts: tuple[str, ...], path: Path) -> str | None:
    """Another name in the folder of `path` that is shown exactly as its own, or None: "zoë"
    with a precomposed ë and with e and U+0308 are two files (two patients' prescriptions)
    that the browse page, a file manager and a message show alike. Only a name that is not
    ASCII can have such a twin, so that most names cost nothing."""
    if path.name.isascii():
        return None
    import unicodedata

    wanted = unicodedata.normalize("NFC", path.name)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return None
    for name in names:
        if name != path.name and unicodedata.normalize("NFC", name) == wanted:
            return "/".join((*parts[:-1], name))
    return None


class Folder:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self._lock = threading.Lock()  # one save at a time: the version check and the rename

    def resolve(self, relative: str) -> Path:
        """The file `relative` names, inside the folder; PathRefused otherwise (absolute
        paths, `..`, links leading out, hidden files and folders, other than `.json`)."""
        if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
            raise PathRefused(f"{quoted(relative)}: not a file of this folder")
        parts = Path(relative).parts
        if not parts:  # ".", "./": the folder itself, which has no parts (H476)
            raise PathRefused(f"{quoted(relative)}: not a file of this folder")
        if any(p in ("..", ".") or p.startswith(".") for p in parts) or ":" in parts[0]:
            raise PathRefused(f"{quoted(relative)}: not a file of this folder")
        if not relative.endswith(".json"):
            raise PathRefused(f"{quoted(relative)}: only .json files are edited here")
        unseen = next((p for p in parts if not _plain_name(p)), None)
        if unseen is not None:
            # A name that does not show what it is: a control or direction character reorders
            # or hides part of it on the page, a byte that is not UTF-8 cannot be shown at all,
            # a backslash is a folder on another system, a space at an end cannot be seen.
            raise PathRefused(
                f"{named(relative)}: the name {named(unseen)} holds a character that "
                "cannot be seen or shown (or a backslash, or a space at an end): rename the file"
            )
        twin = _look_alike(parts, self.root / relative)
        if twin is not None:
            raise PathRefused(
                f"{named(relative)}: looks the same as {named(twin)} beside it (an accented "
                "letter written in another form): rename one of them, so that the two files "
                "can be told apart"
            )
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise PathRefused(f"{quoted(relative)}: leads outside the folder")
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            pass  # a new file, or a path through a file: refused when it is read or saved
        except OSError as error:
            # A name too long for the system, a folder on the way that cannot be entered.
            raise PathRefused(f"{named(relative)}: {error.strerror or error}") from None
        return path

    def relative(self, path: str | os.PathLike[str]) -> str:
        return Path(path).resolve().relative_to(self.root).as_posix()

    def file_of(self, path: str | os.PathLike[str]) -> str | None:
        """`path` as the workbench names its files (relative to the folder), when it is a
        file the workbench opens; None for any other (outside the folder, hidden)."""
        try:
            relative = self.relative(path)
            self.resolve(relative)
        except (ValueError, OSError, PathRefused):
            return None
        return relative

    def name_of(self, named: str) -> str | None:
        """A file or folder a message names from the working folder of `protokit serve`
        (`findings.shown_path`), as the workbench's lists name it (relative to this folder);
        None when it is not there, or not inside this folder."""
        path = Path(named)
        try:
            if not path.exists():
                return None
            relative = self.relative(path)
        except (ValueError, OSError):
            return None
        return relative if relative != "." else None

    def files(self) -> list[str]:
        """Every `.json` file of the folder, as the command line finds them."""
        from protocol_kit.app.check import expand_paths

        found = []
        for name in expand_paths([str(self.root)]):
            try:
                found.append(self.relative(name))
            except ValueError:  # a link leading out of the folder
                continue
        return sorted(found)

    def read(self, relative: str) -> tuple[bytes | None, str]:
        """The file's bytes (None when it does not exist) and their version. A name of the
        folder that is not a regular file (a folder named `x.json`, a named pipe, a device) is
        refused before it is read: reading a pipe would stop the workbench for good."""
        path = self.resolve(relative)
        try:
            data = read_file(path)
        except FileNotFoundError:
            data = None
        except OSError as error:
            raise PathRefused(f"{relative}: cannot be read: {error.strerror or error}") from None
        return data, version_of(data)

    def save(self, relative: str, data: dict[str, Any], base_version: str) -> str:
        """Write `data` (in the canonical layout, members in the order the file had them),
        atomically, unless the file changed since `base_version` was read; returns the new
        version. Raises Conflict with the file as it is now."""
        path = self.resolve(relative)
        with self._lock:
            # As it was before it was read: a save by another program (an editor, `protokit
            # fmt`) between the comparison and the write is a conflict, not replaced (H868).
            seen = seen_now(path)
            current, version = self.read(relative)
            if version != base_version:
                raise _conflict(current, version)
            device = device_in(Path(relative))  # (H1647)
            if current is None and device is not None:
                # (a file already there is the therapist's to keep: opened and saved as before)
                raise PathRefused(
                    f"{named(relative)}: {named(device)} is the name of a device on Windows, "
                    "where the file could not be opened: choose another name"
                )
            on_disk = None if current is None else object_or_none(current)
            if on_disk is not None:  # (a file on disk that is not JSON keeps the form's order)
                data = ordered_like(data, on_disk)
            text = dumps(data)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.parent.resolve().is_relative_to(self.root):
                    raise PathRefused(f"{quoted(relative)}: leads outside the folder")
                # (compared by the bytes read too: an edit of the same size in the same tick
                # of the clock leaves every time as it was, H1613)
                write_atomic(path, text, seen=seen.holding(current))
            except WrittenMeanwhile:
                raise _conflict(*self.read(relative)) from None
            except OSError as error:
                raise PathRefused(
                    f"{relative}: cannot be saved: {error.strerror or error}"
                ) from None
            return version_of(text.encode("utf-8"))

    def _media_of(self, relative: str) -> Path:
        media = self.resolve(relative).parent / MEDIA
        if media.is_symlink() or not media.resolve().is_relative_to(self.root):
            raise PathRefused(f"{quoted(relative)}: its media folder leads outside the folder")
        return media

    def pictures(self, relative: str) -> list[str]:
        """The pictures in the media folder beside the file `relative`, as the file names them
        (`media/NAME.png`): regular files with a name the format accepts, no links."""
        media = self._media_of(relative)
        if not media.is_dir():
            return []
        return sorted(
            f"{MEDIA}/{entry.name}"
            for entry in media.iterdir()
            if PICTURE_NAME.match(entry.name) and entry.is_file() and not entry.is_symlink()
        )

    def picture_bytes(self, relative: str, name: str) -> bytes | None:
        """The bytes of a picture `pictures(relative)` lists (`media/NAME.png`), else None."""
        if name not in self.pictures(relative):
            return None
        from protocol_kit.untrusted.images import MAX_IMAGE_FILE

        try:
            return read_file(self._media_of(relative) / name.split("/", 1)[1], MAX_IMAGE_FILE)
        except OSError:
            return None

    def save_picture(self, relative: str, name: str, data: bytes) -> str:
        """Save `data` as media/`name` beside the file `relative`, checked as a sheet checks the
        pictures it prints, atomically, never over a different picture; the path the file names
        it by. Saving the same picture again is not an error."""
        from protocol_kit.sheet.images import printable_image
        from protocol_kit.untrusted.images import ImageProblem

        if is_device_name(name):  # (H1647)
            raise PictureRefused(
                f"{quoted(name)}: the name of a device on Windows, where the picture could not "
                "be opened: give it another name"
            )
        if not PICTURE_NAME.match(name):
            raise PictureRefused(
                f"{quoted(name)}: a picture's name is letters, digits, '.', '-' and '_', ending in "
                ".png, .jpg or .jpeg"
            )
        try:
            info = printable_image(data)
        except ImageProblem as problem:
            raise PictureRefused(
                f"{name}: cannot be printed on a sheet: the file {problem}"
            ) from None
        if not name.lower().endswith(SUFFIXES[info.format]):
            raise PictureRefused(
                f"{name}: the file is a {info.format} picture: name it "
                f"{Path(name).stem}{SUFFIXES[info.format][0]}"
            )
        media = self._media_of(relative)
        target = media / name
        with self._lock:
            try:
                media.mkdir(exist_ok=True)
            except OSError as error:
                raise PictureRefused(
                    f"{self.relative(media.parent)}/{MEDIA}: cannot be made a folder for "
                    f"pictures ({error.strerror or error})"
                ) from None
            if target.is_symlink() or not target.resolve().is_relative_to(self.root):
                raise PathRefused(f"{quoted(name)}: leads outside the folder")
            taken = PictureTaken(
                f"{MEDIA}/{name} already holds another picture: nothing was replaced; choose "
                "it from the list, or give the new picture another name"
            )
            if target.exists():
                if target.is_file() and read_file(target) == data:
                    return f"{MEDIA}/{name}"
                raise taken
            try:
                write_atomic(target, data, overwrite=False)
            except WrittenMeanwhile:  # by another program (another workbench, a copy)
                raise taken from None
        return f"{MEDIA}/{name}"
