"""The checklist as text (a terminal), JSON (a tool) or Markdown (a paper's appendix)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from protocol_kit.checklist import COVERED, ItemResult, counts
from protocol_kit.untrusted.text import printable


def minutes_phrase(minutes: float) -> str:
    rounded = round(minutes)
    if rounded < 1:
        return "under a minute"
    return f"about {rounded} minute{'s' * (rounded != 1)}"


def summary_line(results: Sequence[ItemResult]) -> str:
    found = counts(results)
    return ", ".join(f"{n} {status}" for status, n in found.items() if n)


def as_text(path: str, results: Sequence[ItemResult], minutes: float) -> str:
    lines = [f"{printable(path)}: one session takes {minutes_phrase(minutes)}"]
    standard = None
    for result in results:
        item = result.item
        if item.standard != standard:
            standard = item.standard
            lines += ["", standard]
        fields = f"  [{item.fields}]" if item.fields and result.status == COVERED else ""
        lines.append(f"  {item.number:<4} {result.status:<15} {item.title}{fields}")
        if result.status != COVERED:
            lines += [f"{'':22}- {note}" for note in result.notes]
    lines += ["", summary_line(results)]
    return "\n".join(lines)


def as_json(path: str, results: Sequence[ItemResult], minutes: float) -> str:
    payload = {
        "protocol": path,
        "session_minutes": round(minutes, 1),
        "counts": counts(results),
        "items": [
            {
                "standard": r.item.standard,
                "item": r.item.number,
                "title": r.item.title,
                "status": r.status,
                "fields": r.item.fields,
                "notes": list(r.notes),
            }
            for r in results
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _cell(text: str) -> str:
    """Table cell text: pipes escaped, and nothing read as Markdown markup."""
    out = text.replace("\\", "\\\\").replace("|", "\\|")
    for mark in "`*_[]<>#":
        out = out.replace(mark, "\\" + mark)
    return " ".join(out.split())


def as_markdown(path: str, results: Sequence[ItemResult], minutes: float) -> str:
    lines = [
        f"## CERT and TIDieR checklist: {_cell(printable(path))}",
        "",
        f"One session takes {minutes_phrase(minutes)}. {summary_line(results).capitalize()}.",
        "",
        "| Standard | Item | Description | Status | Where in the protocol | Notes |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        notes = "; ".join(_cell(n) for n in r.notes) if r.status != COVERED else ""
        lines.append(
            f"| {r.item.standard} | {r.item.number} | {_cell(r.item.title)} | {r.status} | "
            f"{_cell(r.item.fields)} | {notes} |"
        )
    return "\n".join(lines)


FORMATS = {"text": as_text, "json": as_json, "markdown": as_markdown}
