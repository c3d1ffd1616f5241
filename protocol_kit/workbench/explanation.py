"""A rule's explanation as the workbench shows it.

`protokit rules CODE` prints the rule's documentation wrapped for a terminal (lines of about 90
characters). The page shows it in a box narrower than that, where each of those lines broke
again: a paragraph read as a ragged column, a line of a few words after each long one. Here
a paragraph is one line, for the page to wrap at the box's width; what is not prose keeps its
lines: the heading (the code, its one-line summary), the examples (indented) and list items.
"""

from __future__ import annotations

import re

# A line that starts a line of its own in a paragraph: a list item ("- ", "* ", "1. ").
_LIST_ITEM = re.compile(r"(?:[-*]|\d+[.)])\s")


def flowing(text: str) -> str:
    """`text` with the lines of each prose paragraph joined by spaces; the first paragraph
    (the heading), blank lines, indented lines and list items as they are."""
    heading, blank, body = text.partition("\n\n")
    if not blank:
        return text
    lines: list[str] = []
    joinable = False  # whether the line before is prose that the next prose line continues
    for line in body.split("\n"):
        prose = bool(line.strip()) and not line[:1].isspace()
        if prose and joinable and not _LIST_ITEM.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        joinable = prose
    return f"{heading}\n\n" + "\n".join(lines)
