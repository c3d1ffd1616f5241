"""`protokit keys` as functions: make a clinic's signing key pair, describe a public key."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from protocol_kit.bundle.signing import PublicKey, generate_key_pair, read_public_key, trust_entry
from protocol_kit.errors import OutputError, UsageError
from protocol_kit.files import Seen, seen_now, write_atomic

PRIVATE_SUFFIX = ".key"
PUBLIC_SUFFIX = ".pub"


@dataclass(frozen=True)
class GeneratedKeys:
    private: Path
    public: Path
    key: PublicKey


def key_paths(prefix: Path | str) -> tuple[Path, Path]:
    """`PREFIX.key` and `PREFIX.pub`; a prefix given with either suffix (`keys/clinic.key`)
    means the same pair, not `keys/clinic.key.key`. A prefix that names no file of its own
    (a folder, `.key`) is refused: `-o keys/` would otherwise write `keys.key` beside the
    folder, and `-o .key` a hidden `.key.key`."""
    folder_like = str(prefix).endswith(("/", os.sep))  # Path("keys/") forgets the slash
    prefix = Path(prefix)
    name = prefix.name
    for suffix in (PRIVATE_SUFFIX, PUBLIC_SUFFIX):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not name or name in (".", "..") or folder_like or prefix.is_dir():
        raise UsageError(
            f"{prefix}: -o is a prefix for the two key files, not a folder: give a name too, "
            "for example -o keys/clinic (writes keys/clinic.key and keys/clinic.pub)"
        )
    return prefix.with_name(name + PRIVATE_SUFFIX), prefix.with_name(name + PUBLIC_SUFFIX)


def generate_keys(
    prefix: Path | str,
    passphrase: bytes | None,
    force: bool = False,
    announce: Callable[[GeneratedKeys], None] | None = None,
) -> GeneratedKeys:
    """Write `PREFIX.key` (the private key, readable by its owner only) and `PREFIX.pub`.

    Neither file is written when either exists, unless `force`. A missing folder is created,
    readable by its owner only (mode 0700), as it holds a private key. `announce` is called
    once both files are written (to print the trust-file entry): when it fails, neither file
    is kept, so that a key is never made whose entry no clinic could be given.
    """
    from protocol_kit.untrusted.files import kind_of

    private, public = key_paths(prefix)
    for path in (private, public):
        if not os.path.lexists(path):
            continue
        if not force:
            raise OutputError(f"{path}: already exists (use --force to replace it)")
        # A private key written into a named pipe or a device goes to whoever reads it; and
        # one file of the pair written, the other refused, left a key without its partner.
        what = kind_of(os.stat(path).st_mode) if os.path.exists(path) else "a link to nothing"
        if what:
            raise OutputError(f"{path}: is {what}, not a file: a key is written only to a file")
    _make_key_folder(private.parent)
    # Both files or neither: what was there is put back when the second cannot be written
    # (with --force, the old private key would otherwise be lost, its public key kept).
    before = {path: path.read_bytes() if path.is_file() else None for path in (private, public)}
    seen = {path: seen_now(path) for path in (private, public)}
    pair = generate_key_pair(passphrase)
    # What this command wrote, as it left it: only that is put back (a second `keys generate`
    # at once deleted the first's new private key as it undid its own refused write, H871).
    written: dict[Path, Seen] = {}
    try:
        # write_atomic creates the file with mode 0600 before any byte is written, and renames
        # it into place: the private key is never readable by others, not even for a moment.
        for path, pem in ((private, pair.private_pem), (public, pair.public_pem)):
            write_atomic(path, pem, overwrite=force, private=path == private, seen=seen[path])
            written[path] = seen_now(path)
        public.chmod(0o644)
        written[public] = seen_now(public)  # (a change of mode moves its change time)
        generated = GeneratedKeys(private, public, pair.public)
        if announce is not None:
            announce(generated)
    except BaseException:
        _put_back(before, written, private)
        raise
    return generated


def _put_back(before: dict[Path, bytes | None], written: dict[Path, Seen], private: Path) -> None:
    """Each file this command wrote, and that is still as it left it, as it was before."""
    for path, left in written.items():
        if seen_now(path) != left:
            continue  # another program's since: not this command's to undo
        content = before[path]
        try:
            if content is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, content, private=path == private)
        except (OSError, OutputError):
            continue  # the first error is the one to report


def _make_key_folder(folder: Path) -> None:
    """Create `folder` and its missing parents; the folder itself gets mode 0700. An existing
    folder is left as it is."""
    if not str(folder) or folder.is_dir():
        return
    try:
        os.makedirs(folder, mode=0o700)
        folder.chmod(0o700)  # whatever the umask
    except FileExistsError:
        if not folder.is_dir():
            raise OutputError(f"{folder}: cannot create the folder: a file has that name") from None
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the folder: {error.strerror or error}"
        ) from None


def describe_public_key(path: Path, name: str) -> str:
    """The trust-file entry for the public key in `path`; UsageError for a name that a
    trust file refuses (an invisible character, mixed scripts)."""
    from protocol_kit.untrusted.identity import check_own_name

    check_own_name(name, "--name")
    return trust_entry(name, read_public_key(path))
