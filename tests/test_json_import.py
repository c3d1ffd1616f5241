"""json imported with its own patterns' code from the pattern cache
(protocol_kit/lean_imports/json_module.py): its patterns are `re.compile`'s own, json reads and
writes what the plain import does, `re` is the real module afterwards, and a json imported
first is left as it is."""

from __future__ import annotations

import subprocess
import sys

# What the plain import's patterns are, and what json makes of texts that use each of them
# (escapes, characters outside ASCII, numbers, white space, a syntax error's place).
USES = (
    "for p in (json.scanner.NUMBER_RE, json.decoder.STRINGCHUNK, json.decoder.WHITESPACE,\n"
    "          json.encoder.ESCAPE, json.encoder.ESCAPE_ASCII, json.encoder.HAS_UTF8):\n"
    "    print(type(p).__name__, p == re.compile(p.pattern, p.flags))\n"
    'print(json.loads(\' [1.5e3, -0, "a\\\\u00fc\\\\n", {"k": null}] \'))\n'
    "print(json.dumps(['\\u00fc\\n\"', 1e400, 2**70]), json.dumps('\\u00fc', ensure_ascii=False))\n"
    "print(json.decoder.py_scanstring('ab\\\\\"c\"', 0))\n"
    "try:\n"
    "    json.loads('[1,\\n 2,]')\n"
    "except json.JSONDecodeError as error:\n"
    "    print(error)\n"
)


def run(code: str, cache: str) -> list[str]:
    env = {"PROTOKIT_CACHE_DIR": cache, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_json_is_what_the_plain_import_gives(tmp_path):
    plain = run("import json, re\n" + USES, str(tmp_path))
    assert plain[:6] == ["Pattern True"] * 6
    lean = (
        "import re, sys\n"
        "from protocol_kit.lean_imports.json_module import json_module\n"
        "json = json_module()\n"
        "print(sys.modules['re'] is re, json_module() is json)\n" + USES
    )
    # Twice: the patterns compiled by `re` and kept, then their code read from the cache.
    for _ in range(2):
        assert run(lean, str(tmp_path)) == ["True True", *plain]
    assert list(tmp_path.glob("patterns-*"))


def test_json_imported_first_is_left_as_it_is(tmp_path):
    code = (
        "import json, re\n"
        "from protocol_kit.lean_imports.json_module import json_module\n"
        "print(json_module() is json, json.decoder.re is re)\n"
    )
    assert run(code, str(tmp_path)) == ["True True"]
