"""A short list run in after its label ("You need: ..."), as the patient reads it: each item
as written, and a capital never after "; "."""

from sheet_helpers import EXAMPLE, pages_text, render


def test_an_item_written_with_a_capital_starts_a_sentence():
    # The kneeling hip flexor stretch needs "A cushion or folded towel under the kneeling
    # knee" and "A chair or wall within reach for balance": "...knee; A chair" read wrong.
    text = " ".join(" ".join(pages_text(render(EXAMPLE))).split())
    assert "kneeling knee. A chair or wall within reach for balance" in text
    assert "; A " not in text
