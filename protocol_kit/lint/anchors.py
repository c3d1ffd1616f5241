"""Keys of a file's parts found again by the parts themselves (issue 17).

`protokit validate` shares the parts many files have alike (`protocol_kit.shared_parts`): a
clinic's safety section, delivery and summary, an exercise copied between protocols, a
reference to a library exercise with the same dosage are, in each file that has them, the
very objects built for an earlier file. The lint's keys of such a part (`lint.base`'s
`section_key`, `exercise_key`) were worked out again in every file all the same, from its
texts or its data as written: on copies of a clinic's files those keys, not the rules'
answers, were most of what was left of the lint's cost (about 90 µs of 455 a protocol).

`anchored` keeps a key with the objects it was worked out from, and gives it again for the
same objects. It holds the objects, so that no other object can take their `id` meanwhile:
the last few seen once (`TRIAL`), and those that came back (`KEPT`, a clinic's parts in use
at once). A key is kept only while the part tables (`shared_parts.held`) keep every object it
was worked out from: an object they have let go, or never kept (a part built once), is never
met again, as a later file gets a new one, and a key kept with it held it alive outside every
budget (up to `KEPT` exercises a table, 3.5 MB at 1,000 files and more as the run went on:
issue 17). The tables live in the run memo, which drops them when it starts again. The caller
names every object its key reads (and strings, compared by value): the same objects, the same
key.
"""

from __future__ import annotations

from collections.abc import Callable

from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lint.memo import ENTRY_BYTES, charge
from protocol_kit.shared_parts import dropped, held

if TYPE_CHECKING:
    from typing import Any

# How many keys a table holds with their objects after they came back, and how many of
# objects seen once: a clinic's parts in use at once are a few dozen protocol sections and a
# few hundred exercises (`SharedParts` keeps 64 protocols, 512 exercises and 256 references,
# which are then the objects held here: since the thirtieth sitting more than `KEPT`, so a key
# whose part is still held may be let go and worked out again; not measured yet, issue 17).
# Objects seen once are held only until `TRIAL` others
# come: a part one file alone has (every part of a clinic's own files) is soon let go.
KEPT = 512
TRIAL = 32
# How many parts the part tables let go of before a table looks for keys whose objects they
# no longer hold: a look is one pass over at most `KEPT + TRIAL` keys (tens of µs), so not at
# every part let go; up to this many parts' keys wait a while for it.
LOOK_AFTER = 32


def anchored(context: Any, name: Any, parts: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, a key of `parts` (objects, or strings compared by value) and nothing else,
    given again without working it out for the same objects. (An exercise's numbers are kept
    with the exercise itself, `shared_parts.kept_with`.)"""
    memo = context.memo
    table = memo.get(("anchors", name))
    if table is None:
        table = memo[("anchors", name)] = ({}, {}, [dropped()])
    kept, seen_once, looked = table
    # Each object by its `id`, which no other object can have while the table holds it.
    ids = tuple([part if type(part) is str else id(part) for part in parts])
    found = kept.get(ids)
    if found is not None:
        return found[1]
    found = seen_once.pop(ids, None)
    if found is not None:  # come back: kept from now on
        if len(kept) >= KEPT:
            del kept[next(iter(kept))]
        kept[ids] = found
        return found[1]
    value = compute()
    for part in parts:
        if type(part) is not str and part is not None and not held(part):
            return value  # never met again: not kept
    if dropped() - looked[0] >= LOOK_AFTER:
        looked[0] = dropped()
        _let_go_of_dropped(kept)
        _let_go_of_dropped(seen_once)
    if len(seen_once) >= TRIAL:
        del seen_once[next(iter(seen_once))]
    seen_once[ids] = (parts, value)
    charge(memo, ENTRY_BYTES)
    return value


def _let_go_of_dropped(table: dict) -> None:
    """Remove the keys of `table` one of whose objects the part tables no longer hold."""
    gone = [
        ids
        for ids, (parts, _) in table.items()
        if not all(type(part) is str or part is None or held(part) for part in parts)
    ]
    for ids in gone:
        del table[ids]
