"""Keys, signatures and trust files: Ed25519 from the `cryptography` library.

This is the only module that imports `cryptography`; nothing here implements cryptography, it
only stores and compares what the library produces.

- A clinic's key pair: a PEM (PKCS #8) private key, optionally encrypted with a passphrase, and
  a PEM public key.
- A signature file (`manifest.sig` in a bundle) is a small JSON object: the algorithm, the
  signer's public key and its fingerprint, and the Ed25519 signature over the exact bytes of
  `manifest.json`. Carrying the public key lets `verify` name the signer even without a trust
  file; only a trust file makes the signer trusted.
- A trust file (TOML) lists the keys a clinic accepts, each with a name and the key's
  fingerprint, so that a copying mistake is caught rather than silently trusting another key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from protocol_kit.bundle import BundleRefused
from protocol_kit.errors import InputError
from protocol_kit.findings import shown
from protocol_kit.loading import JsonProblem, Limits, decode, parse
from protocol_kit.untrusted.files import open_regular
from protocol_kit.untrusted.identity import described, name_problem
from protocol_kit.untrusted.state import without_limit_advice
from protocol_kit.untrusted.text import advised_command

ALGORITHM = "Ed25519"
_SIGNATURE_LIMITS = Limits(max_bytes=4096, max_depth=2)
_SIGNATURE_FIELDS = {"algorithm", "public_key", "fingerprint", "signature"}


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An Ed25519 public key (its 32 raw bytes)."""

    raw: bytes

    @property
    def fingerprint(self) -> str:
        """`sha256:` and the SHA-256 of the raw key in hexadecimal: what people compare."""
        return "sha256:" + hashlib.sha256(self.raw).hexdigest()

    @property
    def text(self) -> str:
        """The key as written in trust files and signatures: base64 of the raw bytes."""
        return base64.b64encode(self.raw).decode("ascii")

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes
    public: PublicKey


@dataclass(frozen=True, slots=True)
class Signature:
    """A parsed signature file: who signed (by their key) and the signature bytes."""

    key: PublicKey
    value: bytes

    def verifies(self, manifest: bytes) -> bool:
        return self.key.verifies(self.value, manifest)


@dataclass(frozen=True, slots=True)
class TrustedKey:
    name: str
    key: PublicKey


@dataclass(frozen=True, slots=True)
class TrustList:
    """The keys one clinic accepts, from its trust file."""

    source: Path
    keys: tuple[TrustedKey, ...]

    def find(self, key: PublicKey) -> TrustedKey | None:
        return next((k for k in self.keys if k.key.raw == key.raw), None)


def _public_key(key: Ed25519PublicKey) -> PublicKey:
    return PublicKey(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def generate_key_pair(passphrase: bytes | None = None) -> KeyPair:
    """A new Ed25519 key pair; the private key is encrypted when a passphrase is given."""
    private = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public = private.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem, public_pem, _public_key(public))


class SigningKey:
    """A clinic's private key, loaded to sign bundle manifests."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public = _public_key(key.public_key())

    def sign(self, manifest: bytes) -> bytes:
        """The signature file for these exact manifest bytes."""
        document = {
            "algorithm": ALGORITHM,
            "public_key": self.public.text,
            "fingerprint": self.public.fingerprint,
            "signature": base64.b64encode(self._key.sign(manifest)).decode("ascii"),
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")


def load_signing_key(path: Path, passphrase: Callable[[], bytes | None]) -> SigningKey:
    """Read a PEM private key; `passphrase` is asked only when the key is encrypted."""
    data = _read(path)
    if b"-----BEGIN PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        private = path.with_suffix(".key").name if path.suffix == ".pub" else "its .key file"
        raise InputError(
            f"{path}: this is the public key: --sign needs the private key file ({private}, "
            "made with it by protokit keys generate)"
        )
    try:
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except TypeError:  # encrypted: ask for the passphrase
            secret = passphrase()
            if not secret:
                raise InputError(
                    f"{path}: the key is encrypted: give its passphrase (PROTOKIT_KEY_PASSPHRASE)"
                ) from None
            key = serialization.load_pem_private_key(data, password=secret)
    except (ValueError, UnsupportedAlgorithm):
        raise InputError(
            f"{path}: not a readable private key (or the passphrase is wrong)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key; make one with: protokit keys generate")
    return SigningKey(key)


def read_public_key(path: Path) -> PublicKey:
    """The public key in a PEM public key file."""
    data = _read(path)
    if b"PRIVATE KEY" in data:
        raise InputError(f"{path}: is a private key; give the public key file (.pub) instead")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise InputError(f"{path}: not a readable PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path}: not an Ed25519 public key")
    return _public_key(key)


def _read(path: Path) -> bytes:
    try:
        with open_regular(path) as handle:
            return handle.read(64 * 1024)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def _decode_key(text: Any) -> PublicKey | None:
    raw = _base64(text)
    return PublicKey(raw) if raw is not None and len(raw) == 32 else None


def _base64(text: Any) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def parse_signature(raw: bytes, where: str) -> Signature:
    """A signature file from an untrusted bundle; BundleRefused unless it is well-formed."""
    try:
        data = parse(decode(raw), _SIGNATURE_LIMITS, "manifest.sig").data
    except JsonProblem as problem:
        message = without_limit_advice(problem.message)
        raise BundleRefused(f"{where}: manifest.sig is not valid JSON: {message}") from None
    if set(data) != _SIGNATURE_FIELDS:
        raise BundleRefused(
            f"{where}: manifest.sig must hold exactly: {', '.join(sorted(_SIGNATURE_FIELDS))}"
        )
    if data["algorithm"] != ALGORITHM:
        raise BundleRefused(
            f"{where}: manifest.sig uses {shown(data['algorithm'])}; only Ed25519 is accepted"
        )
    key = _decode_key(data["public_key"])
    value = _base64(data["signature"])
    if key is None or value is None or len(value) != 64:
        raise BundleRefused(f"{where}: manifest.sig does not hold an Ed25519 key and signature")
    if data["fingerprint"] != key.fingerprint:
        raise BundleRefused(f"{where}: manifest.sig names a fingerprint that is not its key's")
    return Signature(key, value)


def trust_entry(name: str, key: PublicKey) -> str:
    """The TOML entry that makes a trust file accept `key`."""
    return (
        "[[key]]\n"
        f"name = {json.dumps(name, ensure_ascii=False)}\n"
        f'public_key = "{key.text}"\n'
        f'fingerprint = "{key.fingerprint}"\n'
    )


def load_trust_file(path: Path) -> TrustList:
    """A trust file: TOML with one `[[key]]` table per accepted key (name, public_key,
    fingerprint). Any mistake is an error naming the entry: a trust file is never half-read."""
    from protocol_kit.tomlfile import parse_toml, read_toml_text

    text = read_toml_text(path, InputError, "the trust file")
    _refuse_key_file(text, path)
    table = parse_toml(text, str(path), InputError, "the trust file")
    extra = sorted(set(table) - {"key"})
    if extra:
        raise InputError(
            f"{path}: unknown table {shown(extra[0])}: a trust file holds [[key]] entries"
        )
    entries = table.get("key", [])
    if not isinstance(entries, list):
        raise InputError(f"{path}: write each trusted key as a [[key]] table")
    lines = text.splitlines()

    def place(index: int, field: str | None = None) -> str:
        # FILE:LINE:COLUMN of the entry's [[key]] header, or of one of its fields' value.
        from protocol_kit.tomlfile import position_of

        found = position_of(lines, ["key", str(index), *([field] if field else [])])
        return f"{path}:{found[0]}:{found[2]}" if found else str(path)

    keys: list[TrustedKey] = []
    for number, entry in enumerate(entries, 1):
        keys.append(_trusted_key(entry, f"key {number}", lambda f, i=number - 1: place(i, f)))
    seen: dict[bytes, str] = {}
    for index, trusted in enumerate(keys):
        if trusted.key.raw in seen:
            raise InputError(
                f"{place(index)}: the key of {shown(trusted.name)} is listed twice "
                f"(also as {shown(seen[trusted.key.raw])}): keep one [[key]] entry for it "
                "and delete the other"
            )
        seen[trusted.key.raw] = trusted.name
    return TrustList(path, tuple(keys))


def _refuse_key_file(text: str, path: Path) -> None:
    """A key file given where a trust file belongs: say how to make the trust file."""
    if "-----BEGIN PUBLIC KEY-----" in text:
        raise InputError(
            f"{path}: is a public key file, not a trust file: check its fingerprint with the "
            f"publisher, then make a trust file with: "
            f'{advised_command("protokit keys show", path)} --name "CLINIC" > trust.toml'
        )
    if "PRIVATE KEY-----" in text:
        raise InputError(
            f"{path}: is a private key, not a trust file (and must never leave the clinic that "
            "made it): give a trust file made with protokit keys show"
        )


def normal_fingerprint(text: str) -> str:
    """A fingerprint as compared: lower case, with its `sha256:` prefix (which may be left out,
    in either case: `SHA256:C492...`, `c492...` and `sha256:c492...` are the same)."""
    text = text.strip().lower()
    return text if text.startswith("sha256:") else "sha256:" + text


# A field a clinic may add to say until when it trusts a key (GnuPG and X.509 keys expire):
# the trust file has no such field, and saying why is better than "unknown field" alone.
_VALIDITY_FIELD = re.compile(r"expir|valid|until|revoke|not_after", re.IGNORECASE)


def _trusted_key(entry: Any, label: str, place: Callable[[str | None], str]) -> TrustedKey:
    """One [[key]] entry; InputError at `place(field)` (FILE:LINE:COLUMN of the field, or of
    the entry for None), naming the entry by `label` ("key 2")."""
    where = f"{place(None)}: {label}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: not a table")
    unknown = sorted(set(entry) - {"name", "public_key", "fingerprint"})
    if unknown:
        hint = "; a [[key]] entry has only name, public_key and fingerprint"
        if _VALIDITY_FIELD.search(unknown[0]):
            hint += ": a trusted key does not expire; to stop trusting it, delete its entry"
        raise InputError(f"{place(unknown[0])}: {label}: unknown field {shown(unknown[0])}{hint}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}: needs a 'name'")
    problem = name_problem(name)
    if problem is not None:
        where = f"{place('name')}: {label}"
        raise InputError(f"{where}: the name {described(name)} {problem}: type it again")
    label = f"{label} ({name})"
    where = f"{place(None)}: {label}"
    remake = f'make the entry again with: protokit keys show THEIR.pub --name "{name}"'
    if "public_key" not in entry:
        raise InputError(f"{where}: has no 'public_key': {remake}")
    key = _decode_key(entry["public_key"])
    if key is None:
        raise InputError(
            f"{place('public_key')}: {label}: 'public_key' is not a base64 Ed25519 public key "
            f"(a copying mistake?): {remake}"
        )
    fingerprint = entry.get("fingerprint")
    if fingerprint is None:
        raise InputError(
            f"{where}: has no 'fingerprint': add the fingerprint the publisher tells you (by "
            "telephone or in person), so that a wrongly copied key is caught"
        )
    # The computed fingerprint is not printed: copying it into the file would skip the very
    # check it exists for (comparing the key with the publisher by another channel).
    if not isinstance(fingerprint, str) or normal_fingerprint(fingerprint) != key.fingerprint:
        raise InputError(
            f"{place('fingerprint')}: {label}: 'fingerprint' does not match 'public_key': one "
            "of them was copied wrongly: check both again with the publisher, by telephone or "
            "in person"
        )
    return TrustedKey(name, key)
