"""A tagged PDF: what each piece of the page is, for screen readers and reflow (PDF/UA's
structure), added in two steps.

1. While the sheet is drawn, every flowable made by `tagged` wraps what it draws in a marked
   content sequence (`/P <</MCID n>> BDC ... EMC`) and records its role (H1, H2, H3, P, LI,
   Figure with its alt text, Caption) in the canvas's `TagLog`; the page frame, table rules and
   backgrounds are marked as artifacts (`artifact`), so that everything on a page is either
   tagged content or an artifact.
2. `finish_pdf` (pikepdf) builds the structure tree from the log: a Document element holding
   the elements in reading order, runs of list items grouped in L elements, the parent tree
   that maps each page's marked content back to its element, /MarkInfo, the document's
   language, a displayed title, and XMP metadata. The output is written deterministically:
   the same sheet gives the same bytes.

reportlab draws text and leaves its meaning behind; pikepdf (qpdf) is a well-kept library for
editing a PDF's object tree, so the structure is added after drawing rather than by changing
reportlab's internals.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from typing import Any

from protocol_kit.render.laid_out import LaidOutOnce, paragraph

# The roles the sheet uses: the standard structure types of ISO 32000.
ROLES = ("H1", "H2", "H3", "P", "LI", "Figure", "Caption", "Artifact")


@dataclass
class Tag:
    page: int  # 0-based
    mcid: int
    role: str
    alt: str | None = None


@dataclass
class TagLog:
    """The marked content drawn so far, page by page, in drawing order."""

    tags: list[Tag] = field(default_factory=list)
    page: int = 0
    next_mcid: int = 0

    def new_page(self) -> None:
        self.page += 1
        self.next_mcid = 0

    def add(self, role: str, alt: str | None) -> int:
        mcid = self.next_mcid
        self.next_mcid += 1
        self.tags.append(Tag(self.page, mcid, role, alt))
        return mcid


def begin_artifact(canvas: Any) -> None:
    canvas._code.append("/Artifact BMC")


def end_marked(canvas: Any) -> None:
    canvas._code.append("EMC")


class _TagMixin:
    """Draws the flowable inside a marked content sequence for its role."""

    tag_role = "P"
    tag_alt: str | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        log: TagLog | None = getattr(canvas, "tag_log", None)
        if log is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        if self.tag_role == "Artifact":
            begin_artifact(canvas)
        else:
            mcid = log.add(self.tag_role, self.tag_alt)
            canvas._code.append(f"/{self.tag_role} <</MCID {mcid}>> BDC")
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        end_marked(canvas)


@functools.cache
def _tagged_class(base: type, role: str) -> type:
    # The role is a class attribute so that the parts of a split paragraph (made with
    # `self.__class__`) keep it.
    from reportlab.platypus import Paragraph

    bases = (_TagMixin, LaidOutOnce, base) if issubclass(base, Paragraph) else (_TagMixin, base)
    return type(f"Tagged{role}{base.__name__}", bases, {"tag_role": role})


def tagged(flowable: Any, role: str, alt: str | None = None) -> Any:
    """`flowable`, drawn as the structure element `role` (alt text for a Figure)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    flowable.__class__ = _tagged_class(type(flowable), role)
    if alt is not None:
        flowable.__dict__["tag_alt"] = alt  # past Drawing's attribute checks
    return flowable


def tagged_paragraph(text: str, style: Any, role: str, bullet: str | None = None) -> Any:
    """A Paragraph of the markup `text`, drawn as the structure element `role`; the markup
    is parsed once per process (`laid_out.paragraph`)."""
    from reportlab.platypus.paragraph import Paragraph  # (a module: imported without a loop)

    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    return paragraph(_tagged_class(Paragraph, role), text, style, bullet)


# -- after drawing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    created: str  # ISO 8601


def finish_pdf(pdf: bytes, log: TagLog, metadata: Metadata) -> bytes:
    """The PDF with its structure tree, language, displayed title and XMP metadata."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        # Each call into pikepdf costs more than the Python around it: the page objects are
        # looked up once, and each element's children are collected in a list and set once
        # (the objects are made in the same order, so they keep their numbers).
        page_objects = [page.obj for page in document.pages]
        indirect = document.make_indirect
        tree = indirect(Dictionary(Type=Name.StructTreeRoot))
        top = indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree))
        tree.K = top
        top_kids: list[Any] = []
        kids: list[tuple[Any, list[Any]]] = []  # (element, its children)
        by_page: list[list[Any]] = [[] for _ in page_objects]
        current_list: list[Any] | None = None
        names = {role: Name(f"/{role}") for role in (*ROLES, "LBody")}
        element_type = Name.StructElem  # (made once: each `Name.X` is a new object)
        for tag in log.tags:
            page = page_objects[tag.page]
            if tag.role == "LI":
                if current_list is None:
                    element_list = indirect(Dictionary(Type=Name.StructElem, S=Name.L, P=top))
                    top_kids.append(element_list)
                    current_list = []
                    kids.append((element_list, current_list))
                    list_element = element_list
                item = indirect(Dictionary(Type=element_type, S=names["LI"], P=list_element))
                current_list.append(item)
                item_kids: list[Any] = []
                kids.append((item, item_kids))
                parent, siblings, role = item, item_kids, "LBody"
            else:
                current_list = None
                parent, siblings, role = top, top_kids, tag.role
            element = Dictionary(Type=element_type, S=names[role], P=parent, Pg=page,
                                 K=tag.mcid)  # fmt: skip
            if tag.alt is not None:
                element.Alt = String(tag.alt)
            element = indirect(element)
            siblings.append(element)
            by_page[tag.page].append(element)
        top.K = Array(top_kids)
        for element, children in kids:
            element.K = Array(children)
        nums = Array()
        for index, page in enumerate(page_objects):
            page.StructParents = index
            page.Tabs = Name.S
            nums.append(index)
            nums.append(indirect(Array(by_page[index])))
        tree.ParentTree = indirect(Dictionary(Nums=nums))
        tree.ParentTreeNextKey = len(page_objects)
        root.StructTreeRoot = tree
        root.MarkInfo = Dictionary(Marked=True)
        root.Lang = String(metadata.language)
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = metadata.title
            xmp["dc:creator"] = [metadata.author]
            xmp["dc:description"] = metadata.subject
            xmp["dc:language"] = [metadata.language]
            xmp["pdf:Keywords"] = ", ".join(metadata.keywords)
            xmp["pdf:Producer"] = "protocol-kit"
            xmp["xmp:CreatorTool"] = "protocol-kit"
            xmp["xmp:CreateDate"] = metadata.created
            xmp["xmp:ModifyDate"] = metadata.created
        output = io.BytesIO()
        # reportlab has compressed the page contents and fonts already: compressing again
        # would cost more time than it saves bytes.
        document.save(
            output,
            deterministic_id=True,
            compress_streams=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return output.getvalue()
