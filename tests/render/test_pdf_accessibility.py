"""The PDF for readers who do not see it: tagged (a structure tree of headings, paragraphs,
lists and figures with their alt text, in reading order), its language, a displayed title and
XMP metadata; the page frame and decoration marked as artifacts."""

from __future__ import annotations

import io

import pikepdf
import pytest
from sheet_helpers import EXAMPLE, render, self_contained, with_pictures, write_json


def structure(pdf: bytes) -> list[tuple[str, str | None]]:
    """(role, alt text) of every structure element, depth first."""
    found: list[tuple[str, str | None]] = []

    def visit(element) -> None:
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            alt = str(element.Alt) if "/Alt" in element else None
            found.append((str(element.S)[1:], alt))
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    visit(kid)
            elif isinstance(kids, pikepdf.Dictionary):
                visit(kids)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        visit(document.Root.StructTreeRoot.K)
    return found


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictured")
    data = with_pictures(self_contained(), folder)
    return write_json(folder, "protocol.json", data)


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_the_pdf_is_tagged_with_headings_lists_and_figures(pictured, large_print):
    pdf = render(pictured, large_print=large_print)
    roles = structure(pdf)
    assert roles[0] == ("Document", None)
    names = [role for role, _ in roles]
    assert names.count("H1") == 1 and names.index("H1") < names.index("H2")
    assert {"H2", "H3", "P", "L", "LI", "LBody", "Figure"} <= set(names)
    figures = [alt for role, alt in roles if role == "Figure"]
    assert figures == ["A drawing of the exercise"] * 2  # the alt text of every picture
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle is True
        for index, page in enumerate(document.pages):
            assert page.obj.StructParents == index
        parents = root.StructTreeRoot.ParentTree.Nums
        assert len(parents) == 2 * len(document.pages)
        meta = document.open_metadata()
        assert meta["dc:title"] == "Lower back pain: hip flexor stretch and glute bridge"
        assert set(meta["dc:language"]) == {"en-GB"}
        assert meta["pdf:Producer"] == "protocol-kit"


def test_every_page_is_tagged_content_or_artifact():
    # Every text-drawing operator is inside a marked-content sequence: a tagged element
    # (with an MCID) or an artifact (the page frame, rules and backgrounds).
    with pikepdf.open(io.BytesIO(render(EXAMPLE))) as document:
        for page in document.pages:
            depth = 0
            for _operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    depth += 1
                elif name == "EMC":
                    depth -= 1
                elif name in ("Tj", "TJ", "'", '"', "Do", "re", "f", "S"):
                    assert depth > 0, f"{name} drawn outside any tag or artifact"
            assert depth == 0


def test_the_tagged_pdf_is_the_same_for_the_same_inputs(pictured):
    assert render(pictured, fresh=True) == render(pictured, fresh=True)
