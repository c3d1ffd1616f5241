"""The sheet document as one self-contained HTML file: the accessible twin of the PDF.

The same document, so the same texts in the same order: the clinic, the title, the stop box
first, and so on. Semantic HTML (one h1, sections with h2, cards as articles with h3 and h4,
lists, tables with header cells, figures with alt text), the CSS of `sheet.css` inlined, the
clinic's pictures inlined as data URLs and drawings as inline SVG: nothing is fetched. Every
text is escaped with `html.escape`: text from a file is never read as markup. The same
document gives the same bytes.
"""

from __future__ import annotations

import base64
import functools
import html
import re

from protocol_kit.sheet.colours import readable_accent
from protocol_kit.sheet.document import (
    Card,
    Caution,
    DosageGrid,
    Fields,
    Inline,
    Items,
    Labelled,
    LogGrid,
    PainGuide,
    Para,
    Picture,
    Section,
    Sheet,
    StopBox,
    Title,
    Video,
    log_parts,
)

WIDE = ' class="wide"'


def e(text: str) -> str:
    """Text as element content that shows it literally, its line breaks kept (as the PDF keeps
    them: a therapist's line per step of a sequence must not run together)."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def attribute(text: str) -> str:
    """Text as an attribute's value (or a `<title>`), shown literally: no markup at all."""
    return html.escape(text, quote=True)


def rich(content: Inline) -> str:
    return "".join(
        f"<strong>{e(span.text)}</strong>" if span.strong else e(span.text) for span in content
    )


@functools.cache
def stylesheet() -> str:
    from protocol_kit.package_data import read_text

    return read_text(__package__, "sheet.css")


def write_html(sheet: Sheet) -> str:
    return _Html(sheet).document()


class _Html:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.ids: dict[str, int] = {}

    def anchor(self, kind: str) -> str:
        """A unique id for a heading: stop-1, card-2 ..."""
        self.ids[kind] = self.ids.get(kind, 0) + 1
        return f"{kind}-{self.ids[kind]}"

    def document(self) -> str:
        sheet = self.sheet
        accent = readable_accent(sheet.accent)
        body_class = ' class="large-print"' if sheet.large_print else ""
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{attribute(sheet.language)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{attribute(sheet.title)}</title>",
            f'<meta name="author" content="{attribute(sheet.author)}">',
            f'<meta name="description" content="{attribute(sheet.subject)}">',
            '<meta name="generator" content="protocol-kit">',
            f"<style>:root {{ --accent: {accent}; }}\n{stylesheet()}</style>",
            "</head>",
            f"<body{body_class}>",
        ]
        banner = sheet.frame.draft_banner
        if banner:
            parts.append(f'<p class="draft-banner">{e(banner)}</p>')
        parts.append(self.clinic())
        parts.append("<main>")
        parts += [self.block(block) for block in sheet.body]
        parts.append("</main>")
        parts.append(f"<footer><p>{rich(sheet.frame.footer)}</p></footer>")
        parts += ["</body>", "</html>", ""]
        return "\n".join(parts)

    def clinic(self) -> str:
        clinic = self.sheet.clinic
        out = ['<header class="clinic">', "<div>"]
        if clinic.logo:
            out.append(f'<img class="clinic-logo" src="{data_url(clinic.logo, "logo")}" alt="">')
        if clinic.name:
            out.append(f'<p class="clinic-name">{e(clinic.name)}</p>')
        if clinic.details:
            out.append(f'<p class="clinic-details">{e("  ·  ".join(clinic.details))}</p>')
        out.append("</div>")
        out.append(f'<p class="clinic-phone">{e(clinic.phone)}</p>')
        out.append("</header>")
        return "\n".join(out)

    # -- blocks ----------------------------------------------------------------------------------

    def block(self, block: object, level: int = 2) -> str:
        if isinstance(block, Title):
            return f"<h1>{e(block.text)}</h1>"
        if isinstance(block, Section):
            return self.section(block)
        if isinstance(block, StopBox):
            return self.stop_box(block)
        if isinstance(block, Para):
            css = "" if block.style == "body" else f' class="{block.style}"'
            return f"<p{css}>{rich(block.content)}</p>"
        if isinstance(block, Items):
            return self.items(block)
        if isinstance(block, Labelled):
            inner = "\n".join(self.block(child, level + 1) for child in block.blocks)
            return f"<h{level + 1}>{e(block.label)}</h{level + 1}>\n{inner}"
        if isinstance(block, Fields):
            return self.fields(block)
        if isinstance(block, Caution):
            return self.caution(block, level + 1)
        if isinstance(block, PainGuide):
            return self.pain_guide(block)
        if isinstance(block, Card):
            return self.card(block)
        if isinstance(block, LogGrid):
            return self.log(block)
        if isinstance(block, Picture):
            return self.figure(block)
        if isinstance(block, Video):
            return self.video(block)
        if isinstance(block, DosageGrid):
            return self.dosage(block)
        raise TypeError(f"unknown block {type(block).__name__}")

    def section(self, section: Section) -> str:
        anchor = self.anchor(section.kind)
        scale, blocks = log_parts(section) if section.kind == "log" else (None, section.blocks)
        inner = "\n".join(self.block(child) for child in blocks)
        if scale is not None:  # the log's scale first, as the PDF prints it
            inner = self.log_scale(scale) + inner
        css = f"{section.kind}-section"
        return (
            f'<section class="{css}" aria-labelledby="{anchor}">\n'
            f'<h2 id="{anchor}">{e(section.heading)}</h2>\n{inner}\n</section>'
        )

    def items(self, block: Items) -> str:
        tag = "ol" if block.ordered else "ul"
        lines = "\n".join(f"<li>{rich(item)}</li>" for item in block.items)
        return f"<{tag}>\n{lines}\n</{tag}>"

    def stop_box(self, box: StopBox) -> str:
        anchor = self.anchor("stop")
        out = [
            f'<section class="stop" aria-labelledby="{anchor}">',
            f'<h2 id="{anchor}">{e(box.title)}</h2>',
        ]
        for group in box.groups:
            items = "\n".join(f"<li>{e(item)}</li>" for item in group.items)
            out += [
                f'<div class="stop-group stop-group-{group.kind}">',
                f"<h3>{e(group.heading)}</h3>",
                f"<ul>\n{items}\n</ul>",
                f'<p class="action">{rich(group.action)}</p>',
                "</div>",
            ]
        out.append("</section>")
        return "\n".join(out)

    def fields(self, block: Fields) -> str:
        rows = []
        for item in (*block.fields, *([block.signature] if block.signature else [])):
            css = ' class="signature"' if item is block.signature else ""
            rows.append(f"<div{css}><dt>{e(item.label)}</dt><dd>{e(item.value)}</dd></div>")
        return '<dl class="people">\n' + "\n".join(rows) + "\n</dl>"

    def caution(self, block: Caution, level: int) -> str:
        items = "\n".join(f"<li>{e(item)}</li>" for item in block.items)
        return (
            f'<div class="caution">\n<h{level}>{e(block.title)}</h{level}>\n'
            f"<ul>\n{items}\n</ul>\n</div>"
        )

    def pain_guide(self, guide: PainGuide) -> str:
        rows = "\n".join(
            f'<tr><th scope="row" class="band-{band.colour}">{e(band.span)}</th>'
            f"<td>{e(band.meaning)}</td></tr>"
            for band in guide.bands
        )
        return f'<p>{e(guide.scale)}</p>\n<table class="pain">\n<tbody>\n{rows}\n</tbody>\n</table>'

    def dosage(self, grid: DosageGrid) -> str:
        cells = "\n".join(
            f"<div{WIDE if cell.wide else ''}>"
            f"<dt>{e(cell.label)}</dt><dd>{e(cell.value)}</dd></div>"
            for cell in grid.cells
        )
        out = f'<dl class="dosage">\n{cells}\n</dl>'
        if grid.notes:
            out += f'\n<p class="dosage-notes">{e(" · ".join(grid.notes))}</p>'
        return out

    def card(self, card: Card) -> str:
        anchor = self.anchor("card")
        out = [
            f'<article class="card" aria-labelledby="{anchor}">',
            '<div class="card-head">',
            f'<h3 id="{anchor}">{e(card.title)}</h3>',
            f'<p class="purpose">{e(card.purpose)}</p>',
            self.dosage(card.dosage),
            '<div class="card-body">',
        ]
        if card.picture is not None:
            out.append(self.figure(card.picture, card.title))
        beside = [self.caution(card.take_care, 4)] if card.take_care else []
        beside += [self.block(part, 3) for part in card.beside]
        out += ['<div class="beside">', *beside, "</div>", "</div>", "</div>"]
        if card.after:
            after = "\n".join(f"<div>{self.block(part, 3)}</div>" for part in card.after)
            out.append(f'<div class="after">\n{after}\n</div>')
        out += [self.block(item) for item in card.media]
        out.append("</article>")
        return "\n".join(out)

    def figure(self, picture: Picture, name: str | None = None) -> str:
        if picture.scene is not None:
            from protocol_kit.sheet.pictures import drawing_svg

            # Made by protocol_kit.illustration.svg from the exercise's poses, its alt text
            # escaped there: our own markup, not text from a file.
            image = drawing_svg(picture, self.anchor("picture"), name)
        elif picture.file is not None:
            source = data_url(picture.file, picture.where)
            image = f'<img src="{source}" alt="{attribute(picture.alt)}">'
        else:
            return ""
        caption = f"<figcaption>{e(picture.caption)}</figcaption>" if picture.caption else ""
        return f"<figure>{image}{caption}</figure>"

    def video(self, video: Video) -> str:
        link = (
            f'<a href="{attribute(video.url)}">{e(video.url)}</a>'
            if re.match(r"(?i)https?://", video.url)
            else e(video.url)
        )
        caption = f" {e(video.caption)}" if video.caption else ""
        return f'<p class="video">{e(video.label)}{caption}: {link}</p>'

    def log_scale(self, grid: LogGrid) -> str:
        scale = "".join(
            f'<span class="band-{colour}">{score}</span>' for score, colour in grid.scale
        )
        return (
            f'<p class="log-scale-label"><strong>{e(grid.scale_label)}</strong></p>\n'
            f'<div class="log-scale" aria-hidden="true">{scale}</div>\n'
        )

    def log(self, grid: LogGrid) -> str:
        scale = self.log_scale(grid) if grid.scale else ""
        head = "".join(f'<th scope="col">{e(c)}</th>' for c in grid.columns)
        ticks = '<span class="tick"></span>' * grid.boxes
        rows = []
        for week in grid.weeks:
            cells = "".join(f"<td>{ticks}</td>" for _ in grid.columns)
            blank = "<td></td>" * len(grid.columns)
            rows.append(
                f'<tr><th scope="row"><strong>{e(week)}</strong> {e(grid.ticks_label)}</th>'
                f"{cells}</tr>"
            )
            rows.append(f'<tr><th scope="row">{e(grid.pain_label)}</th>{blank}</tr>')
        body = "\n".join(rows)
        return (
            f"{scale}"
            f'<div class="log-wrap"><table class="log">\n'
            f'<thead><tr><th scope="col">{e(grid.corner)}</th>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table></div>"
        )


def data_url(path: str, where: str) -> str:
    """A picture inlined: the HTML file needs nothing beside it."""
    from protocol_kit.sheet.images import checked_image

    data, info = checked_image(path, where)
    kind = "image/png" if info.format == "PNG" else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
