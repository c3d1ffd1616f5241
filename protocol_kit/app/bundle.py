"""`protokit bundle create | verify | inspect | import` as functions: no printing, no click.

One module per use case; this one names them all for the command line and for scripts.
"""

from __future__ import annotations

from protocol_kit.app.bundle_checks import (
    bundle_check_options,
    check_bundled_protocol,
    make_self_contained,
    publisher_from,
    read_image,
)
from protocol_kit.app.bundle_create import CreateOptions, CreateResult, create_bundle
from protocol_kit.app.bundle_import import (
    ImportOptions,
    ImportProgress,
    ImportResult,
    import_bundle,
)
from protocol_kit.app.bundle_verify import (
    Inspection,
    SignatureStatus,
    Verification,
    VerifyOptions,
    inspect_bundle,
    verify_bundle,
    verify_options,
)

__all__ = [
    "CreateOptions",
    "CreateResult",
    "ImportOptions",
    "ImportProgress",
    "ImportResult",
    "Inspection",
    "SignatureStatus",
    "Verification",
    "VerifyOptions",
    "bundle_check_options",
    "check_bundled_protocol",
    "create_bundle",
    "import_bundle",
    "inspect_bundle",
    "make_self_contained",
    "publisher_from",
    "read_image",
    "verify_bundle",
    "verify_options",
]
