"""pathlib imported without `urllib.parse` (protocol_kit/lean_imports/pathlib_module.py):
paths, and their URIs, are what the plain import gives; a later `import urllib.parse` gets the
real module."""

from __future__ import annotations

import subprocess
import sys

# Names with spaces, percent signs, letters outside ASCII and a Windows drive: as_uri quotes
# each, with the real urllib.parse.quote_from_bytes.
URIS = (
    "print(pathlib.PurePosixPath('/a b/%20/\\u00fc/x#y?z').as_uri())\n"
    "print(pathlib.PureWindowsPath('c:/a b/\\u00fc').as_uri())\n"
    "print(pathlib.PureWindowsPath('//server/share/a b').as_uri())\n"
)


def run(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_paths_and_their_uris_are_the_plain_imports():
    plain = run("import pathlib\n" + URIS)
    code = (
        "import sys\n"
        "from protocol_kit.lean_imports.pathlib_module import pathlib as load\n"
        "pathlib = load()\n"
        "print('urllib.parse' in sys.modules, 'ipaddress' in sys.modules)\n"
        + URIS
        + "import urllib.parse\n"
        "print(urllib.parse.urlsplit('https://x.org/a?b').query, 'ipaddress' in sys.modules)\n"
        "print(load() is pathlib, sys.modules['urllib'].parse is urllib.parse)\n"
    )
    lines = run(code)
    assert lines[0] == "False False"  # not imported by pathlib
    assert lines[1:4] == plain  # the first URI imported the real module
    assert lines[4:] == ["b True", "True True"]


def test_urllib_imported_first_is_left_as_it_is():
    code = (
        "import sys, urllib.parse\n"
        "real = urllib.parse\n"
        "from protocol_kit.lean_imports.pathlib_module import pathlib\n"
        "pathlib()\n"
        "print(sys.modules['urllib.parse'] is real, sys.modules['pathlib'].urlquote_from_bytes"
        " is real.quote_from_bytes)\n"
    )
    assert run(code) == ["True True"]
