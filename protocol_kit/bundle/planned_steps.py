"""An import plan's steps, kept as rows in a temporary file rather than as objects (issue 17).

A plan has one step for every protocol of the bundle: its action, paths, reason and the
files it writes. Held as objects they were the most of what `bundle import --dry-run` of
10,000 protocols held beyond `verify` (about 10 MB: a `Step`, `Incoming`, `Write` and `Path`
each). Each step is therefore written as it is planned, as one row of plain values (see
`rows`), and made into a `Step` again each time the plan is read, in the order it was
planned; only the counts the report needs are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from protocol_kit.bundle.rows import Rows

if TYPE_CHECKING:
    from protocol_kit.bundle.importer import Action, Step


class PlannedSteps:
    """Steps in the order they were planned: `append`, then read as often as needed."""

    def __init__(self) -> None:
        self._rows = Rows("the import's plan")
        self._readers: list[Callable[[str], bytes]] = []  # each bundle's `read`, once
        self.counts: Counter[Action] = Counter()
        self.backups = 0  # steps that keep a local copy beside their file

    def append(self, step: Step) -> None:
        from protocol_kit.bundle.importer import row_of

        self._rows.append(row_of(step, self._reader_index(step.incoming.read)))
        self.counts[step.action] += 1
        self.backups += step.backup is not None

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Step]:
        from protocol_kit.bundle.importer import step_of

        return (step_of(row, self._readers) for row in self._rows)

    def _reader_index(self, read: Callable[[str], bytes]) -> int:
        for index, known in enumerate(self._readers):
            if known == read:  # bound methods of one object are equal, not identical
                return index
        self._readers.append(read)
        return len(self._readers) - 1
