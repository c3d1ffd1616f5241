"""Patient text in FHIR: never interpreted as markup, never missing a language.

Some FHIR elements are `markdown`. A protocol's text is plain text, so before it goes into one
every character that markdown would read as syntax is escaped with a backslash (CommonMark lets
any ASCII punctuation be escaped): a step written `*slowly*` shows the asterisks rather than
turning into emphasis, `<b>` is shown rather than read as HTML, `1.` at the start of a line stays
text rather than starting a list. A line break stays a line break (a hard break); the blanks
at the start of a line are dropped, as markdown would read four of them as code (the sheet does
not print them either).

A protocol with translations gives every text in each language. FHIR carries the primary
language in the element and the others in the standard `translation` extension on the element
(`_title`, `_description`, ...), so no language is lost on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from protocol_kit.fhir.codes import TRANSLATION
from protocol_kit.model import Text

# Characters that are markdown syntax wherever they appear in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>&~|!])")
# Markers that are syntax at the start of a line: headings, lists, quotes, setext underlines,
# ordered list numbers ("1." or "1)").
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """`text` as markdown that renders as exactly this text."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        match = _LINE_START.match(line)
        if match:
            indent, marker = match.groups()
            rest = line[match.end() :]
            # After a number, escape the "." or ")" that would make it a list item.
            escaped = f"{marker}\\{rest}" if marker.isdigit() else f"\\{marker}{rest}"
            line = indent + escaped
        lines.append(line.lstrip(" \t"))
    # A line break inside a paragraph is a soft break in markdown, shown as a space: two
    # instructions on two lines would be read as one. A backslash at the end of a line makes it
    # a hard break (the importer reads it back as the line break); not before a blank line,
    # where the paragraph ends anyway and the backslash would be shown.
    return "\n".join(
        f"{line}\\" if line.strip() and following.strip() else line
        for line, following in zip(lines, [*lines[1:], ""], strict=True)
    )


def plain(text: Text, languages: tuple[str, ...]) -> dict[str, str]:
    """A text's value in each language, for a `string` element."""
    return {language: text.get(language) for language in languages}


def markdown(text: Text, languages: tuple[str, ...]) -> dict[str, str]:
    """A text's value in each language, escaped for a `markdown` element."""
    return {language: escape_markdown(text.get(language)) for language in languages}


def joined(texts: Iterable[Text], languages: tuple[str, ...], numbered: bool) -> dict[str, str]:
    """Several texts as one `markdown` value per language: paragraphs, or a numbered list. Each
    text is escaped; only the list numbers are markdown."""
    items = list(texts)
    result = {}
    for language in languages:
        parts = [escape_markdown(t.get(language)) for t in items]
        if numbered:
            result[language] = "\n".join(f"{n}. {part}" for n, part in enumerate(parts, 1))
        else:
            result[language] = "\n\n".join(parts)
    return result


def put_text(element: dict[str, Any], name: str, values: dict[str, str], primary: str) -> None:
    """Set `element[name]` to the value in the primary language and `element["_" + name]` to
    the other languages' values as `translation` extensions."""
    element[name] = values[primary]
    translations = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": value},
            ],
        }
        for language, value in values.items()
        if language != primary
    ]
    if translations:
        element[f"_{name}"] = {"extension": translations}
