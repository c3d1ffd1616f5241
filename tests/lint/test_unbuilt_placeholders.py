"""TEXT003 in a file the lint cannot build (it fails its schema): the file is asked first
whether any of its strings holds a placeholder, each string's verdict kept for the run with
those of the built files' new parts and exercises, and walked for the places only when one
does (issue 17, thirty-second sitting). A file's findings are its own, whichever files the
run judged before it (H1386)."""

from __future__ import annotations

from lint_helpers import same_findings_shared_or_alone, variant_files


def _summary(text: str, built: bool = True):
    """The summary is `text`; the file fails its schema (no general advice) unless `built`."""

    def change(data: dict) -> None:
        data["summary"] = text
        if not built:
            del data["safety"]["general_advice"]

    return change


def test_a_placeholder_in_a_file_that_fails_its_schema_is_its_own(tmp_path):
    """Summaries of one length, one with a placeholder ("xx" seconds), in files that are built
    and files that fail their schema, checked alone and in runs that share parts and answers
    (both orders): only the unbuilt file with the placeholder has TEXT003, at its summary. A
    verdict kept by less than the whole string (here its length) would give one file the
    other's."""
    variants = {
        "built": _summary("Hold for xx seconds."),
        "clean": _summary("Hold for 10 seconds.", built=False),
        "blank": _summary("Hold for xx seconds.", built=False),
        "fixed": _summary("Hold for 10 seconds."),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 2))
    for path, found in expected.items():
        name = path.rsplit("/", 1)[1].split("-")[0]
        if name in ("clean", "blank"):
            assert any(code == "SCHEMA002" for code, _, _ in found), path  # not built
        placeholders = [pointer for code, pointer, _ in found if code == "TEXT003"]
        assert placeholders == (["/summary"] if name in ("built", "blank") else []), path
