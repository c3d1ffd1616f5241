"""The fast schema engine imported without `email.utils`
(protocol_kit/lean_imports/jsonschema_engine.py): what it gets in the real module's place is
the same."""

from __future__ import annotations

import email.utils
import subprocess
import sys

import pytest

from protocol_kit.lean_imports.jsonschema_engine import parsedate_to_datetime

TEXTS = [
    "Thu, 12 Nov 2026 07:50:16 +0000",  # the shape of jsonschema-rs's build date
    "Mon, 1 Feb 2021 23:59:59 +0530",
    "Mon, 01 Feb 2021 00:00:00 -0130",
    "Thu, 12 Nov 2026 07:50:16 -0000",  # no zone known: a naive datetime
    # Other shapes go to the real function.
    "12 Nov 2026 07:50:16 +0000",
    "Thu, 12 Nov 2026 07:50 +0000",
    "Thu, 12 Nov 2026 07:50:16 GMT",
    "Thu, 12 Nov 26 07:50:16 +0000",
]


@pytest.mark.parametrize("text", TEXTS)
def test_dates_read_as_email_utils_reads_them(text):
    found = parsedate_to_datetime(text)
    expected = email.utils.parsedate_to_datetime(text)
    assert (found, found.tzinfo) == (expected, expected.tzinfo)


@pytest.mark.parametrize(
    "text", ["Thu, 31 Feb 2026 07:50:16 +0000", "Thu, 12 Nov 2026 25:00:00 +0000", "nonsense"]
)
def test_impossible_dates_fail_as_email_utils_fails(text):
    with pytest.raises(ValueError) as expected:
        email.utils.parsedate_to_datetime(text)
    with pytest.raises(ValueError) as found:
        parsedate_to_datetime(text)
    assert str(found.value) == str(expected.value)


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_engine_gets_what_it_would_have_got():
    build = "jsonschema_rs.jsonschema_rs.__build__"
    plain = run(f"import jsonschema_rs; print(repr({build}))")
    code = (
        "import sys\n"
        "from protocol_kit.lean_imports.jsonschema_engine import jsonschema_rs\n"
        "jsonschema_rs()\n"
        "print('email.utils' in sys.modules, 'socket' in sys.modules)\n"
        "import email.utils, jsonschema_rs\n"
        "print(email.utils.__file__ is not None, email.utils.format_datetime is not None)\n"
        f"print(repr({build}))\n"
    )
    lines = run(code).splitlines()
    assert lines[:2] == ["False False", "True True"]  # not imported; later, the real module
    assert lines[2] == plain
