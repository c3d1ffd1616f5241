"""blake2b and sha256 for the digests a run of `protokit validate` makes (memo keys, the
readability cache's keys), without loading OpenSSL.

`import hashlib` loads OpenSSL's library first (`_hashlib`, 2 to 3 ms of CPU at every
start-up, issue 17); CPython's own implementations of these two give the same digests.
An interpreter built without them falls back to hashlib."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter without its own blake2)
    from hashlib import blake2b

try:
    from _sha256 import sha256  # Python 3.11
except ImportError:  # pragma: no cover (3.12 and later name the module _sha2)
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

__all__ = ["blake2b", "sha256"]
