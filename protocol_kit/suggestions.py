"""The "did you mean …?" of a message: the known name a mistyped one was probably meant to be
(an unknown field, a library exercise id, a prescription's exercise)."""

from __future__ import annotations

from collections.abc import Iterable


def closest_name(name: str, known: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The known name `name` was probably meant to be: a close spelling ('stop_criterea' for
    'stop_criteria', 'chin-tuk' for 'chin-tuck'), else the one known name it abbreviates ('hold'
    for 'hold_seconds', 'reps' for 'repetitions'). None when there is no such name, or more
    than one. A lower `cutoff` accepts looser spellings ('telephone' for 'phone')."""
    import difflib  # only for files with a mistake

    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=cutoff)
    if close:
        return close[0]
    lowered = name.lower()
    if len(lowered) < 3:
        return None
    shortened = [k for k in known if k.startswith(lowered[:3]) and _abbreviates(lowered, k)]
    return shortened[0] if len(shortened) == 1 else None


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.75) -> str:
    """` (did you mean 'x'?)`, or nothing when no known name is close."""
    close = closest_name(name, known, cutoff)
    return f" (did you mean '{close}'?)" if close else ""


def _abbreviates(short: str, name: str) -> bool:
    """Whether `short` is `name` with letters left out ('reps' of 'repetitions')."""
    letters = iter(name)
    return all(char in letters for char in short)
