"""H648: the patterns of patient prose wrote the ASCII apostrophe only, so a text typed in a
word processor or on a phone ("can’t", U+2019) was read as naming nothing: "If your heart
races and you can’t catch your breath, stop and rest, and tell your physiotherapist at your
next visit" passed SAFE006, which refuses the same words typed with "'"."""

from __future__ import annotations

import re

import pytest
from lint_helpers import advice, lint, stop

from protocol_kit.patterns import APOSTROPHES, any_apostrophe

TEXTS = {
    "breathless": (
        stop,
        "If your heart races and you can't catch your breath, stop and rest, and tell your "
        "physiotherapist at your next visit.",
    ),
    "cannot-pee": (stop, "If you can't pass urine, stop and tell your physiotherapist next week."),
    "do-not-stop": (advice, "Don't stop if it hurts: that is how you get stronger."),
}


def _found(folder, put, text):
    folder.mkdir()
    return sorted((f.code, f.pointer) for f in lint(folder, put(text)) if f.code.startswith("SAFE"))


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u02bc", "\u2018"])
@pytest.mark.parametrize("name", list(TEXTS))
def test_a_text_typed_with_another_apostrophe_is_read_as_the_ascii_one(tmp_path, name, apostrophe):
    put, text = TEXTS[name]
    plain = _found(tmp_path / "plain", put, text)
    assert plain  # the control: typed with "'", a safety rule refuses it
    assert _found(tmp_path / "typed", put, text.replace("'", apostrophe)) == plain


@pytest.mark.parametrize(
    "pattern, text",
    [
        (r"can't", "can\u2019t"),
        (r"[^']+", "can"),
        (r"[,'\u2019 ]", "\u02bc"),
        (r"[]']", "\u2018"),
        (r"\'", "\u2019"),
    ],
)
def test_every_apostrophe_of_a_pattern_matches_every_way_of_typing_one(pattern, text):
    assert re.fullmatch(any_apostrophe(pattern), text)
    assert any_apostrophe("[^']") == f"[^{APOSTROPHES}]"  # a class without them stays so
