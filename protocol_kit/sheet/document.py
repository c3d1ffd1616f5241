"""The sheet as a neutral document: what is said, in reading order, and what each part is.

Plain frozen data, built by `protocol_kit.sheet.content` and printed by the writers (PDF in
`protocol_kit.render`, HTML in `protocol_kit.sheet.html`). Every string here is plain text,
exactly as the patient must read it: a writer escapes it for its format and never reads it as
markup. `Span.strong` is the only emphasis there is.

`walk_texts` yields every text of a document in reading order: the tests compare it with what
each format prints, and the font check reads every text through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Span:
    """A run of text; `strong` prints it in bold."""

    text: str
    strong: bool = False


Inline = tuple[Span, ...]


def plain(text: str) -> Inline:
    return (Span(text),)


def inline_text(content: Inline) -> str:
    return "".join(span.text for span in content)


# -- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The sheet's title: its one level-1 heading."""

    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph. `style`: body, lead (the protocol's summary), purpose (a card's first
    line), note (small print)."""

    content: Inline
    style: str = "body"


@dataclass(frozen=True)
class Items:
    """A list: bullets, or numbered steps (`ordered`)."""

    items: tuple[Inline, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Labelled:
    """A small heading and what it introduces, inside a section or a card ("Steps")."""

    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Field:
    """One line of the patient block: a label and its value; an empty value is a line to
    write on."""

    label: str
    value: str = ""


@dataclass(frozen=True)
class Fields:
    """The patient and prescriber block; `signature` is the line where the clinician signs."""

    fields: tuple[Field, ...]
    signature: Field | None = None


@dataclass(frozen=True)
class Caution:
    """A "Take care" box: precautions in the patient's words."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class StopGroup:
    """One group of the stop box: what to do (`heading`), when (`items`), and whom to call
    (`action`). `kind` is emergency, maternity, urgent or stop."""

    kind: str
    heading: str
    items: tuple[str, ...]
    action: Inline


@dataclass(frozen=True)
class StopBox:
    """ "Stop and seek care": printed whole, never split, first after the title."""

    title: str
    groups: tuple[StopGroup, ...]


@dataclass(frozen=True)
class PainBand:
    colour: str  # green, amber or red
    span: str  # "0–3"
    meaning: str


@dataclass(frozen=True)
class PainGuide:
    scale: str  # "Pain score: 0 = no pain, 10 = ..."
    bands: tuple[PainBand, ...]


@dataclass(frozen=True)
class DosageCell:
    label: str  # "Sets"
    value: str  # "3"
    wide: bool = False  # a phrase ("twice a day, every day"), not a number


@dataclass(frozen=True)
class DosageGrid:
    """Sets, repetitions or hold, how often, side: large, at a glance. `notes` are the rest
    (rest between sets, for how many weeks)."""

    cells: tuple[DosageCell, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Picture:
    """A picture of the exercise: a clinic's image file, or a drawing (`scene`, drawn in the
    PDF and written as SVG in the HTML), with its alt text; `caption` is printed under it."""

    alt: str
    caption: str | None = None
    file: str | None = None
    scene: Any = None
    where: str = ""  # names its source, for messages


@dataclass(frozen=True)
class Video:
    url: str
    label: str  # "Video: scan the code with a phone camera"
    caption: str | None = None


@dataclass(frozen=True)
class Card:
    """One exercise. The head (title, purpose, picture, dosage, "Take care", starting
    position and the first steps) is never split from itself; `beside` is printed beside the
    picture, `after` below it."""

    number: int
    title: str  # "1. Glute bridge"
    purpose: str
    dosage: DosageGrid
    picture: Picture | None
    take_care: Caution | None
    beside: tuple[Labelled, ...]  # starting position, steps
    after: tuple[Labelled, ...]  # you need, how it should feel, tips, avoid, easier, harder
    media: tuple[Picture | Video, ...] = ()  # further pictures and videos of the clinic


@dataclass(frozen=True)
class LogGrid:
    """The weekly log: a row of tick boxes (`boxes` per column, one per session) and a row
    for the pain score per week."""

    corner: str  # "Day"
    columns: tuple[str, ...]  # "Day 1" ... or "1" ... "7"
    boxes: int  # tick boxes in each column: sessions per day
    weeks: tuple[str, ...]  # "Week 1" ...
    ticks_label: str  # "Sessions done"
    pain_label: str  # "Pain (0–10)"
    scale_label: str  # "Pain guide"
    scale: tuple[tuple[int, str], ...]  # (score, band colour) for 0 to 10


Block = (
    Title
    | Para
    | Items
    | Labelled
    | Fields
    | Caution
    | StopBox
    | PainGuide
    | DosageGrid
    | Picture
    | Video
    | Card
    | LogGrid
)


@dataclass(frozen=True)
class Section:
    """A titled part of the sheet. `kind` names it for the writers' styles (stop, pain,
    notes, before, about, exercises, cool_down, log, credits, clinician)."""

    kind: str
    heading: str
    blocks: tuple[Block, ...]
    new_page: bool = False  # the clinician's page


@dataclass(frozen=True)
class ClinicHeader:
    name: str | None
    phone: str  # printed large, with its label
    details: tuple[str, ...]  # address lines, e-mail, website
    logo: str | None = None  # a file


@dataclass(frozen=True)
class Frame:
    """What every page repeats (PDF) or the page's head and foot (HTML)."""

    draft_banner: str | None
    running_header: str
    footer: Inline  # the clinic's and the emergency number, the protocol id and version
    page_words: str  # "Page {n} of {m}"
    continued: str  # "{name} (continued)"


@dataclass(frozen=True)
class Sheet:
    language: str  # the protocol's tag, e.g. en-GB
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    created: dt.datetime
    clinic: ClinicHeader
    frame: Frame
    body: tuple[Block | Section, ...]  # title block, stop box, ... in reading order
    card_names: tuple[str, ...] = ()
    large_print: bool = False
    paper: str = "A4"
    accent: str = "#1F5C99"
    source: str = ""  # the protocol file, for messages
    metadata: dict[str, str] = field(default_factory=dict)


# -- reading order -------------------------------------------------------------------------------


def walk_texts(sheet: Sheet) -> Iterator[str]:
    """Every text of the sheet's body, in reading order (the page frame apart)."""
    clinic = sheet.clinic
    if clinic.name:
        yield clinic.name
    yield clinic.phone
    yield from clinic.details
    for block in sheet.body:
        yield from block_texts(block)


def log_parts(section: Section) -> tuple[LogGrid | None, tuple[Block, ...]]:
    """The log's pain scale (0 to 10 in the guide's colours) is read right after the log's
    heading, before its instructions, in both formats: the grid that has it (the first),
    and the section's blocks with that grid's scale taken out. (None, the blocks) for a
    section without a scale."""
    blocks = list(section.blocks)
    for n, block in enumerate(blocks):
        if isinstance(block, LogGrid) and block.scale:
            blocks[n] = replace(block, scale=())
            return block, tuple(blocks)
    return None, section.blocks


def block_texts(block: Any) -> Iterator[str]:
    if isinstance(block, Section):
        yield block.heading
        scale, blocks = log_parts(block) if block.kind == "log" else (None, block.blocks)
        if scale is not None:
            yield scale.scale_label
        for child in blocks:
            yield from block_texts(child)
    elif isinstance(block, Title):
        yield block.text
    elif isinstance(block, Para):
        yield inline_text(block.content)
    elif isinstance(block, Items):
        yield from (inline_text(item) for item in block.items)
    elif isinstance(block, Labelled):
        yield block.label
        for child in block.blocks:
            yield from block_texts(child)
    elif isinstance(block, Fields):
        for item in (*block.fields, *([block.signature] if block.signature else [])):
            yield item.label
            if item.value:
                yield item.value
    elif isinstance(block, Caution):
        yield block.title
        yield from block.items
    elif isinstance(block, StopBox):
        yield block.title
        for group in block.groups:
            yield group.heading
            yield from group.items
            yield inline_text(group.action)
    elif isinstance(block, PainGuide):
        yield block.scale
        for band in block.bands:
            yield band.span
            yield band.meaning
    elif isinstance(block, DosageGrid):
        for cell in block.cells:
            yield cell.label
            yield cell.value
        yield from block.notes
    elif isinstance(block, Picture):
        if block.caption:
            yield block.caption
    elif isinstance(block, Video):
        yield block.label
        if block.caption:
            yield block.caption
        yield block.url
    elif isinstance(block, Card):
        yield block.title
        yield block.purpose
        yield from block_texts(block.dosage)
        if block.take_care:
            yield from block_texts(block.take_care)
        if block.picture:
            yield from block_texts(block.picture)
        for part in (*block.beside, *block.after, *block.media):
            yield from block_texts(part)
    elif isinstance(block, LogGrid):
        if block.scale:
            yield block.scale_label
        yield block.corner
        yield from block.columns
        for week in block.weeks:
            yield week
            yield block.ticks_label
            yield block.pain_label
    else:  # a new kind of block must say what it prints
        raise TypeError(f"unknown block {type(block).__name__}")
