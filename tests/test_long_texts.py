"""Long texts that a check read in more than linear time (H768): a search that tried every
letter of a long word or clause again from the start. A protocol of the largest texts the
limits allow (10,000 characters each) came from another clinic's bundle as well as from a
typing accident, and `validate`, `render` and `bundle import` spent minutes on one file. Each
file here took longer than the harness's hang limit (`conftest.HANG_SECONDS`) before the
change; the limit times nothing, it only catches the hang."""

from __future__ import annotations

import json
import string

from conftest import CASES, run_protokit

BASE = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
LONGEST = 10_000  # loading.DEFAULT_MAX_STRING
TEXTS = 80  # before the change: minutes of CPU; after it: seconds


def _word(number: int, length: int) -> str:
    """A word of `length` letters, another for each `number` (the lint keeps the answer for a
    text it has read once, so each text must be its own)."""
    head = "".join(string.ascii_lowercase[int(d)] for d in str(number))
    return (head + "x" * length)[:length]


def _validate_with_advice(tmp_path, advice: list[str]):
    data = json.loads(BASE.read_text(encoding="utf-8"))
    data["safety"]["general_advice"] = advice
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return run_protokit("validate", str(path)), path


def test_a_long_word_beside_a_hidden_red_flag_is_read_in_linear_time(tmp_path):
    """TEXT004 names the words whose marks hide a red flag ("ch–est pain"): its search for a
    word with a mark inside it was tried from every letter of a long word."""
    opening = "If you get ch\u2013est pain, stop. "
    advice = [opening + _word(n, LONGEST - len(opening)) for n in range(TEXTS)]
    result, path = _validate_with_advice(tmp_path, advice)
    assert result.code == 1, result.stderr
    findings = [line for line in result.stdout.splitlines() if " TEXT004 " in line]
    assert len(findings) == TEXTS, result.stdout[-2000:]
    assert all(line.startswith(f"{path}:") and '"ch\u2013est"' in line for line in findings)


def test_a_long_clause_before_a_pain_score_is_read_in_linear_time(tmp_path):
    """SAFE014 reads the clause before a pain score: its start was searched for from every
    character before the clause's comma."""
    closing = ", aim for a pain of 6 out of 10"
    advice = [_word(n, LONGEST - len(closing)) + closing for n in range(TEXTS)]
    result, path = _validate_with_advice(tmp_path, advice)
    assert result.code == 1, result.stderr
    findings = [line for line in result.stdout.splitlines() if " SAFE014 " in line]
    assert len(findings) == TEXTS, result.stdout[-2000:]
    assert all(line.startswith(f"{path}:") for line in findings)
