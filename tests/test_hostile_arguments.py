"""Hostile inputs of the tenth sitting (s16-hostile): command-line arguments, configuration
files, prescriptions and texts that reach a sheet. Each is refused with one clear line naming
what is wrong and a non-zero exit, or read as written, never a traceback or a silent change.
The bundle classes of this sitting are in bundle/test_hostile_archives.py."""

from __future__ import annotations

import pytest
from hostile_helpers import assert_clean_output

from conftest import PROTOCOLS, run_protokit

EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("render", str(EXAMPLE), "x\ny", "-o", "s.pdf"), "extra argument ('x\\ny')"),
        (("render", str(EXAMPLE), "x", "y", "-o", "s.pdf"), "extra arguments ('x', 'y')"),
        (("new", "protocol", "a", "b\nc"), "extra argument ('b\\nc')"),
        (("rules", "DOSE001", "b.json\n"), "extra argument ('b.json\\n')"),
    ],
)
def test_an_extra_argument_is_quoted_as_it_is(tmp_path, arguments, said):
    """H471: click joined extra arguments with spaces and the one-line error turned a line
    break into a space: `render a.json $'b.json\\n'` said "(b.json )", and one argument "x\\ny"
    read as two, "x" and "y"."""
    result = run_protokit(*arguments, cwd=tmp_path)
    assert result.code == 2
    assert_clean_output(result)
    [line] = result.stderr.splitlines()
    assert said in line, line
    assert list(tmp_path.iterdir()) == []
