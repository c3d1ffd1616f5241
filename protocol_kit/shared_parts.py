"""Parts of protocol models that are the same in many files, built once and shared.

`protokit validate` builds each protocol's model only to find its problems, and many files
hold the same parts: an exercise copied between protocols, one clinic's safety section and
delivery in every file, a reference to a library exercise with the same dosage. Building the
records of such a part (its texts, each with its place) was most of the CPU of "library
references" and "model" after parsing (issue 17).

A shared part names no file: each of its places is its JSON pointer alone, with the file
left empty (`model.ANY_FILE`). The pointer is the same in every file that shares the part
(a part is shared only where it sits at the same place: an exercise with the same index),
and a finding takes its file from the protocol being checked, never from the part; what
needs the file itself (an image, which is found beside the file naming it) is built for each
file. So the models are shared by `validate` alone (`CheckOptions.share_parts`); a sheet, a
bundle or an export is made from a model whose every place names its file.
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class PartTable:
    """Parts by what they were built from, bounded in two tiers, each giving up its least
    recently used part first: a part seen in one file only waits among the last `trial`
    new ones, and one found again is kept among `kept`. A clinic's own files, whose parts
    all differ, so hold at most `trial` parts, never `kept`; a run over 100,000 files holds
    what it held after 1,000."""

    def __init__(self, kept: int, trial: int) -> None:
        self._kept_limit, self._trial_limit = kept, trial
        self._kept: OrderedDict[bytes, Any] = OrderedDict()
        self._trial: OrderedDict[bytes, Any] = OrderedDict()

    def part(
        self, kind: Any, language: str, data: Mapping[str, Any], build: Callable[..., T], *args: Any
    ) -> T:
        """The part `build(*args)` makes from `data` in `language`. `kind` says which part and
        where it sits (`("exercise", 2)`): the same data elsewhere in a file has other places.

        Keyed by the three as `marshal` writes them (format 2, which never refers back to an
        object written before): keys in the order written, each value with its type (`1`,
        `1.0`, `true` and `"1"` all told apart), and `marshal.loads` reads the bytes back to
        an equal object, so two parts that differ never have one key. The bytes themselves,
        not a digest of them as the lint's keys (`lint.base._written_at`): a digest cost half
        as much again as writing them (5.8 KB for a protocol's part), and the bytes are
        compared whole when found, so that no file, however made, can be given another's
        part. They take about a fifth of a part's memory."""
        key = marshal.dumps((kind, language, data), 2)
        kept = self._kept
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
        trial = self._trial
        found = trial.pop(key, None)
        if found is not None:
            kept[key] = found
            if len(kept) > self._kept_limit:
                kept.popitem(last=False)
            return found
        found = trial[key] = build(*args)
        if len(trial) > self._trial_limit:
            trial.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._kept) + len(self._trial)


class SharedParts:
    """The tables of one process's run (`app.check.FileChecker`)."""

    def __init__(self) -> None:
        # Exercises written in protocols, safety sections, deliveries: about 10 KB each.
        self.parts = PartTable(kept=512, trial=64)
        # References to library exercises: many more (each dosage override is one), each
        # small (the library's exercise is shared already), kept apart so that they never
        # push the parts above out.
        self.references = PartTable(kept=2048, trial=1024)

