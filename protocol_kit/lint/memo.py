"""The lint's run memo: answers about content that repeats across files, kept for one run and
bounded by the bytes they hold, not by their number.

Bounded by entries alone (30,000 answers, 50,000 text verdicts, 30,000 section keys), the
memo's size followed the length of the texts it held: short on the examples, but a clinic whose
files each have their own texts (up to 10,000 characters a string) filled the same number of
entries with many times the bytes, and `protokit validate` grew from 1,000 to 100,000 files
(issue 17). Here each answer is weighed as it is kept (`weight`: the sizes of its strings,
tuples and records, as `sys.getsizeof` gives them, and a dictionary slot), and the tables
kept inside the memo (the section keys, the text verdicts) add what they keep with `charge`.
When the weight passes `BUDGET`, or the number of answers `LIMIT`, the memo starts again.
"""

from __future__ import annotations

from protocol_kit.bounded import ENTRY_BYTES, weight
from protocol_kit.lean_imports import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


def _kind(key: Any) -> Any:
    """A memo key's kind: its first member (a key may be a bare string)."""
    if isinstance(key, tuple):
        return key[0] if key else None
    return key


class RunMemo(dict):
    """The lint's cache for one run: results about content that repeats across files. Bounded,
    so that a run over 100,000 files keeps the memory it had after 1,000: keys that name one
    file's own exercises never repeat, and when the cache is full it starts again (it is only
    a cache; the next file works its answers out again).

    Full is `BUDGET` bytes (`weight` of every key and answer kept, and what the tables kept in
    it `charge`), or `LIMIT` answers. It starts again with the answers of the kinds in
    `LASTING` kept (a key's kind is its first member): used by many files and dear to work
    out again (a set of poses is placed and checked in about 8 ms). They are kept only while
    they are fewer than `LIMIT // 2` and weigh less than `BUDGET // 2`, so the cache stays
    bounded.

    8 MB (thirty-third sitting): on files that draw their exercises, doses and parts at random
    (benchmarks/corpus.py), new combinations keep coming, and 4 MB was full twice in a
    one-process first run of 10,000 files and once in each worker of a default-jobs one: half
    of 4 MB could not keep the anchors and the rules' answers by part (lasting, 3.4 MB in all),
    and working them out again was 4.5 % of a worker's instructions. At 8 MB neither starts
    again, and the largest process of a first run is 0.4 MB larger at 10,000 files and 1.7 MB
    at 100,000 (kept runs unchanged). A run over copies of a clinic's files fills 8 MB between
    1,000 and 100,000 files (about 6.5 MB of answers by 10,000); 2 MB cost 12 % more CPU (the
    poses and each exercise's answers worked out again; docs/performance.md,
    issue 17). Files with texts of their own fill it sooner, with the same bytes. Answers are
    tuples, so the many empty ones are one object (`()`), and no rule can change a kept answer
    in place."""

    LIMIT = 30_000
    BUDGET = 8 * 1024 * 1024
    # The kinds kept when the memo starts again, dearest first: the first three, few; then
    # the lint's own tables of answers about each part of a file by its content's number
    # (`lint.base.token`, whose table comes first, so that a part seen again has its number
    # again): each exercise's answers, what each part's object was found to be
    # (`lint.anchors`), each rule's answers about each exercise. On copies of a clinic's files
    # they are what most files need; dropped with the rest, every file met its parts anew
    # after each start (issue 17, twentieth sitting).
    LASTING = (
        "poses",
        "active-rules",
        "template-choices",
        "section-tokens",
        "exercise-answers",
        "anchors",
        "answers",
    )

    __slots__ = ("held",)

    def __init__(self) -> None:
        super().__init__()
        self.held = 0  # bytes, by `weight` and `charge`

    def __setitem__(self, key: Any, value: Any) -> None:
        if key not in self:
            if len(self) >= self.LIMIT or self.held >= self.BUDGET:
                self._start_again()
            # An empty answer is one shared object: only its key and slot are new.
            self.held += ENTRY_BYTES + weight(key) + (weight(value) if value else 0)
        super().__setitem__(key, value)

    def charge(self, size: int) -> None:
        """Count `size` more bytes held by an answer kept earlier (a table that grows: the
        section keys, the text verdicts). Past the budget the memo starts again at once: the
        table then starts again too (the next file makes a new one), as the memo no longer
        holds it; the caller may finish its file with the old one."""
        self.held += size
        if self.held >= self.BUDGET:
            self._start_again()

    def clear(self) -> None:
        super().clear()
        self.held = 0

    def _start_again(self) -> None:
        """Empty the memo but for answers of the `LASTING` kinds, kept in its order while
        they are fewer than `LIMIT // 2` and weigh less than `BUDGET // 2` together: one
        that would pass that is dropped (a number's answers dropped are worked out again; a
        number is never given to another key, `lint.base.token`)."""
        rank = {kind: place for place, kind in enumerate(self.LASTING)}
        lasting = [(key, value) for key, value in self.items() if _kind(key) in rank]
        self.clear()
        if len(lasting) >= self.LIMIT // 2:
            return
        lasting.sort(key=lambda item: rank[_kind(item[0])])
        held = 0
        for key, value in lasting:
            size = ENTRY_BYTES + weight(key) + _weight_kept(key, value)
            if held + size < self.BUDGET // 2:
                super().__setitem__(key, value)
                held += size
        self.held = held


def _weight_kept(key: Any, value: Any) -> int:
    """What an answer kept across a start holds. An anchor table (`lint.anchors`) holds
    parts of files the part tables hold anyway (`shared_parts.held`): it is charged an entry
    and each value for each of its keys, as it was when they were kept, not their parts."""
    if _kind(key) != "anchors":
        return weight(value)
    kept, seen_once, _ = value
    return sum(
        ENTRY_BYTES + weight(found) for table in (kept, seen_once) for _, found in table.values()
    )


def charge(memo: Any, size: int) -> None:
    """`RunMemo.charge` on a memo that is one (a rule tested with a plain dict has none)."""
    if type(memo) is RunMemo:
        memo.charge(size)
