"""Bundles: how one clinic hands a set of protocols to another.

A bundle (`.pkb`) is a zip archive in one canonical form:

    manifest.json                 what is inside: publisher, protocols, every file's SHA-256
    manifest.sig                  optional detached Ed25519 signature over manifest.json
    protocols/<id>.json           self-contained protocols (library exercises inlined)
    protocols/media/<sha256>.png  images the protocols show, named by their content
    schemas/*.schema.json         the schemas the protocols were validated against
    fhir/<id>.json                optional HL7 FHIR export of each protocol

Modules, one responsibility each: `archive` (canonical zip writing, bounded reading),
`manifest` (the manifest and the layout), `manifest_parts` (a large untrusted manifest
read a batch of items at a time), `signing` (keys, signatures, trust files; the only
module that imports cryptography), `contents` (a protocol made self-contained), `reader` (every
check on an untrusted bundle, before anything is written), `importer` (planning an import:
what changes, what is refused), `provenance` (the record of what imports wrote into a folder),
`staging` (writing a plan all or nothing), `versions` (semantic version order), `spool` (a
bundle's files on disk until its archive is written), `rows` (what a command keeps of each
protocol, as rows in a temporary file) and `planned_steps` (an import's plan as such rows).
"""

from __future__ import annotations

from protocol_kit.errors import InputError


class BundleRefused(InputError):
    """A bundle, or an operation on one, is refused; nothing has been written.

    Exit status 1, like an invalid file for `protokit validate`: the input is wrong, not the
    command line.
    """

    exit_code = 1
