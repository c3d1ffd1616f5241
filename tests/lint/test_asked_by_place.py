"""The rules about the whole file asked by place (`Rule.asked_by_place`, issue 17, thirtieth
sitting): the engine asks, once a file for all of them, whether the file's shared part, an
exercise, a patient text or the file's own fields may hold something such a rule finds, and
calls the rule only then. What an exercise may hold is kept for the run by the exercise's
number (`exercises_key`: its content, its entry as written, the language; H1215), what the
part may hold with the part (H1216): a file whose exercise or part differs from an earlier
one's in what a rule reads gets its own findings, whichever file came first, in a run that
shares parts as `protokit validate` does."""

from __future__ import annotations

from lint_helpers import (
    ICD,
    coding,
    library_exercise,
    same_findings_shared_or_alone,
    variant_files,
)


def _name(path):
    return path.rsplit("/", 1)[1].split("-")[0]


def _reference(note):
    return lambda data: data.update(exercises=[{"ref": "cat-cow", "note": note}])


def test_a_placeholder_in_a_reference_s_note_is_found_whichever_file_came_first(tmp_path):
    # The same library exercise, the same part: only the reference's note differs, which the
    # exercise's texts' number (`exercises_text_key`) leaves out.
    library_exercise(tmp_path)
    variants = {
        "clean": _reference("A lower dose for the first weeks."),
        "todo": _reference("TODO: say why the dose differs."),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        left = [pointer for code, pointer, _ in found if code == "TEXT003"]
        assert left == (["/exercises/0/note"] if _name(path) == "todo" else []), path


def _condition_coded(code, display):
    def change(data):
        data["exercises"][0]["contraindications"] = [
            {"description": "Low back pain.", "coding": coding(ICD, code, display)}
        ]

    return change


def test_a_code_not_in_the_list_in_an_exercise_is_found_whichever_file_came_first(tmp_path):
    variants = {
        "listed": _condition_coded("M54.50", "Low back pain, unspecified"),
        "unlisted": _condition_coded("M54.55", "Low back pain"),
    }
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        unknown = [pointer for code, pointer, _ in found if code == "CODE001"]
        assert unknown == (
            ["/exercises/0/contraindications/0/coding"] if _name(path) == "unlisted" else []
        ), path


def test_a_placeholder_in_a_clinician_s_text_of_the_part_is_only_its_files(tmp_path):
    variants = {"clean": None, "todo": lambda data: data["authors"][0].update(name="Dr TBC")}
    expected = same_findings_shared_or_alone(variant_files(tmp_path, variants, 3))
    for path, found in expected.items():
        left = [pointer for code, pointer, _ in found if code == "TEXT003"]
        assert left == (["/authors/0/name"] if _name(path) == "todo" else []), path
