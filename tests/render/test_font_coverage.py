"""`protocol_kit.font_coverage` (what `protokit validate` believes the sheet font can print)
must be exactly what the embedded font can print, or TEXT004 would pass a character that the
sheet then refuses, or refuse one that prints.

After a font change, regenerate the module with:

    python tests/render/test_font_coverage.py > protocol_kit/font_coverage.py
"""

from __future__ import annotations

from protocol_kit import font_coverage
from protocol_kit.render.fonts import LAYOUT, sheet_fonts


def _ranges(codes: set[int]) -> list[tuple[int, int]]:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return [(first, last) for first, last in ranges]


def module_text() -> str:
    printable = set(sheet_fonts().covered) | {ord(c) for c in LAYOUT}
    rows = "".join(f"    (0x{first:04X}, 0x{last:04X}),\n" for first, last in _ranges(printable))
    return (
        '"""The characters the sheet font can print, as ranges of code points, for checks that\n'
        "must not load the font (`protokit validate`). Generated from the embedded font by\n"
        "tests/render/test_font_coverage.py, which also checks that it is current.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import re\n\n"
        "from protocol_kit.patterns import compiled\n\n"
        f"PRINTABLE = (\n{rows})\n\n"
        "# One character the font cannot print; a character class, so the search runs in C.\n"
        "UNPRINTABLE = compiled(\n"
        '    "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in PRINTABLE)'
        ' + "]"\n'
        ")\n"
    )


def test_the_coverage_table_is_the_fonts_own() -> None:
    with open(font_coverage.__file__, encoding="utf-8") as handle:
        assert handle.read() == module_text(), "regenerate: see this file's docstring"


def test_the_pattern_agrees_with_the_font_on_every_code_point() -> None:
    printable = set(sheet_fonts().covered) | {ord(c) for c in LAYOUT}
    wrong = [
        code
        for code in range(0x3000)
        if (font_coverage.UNPRINTABLE.match(chr(code)) is None) != (code in printable)
    ]
    assert wrong == []


if __name__ == "__main__":
    print(module_text(), end="")
