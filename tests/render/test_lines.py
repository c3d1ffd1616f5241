"""The line breaking of `protocol_kit.render.lines` is reportlab's: the same lines, the same
numbers to the last bit, the same pieces with the same texts, the same attributes set on the
paragraph; and it stands aside (reportlab breaks the lines) for every case it does not cover."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sheet_helpers import EXAMPLES, render

from protocol_kit.render import laid_out
from protocol_kit.render.laid_out import forget
from protocol_kit.render.lines import break_lines, simple_lines, styled_lines
from protocol_kit.render.text import escape


def _styles():
    from protocol_kit.render.fonts import sheet_fonts
    from protocol_kit.render.styles import sheet_look

    return sheet_look(sheet_fonts(), "#1F5FA8", False).styles


def _pair(text: str, style, bullet: str | None) -> tuple:
    """Two paragraphs of the same markup, style and bullet, made as the sheet makes them."""
    from reportlab.platypus import Paragraph

    return tuple(laid_out.paragraph(Paragraph, text, style, bullet) for _ in range(2))


def _plain(value):
    """reportlab's line structures (ABag objects without equality: lines, pieces) as values
    that compare by content, the kind of each list (a word followed by a space) kept."""
    from reportlab.lib.abag import ABag

    if isinstance(value, ABag):
        return type(value).__name__, {name: _plain(v) for name, v in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [_plain(v) for v in value]
    return value


def _broken_both_ways(text: str, style, bullet: str | None, widths: list[float]):
    """(ours, reportlab's): each the result, the paragraph's attributes and the widths list
    after breaking; ours is None when `simple_lines` stands aside (and then nothing of the
    paragraph or the widths may have changed)."""
    from reportlab.platypus import Paragraph

    mine, theirs = _pair(text, style, bullet)
    before = dict(vars(mine))
    my_widths, their_widths = list(widths), list(widths)
    ours = break_lines(mine, my_widths)
    reportlabs = Paragraph.breakLines(theirs, their_widths)
    if ours is None:
        assert vars(mine) == before and my_widths == widths
        return None, None
    return _plain((ours, vars(mine), my_widths)), _plain((reportlabs, vars(theirs), their_widths))


def test_every_paragraph_of_the_examples_is_broken_as_reportlab_breaks_it(monkeypatch):
    """Every paragraph of every example sheet (both sizes, the clinician's page), at the
    width the sheet broke it at and at narrower ones (where words split), is broken into
    the lines reportlab makes, attribute for attribute."""
    from protocol_kit.render.laid_out import LaidOutOnce

    asked: list[tuple] = []
    break_lines = LaidOutOnce.breakLines

    def recording(self, width):
        if self.text is not None:  # (not a part of a split paragraph: reportlab's pieces)
            asked.append((self.text, self.style, self.bulletText, list(width)))
        return break_lines(self, width)

    monkeypatch.setattr(LaidOutOnce, "breakLines", recording)
    forget()
    for path in EXAMPLES:
        for large in (False, True):
            render(path, fresh=True, large_print=large, clinician=True)
    assert len(asked) > 500
    simple = 0
    for text, style, bullet, widths in set((t, s, b, tuple(w)) for t, s, b, w in asked):
        for scale in (1, 0.6, 0.3, 0.12):
            for first in (0, 20):  # and a first line narrower than the others
                scaled = [widths[0] * scale - first, *(w * scale for w in widths[1:])]
                ours, reportlabs = _broken_both_ways(text, style, bullet, scaled)
                assert ours == reportlabs, (text, scaled)
                simple += ours is not None
    assert simple > 1500  # the usual case, not the exception


_WORDS = st.text(alphabet="aéΩ W-.,;\u00a0\u00ad\t\n", min_size=0, max_size=14)
# A run of words as the sheet writes it: plain, bold, or smaller and grey (the dosage grid).
_RUN = st.tuples(st.sampled_from(["", "b", "font"]), st.lists(_WORDS, max_size=12))


def _markup(runs) -> str:
    made = []
    for kind, words in runs:
        text = escape(" ".join(words))
        if kind == "b":
            text = f"<b>{text}</b>"
        elif kind == "font":
            text = f'<font size="8.5" color="#4a4a4a">{text}</font>'
        made.append(text)
    return "".join(made)


@settings(max_examples=400, deadline=None)
@given(
    runs=st.lists(_RUN, min_size=1, max_size=5),
    width=st.floats(min_value=4, max_value=600),
    first=st.floats(min_value=0, max_value=60),
    style_name=st.sampled_from(["body", "step", "run_in", "label", "dosage_value"]),
    bullet=st.sampled_from([None, "1.", "•", "10."]),
)
def test_any_text_is_broken_as_reportlab_breaks_it_or_left_to_reportlab(
    runs, width, first, style_name, bullet
):
    style = _styles()[style_name]
    text = _markup(runs)
    ours, reportlabs = _broken_both_ways(text, style, bullet, [max(width - first, 1.0), width])
    assert ours == reportlabs


@pytest.mark.parametrize(
    "text",
    [
        "<b>Starting position:</b> lie on your back",  # two pieces
        "knee\u00adcap stretch",  # a soft hyphen
        "Supercalifragilisticexpialidocious" * 3,  # wider than its line: split
    ],
)
def test_what_it_does_not_cover_is_left_to_reportlab(text):
    style = _styles()["body"]
    mine, _ = _pair(text, style, None)
    widths = [90.0, 100.0]
    assert simple_lines(mine, widths) is None
    assert widths == [90.0, 100.0]


@pytest.mark.parametrize(
    "text",
    [
        "knee\u00adcap <b>stretch</b>",  # a soft hyphen
        "<b>Supercalifragilistic</b>expialidocious" * 3,  # wider than its line: split
        "plain words only",  # one piece: `simple_lines`
    ],
)
def test_what_the_styled_breaking_does_not_cover_is_left_to_reportlab(text):
    mine, _ = _pair(text, _styles()["run_in"], None)
    widths = [90.0, 100.0]
    frags = list(mine.frags)
    assert styled_lines(mine, widths) is None
    assert widths == [90.0, 100.0]
    assert mine.frags == frags


def test_a_style_with_hyphenation_or_right_to_left_text_is_left_to_reportlab():
    style = _styles()["body"]
    for change in ({"hyphenationLang": "en_GB"}, {"wordWrap": "RTL"}, {"uriWasteReduce": 0.3},
                   {"embeddedHyphenation": 1}, {"endDots": "."}):  # fmt: skip
        changed = style.clone(f"changed-{len(change)}", **change)
        for text in ("a few plain words", "<b>a few</b> styled words"):
            mine, _ = _pair(text, changed, None)
            assert break_lines(mine, [100.0, 100.0]) is None, change


def test_the_sheet_breaks_most_paragraphs_without_reportlabs_loop(monkeypatch):
    from reportlab.platypus import Paragraph

    called = {"reportlab": 0}
    break_lines = Paragraph.breakLines

    def counting(self, width):
        called["reportlab"] += 1
        return break_lines(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    forget()
    from protocol_kit.render import lines

    ours = {"simple": 0, "styled": 0}
    for name in ours:
        answer = getattr(lines, f"{name}_lines")

        def counting_ours(paragraph, width, answer=answer, name=name):
            made = answer(paragraph, width)
            ours[name] += made is not None
            return made

        monkeypatch.setattr(lines, f"{name}_lines", counting_ours)
    render(EXAMPLES[0], fresh=True)
    assert ours["simple"] > 10 * called["reportlab"]
    assert ours["styled"] > 3 * called["reportlab"]


def test_a_texts_words_are_made_once_for_every_width_it_is_broken_at(monkeypatch):
    from reportlab.platypus import paragraph as paragraphs

    made = []
    make = paragraphs._getFragWords

    def counting(frags, width=None):
        made.append(width)
        return make(frags, width)

    monkeypatch.setattr(paragraphs, "_getFragWords", counting)
    forget()
    style = _styles()["run_in"]
    text = "<b>Starting position: </b>" + " ".join(f"word{n}" for n in range(40))
    broken = []
    for width in (400.0, 250.0, 120.0, 400.0):
        mine, theirs = _pair(text, style, None)
        ours = break_lines(mine, [width, width])
        assert _plain(ours) == _plain(paragraphs.Paragraph.breakLines(theirs, [width, width]))
        broken.append(len(ours.lines))
    assert len(made) == 1 + 4  # ours once; reportlab's own breaking each time
    assert broken[0] < broken[1] < broken[2] and broken[3] == broken[0]
