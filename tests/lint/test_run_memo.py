"""The lint's run-long memo never gives one file another file's answer: files that differ only
in an exercise written inline (the same red flags, advice and stop criteria) are each read."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import CLINIC_NUMBERS, REPO, run_protokit

INLINE = REPO / "tests" / "cases" / "validate" / "valid" / "signed-off-protocol" / "protocol.json"
SIGN = " If you feel chest pain, tell your physiotherapist at your next visit."


def test_an_inline_exercise_is_read_in_every_file_of_a_run(tmp_path):
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = json.loads(INLINE.read_text("utf-8"))
    assert all("ref" not in exercise for exercise in source["exercises"])
    for i in range(30):
        data = copy.deepcopy(source)
        data["id"] = f"{source['id']}-{i:02d}"
        if i == 17:  # one file among many, after others' exercises were built and freed
            step = data["exercises"][0]["steps"][0]
            data["exercises"][0]["steps"][0] = (
                {tag: value + SIGN for tag, value in step.items()}
                if isinstance(step, dict)
                else step + SIGN
            )
        (tmp_path / f"p{i:02d}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "--jobs", "1", ".", cwd=tmp_path)
    assert result.code == 1
    found = [line for line in result.stdout.splitlines() if " SAFE006 " in line]
    assert len(found) == 1 and found[0].startswith("p17.json:"), result.stdout


def test_a_library_exercise_changed_between_checks_by_one_linter_is_read_again(tmp_path):
    """H212: the memo keyed a library exercise's answers by the file's path; a process that
    checks again after the file changed (the workbench keeps one linter while it runs) was
    given the answers about the old text, and its new TODO went unreported."""
    import shutil

    from protocol_kit.app.check import FileChecker, configured_check_options
    from protocol_kit.config import load_config
    from protocol_kit.lint.engine import Linter

    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    protocol = str(tmp_path / "protocols" / "psoas-stretch-glute-bridge.json")
    options = configured_check_options(load_config(start=tmp_path), hooks=(Linter(),))

    def placeholders() -> list[str]:
        report = FileChecker(options).check(protocol)  # a new checker reads the library anew
        return [f.message for f in report.findings if f.code == "TEXT003"]

    assert placeholders() == []
    library_file = tmp_path / "protocols" / "library" / "glute-bridge.json"
    changed = json.loads(library_file.read_text("utf-8"))
    changed["steps"] = ["TODO write the steps"]
    library_file.write_text(json.dumps(changed, indent=2), encoding="utf-8")
    assert len(placeholders()) == 1


def test_a_text_shared_by_two_files_is_named_and_placed_as_each_file_has_it(tmp_path):
    """H217: the memo keyed a file's free texts by their words alone: a sign in one file's
    general advice and, in the next file of the run, the same words in its education made
    the second file's error say "general advice" and point at its general advice, where the
    author finds nothing wrong. Alone, that file was reported right: the answer depended on
    which files were checked with it."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = json.loads(INLINE.read_text("utf-8"))
    first, second = copy.deepcopy(source), copy.deepcopy(source)
    sign = {"en-GB": SIGN.strip(), "fr": f"FR {SIGN.strip()}"}  # (the file is in both)
    first["safety"]["general_advice"] = [*source["safety"].get("general_advice", []), sign]
    second["id"] = f"{source['id']}-other"
    second["delivery"]["education"] = [sign, *source["delivery"].get("education", [])]
    for name, data in (("a.json", first), ("b.json", second)):
        (tmp_path / name).write_text(json.dumps(data, indent=2), encoding="utf-8")
    together = run_protokit("validate", "--jobs", "1", "a.json", "b.json", cwd=tmp_path)
    alone = run_protokit("validate", "b.json", cwd=tmp_path)
    found = [line for line in together.stdout.splitlines() if " SAFE006 " in line]
    assert [line for line in found if line.startswith("b.json:")] == [
        line for line in alone.stdout.splitlines() if " SAFE006 " in line
    ]
    assert any(line.startswith("b.json:") and " SAFE006 education " in line for line in found), (
        found
    )


def _one_file_differs(tmp_path, code, change, source=None) -> list[str]:
    """Thirty copies of INLINE (or `source`) checked in one run, `change(i, data)` applied to
    each: the lines of `code`'s findings."""
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = source or json.loads(INLINE.read_text("utf-8"))
    for i in range(30):
        data = copy.deepcopy(source)
        data["id"] = f"{source['id']}-{i:02d}"
        change(i, data)
        (tmp_path / f"p{i:02d}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "--jobs", "1", ".", cwd=tmp_path)
    return [line for line in result.stdout.splitlines() if f" {code} " in line]


def test_an_inline_exercise_whose_dosage_changes_is_compared_again(tmp_path):
    """DOSE005's answer is kept per exercise for the run: a file whose exercise has the same
    texts as the others' but another dosage gets its own answer (the text says 8 repetitions,
    its dosage 10), and the files around it none."""
    source = json.loads(INLINE.read_text("utf-8"))
    exercise = source["exercises"][0]
    assert exercise["dosage"]["repetitions"] == 8
    exercise["cues"] = [{"en-GB": "Do 8 repetitions.", "fr": "FR Do 8 repetitions."}]

    def change(i, data):
        if i == 17:
            data["exercises"][0]["dosage"]["repetitions"] = 10

    found = _one_file_differs(tmp_path, "DOSE005", change, source)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "has 10 repetitions" in found[0] and "/exercises/0/cues/0" in found[0], found[0]


def test_an_inline_exercise_whose_poses_change_is_checked_again(tmp_path):
    """POSE001's answer is kept per exercise for the run: one file among many whose exercise
    has a straight leg raised to 120° gets the finding, the files around it none."""

    def change(i, data):
        poses = data["exercises"][1]["poses"]
        if i == 17:
            poses["start"] = {"posture": "lying-back"}
            poses["end"] = {
                "posture": "lying-back",
                "joints": {"right_hip": {"flexion": 120}, "right_knee": {"flexion": 0}},
            }

    found = _one_file_differs(tmp_path, "POSE001", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "/exercises/1/poses/end/joints/right_hip" in found[0], found[0]


def test_an_inline_exercise_whose_text_gets_harder_is_measured_again(tmp_path):
    """TEXT001's answer is kept per exercise for the run: one file among many whose exercise
    purpose is written in jargon gets the finding, the files around it none."""
    hard = (
        "Facilitates neuromuscular re-education of the lumbopelvic stabilisation musculature, "
        "ameliorating intervertebral loading during functional activities. Concurrently, "
        "proprioceptive recalibration diminishes compensatory paravertebral hyperactivity, "
        "consequently optimising biomechanical efficiency throughout occupational movement."
    )

    def change(i, data):
        if i == 17:
            data["exercises"][0]["purpose"] = {"en-GB": hard, "fr": f"FR {hard}"}

    found = _one_file_differs(tmp_path, "TEXT001", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "exercise 'cat-cow' reads at school grade" in found[0], found[0]


@pytest.mark.parametrize("changed", ["starting level", "exercise"])
def test_an_exercise_against_a_changed_population_is_judged_again(tmp_path, changed):
    """SAFE009's answer is kept per exercise and population texts for the run: one file
    among many whose starting rule names a condition its exercise is contraindicated for
    (or whose exercise is contraindicated for the condition the rule names) gets the finding,
    the files around it none."""
    balance = [{"description": "Poor balance: cannot step backwards safely while holding on."}]
    level = "A patient with poor balance starts holding the chair with both hands."

    def change(i, data):
        if changed == "exercise" or i == 17:
            data["delivery"]["starting_level"] = level
        if changed == "starting level" or i == 17:
            data["exercises"][0]["contraindications"] = copy.deepcopy(balance)
        else:  # the same exercise with another contraindication, which the rule does not name
            data["exercises"][0]["contraindications"] = [{"description": "A recent knee injury."}]

    found = _one_file_differs(tmp_path, "SAFE009", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "/exercises/0/contraindications/0" in found[0], found[0]


def test_an_inline_exercise_that_tells_the_patient_to_ignore_pain_is_read_again(tmp_path):
    """The shared pass over the texts keeps each exercise's verdict for the run (which rule
    searches find something in it): one file among many whose exercise step says "push
    through the pain" gets SAFE013's finding, the files around it none."""

    def change(i, data):
        if i == 17:
            data["exercises"][0]["steps"][0] = {
                "en-GB": "Push through the pain to finish the set.",
                "fr": "FR Round your back up towards the ceiling.",
            }

    found = _one_file_differs(tmp_path, "SAFE013", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "/exercises/0/steps/0/en-GB" in found[0], found[0]


def test_an_own_text_that_promises_a_cure_is_read_again(tmp_path):
    """The protocol's own texts are read in the shared pass of every file: one file among
    many whose general advice promises a cure gets TEXT002's finding, the others none."""

    def change(i, data):
        if i == 17:
            data["safety"]["general_advice"][0] = {
                "en-GB": "Warm up first: this cures back pain.",
                "fr": "FR Warm up first.",
            }

    found = _one_file_differs(tmp_path, "TEXT002", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert "/safety/general_advice/0/en-GB" in found[0], found[0]


@pytest.mark.parametrize("part", ["stop criterion", "red flag"])
def test_a_stop_box_that_says_nothing_is_read_again(tmp_path, part):
    """SAFE003 keeps its answer for the run by one key of the red flags and stop criteria:
    one file among many whose stop criterion (or red flag) says "n/a" gets the finding."""

    def change(i, data):
        if i == 17 and part == "stop criterion":
            data["safety"]["stop_criteria"][0] = {"en-GB": "n/a", "fr": "FR Sharp pain."}
        elif i == 17:
            data["safety"]["red_flags"][0]["text"] = {"en-GB": "n/a", "fr": "FR Numbness."}

    found = _one_file_differs(tmp_path, "SAFE003", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    where = "/safety/stop_criteria/0/en-GB" if part == "stop criterion" else "/text/en-GB"
    assert where in found[0], found[0]


@pytest.mark.parametrize(
    ("part", "where"),
    [("summary", "/summary"), ("general advice", "/safety"), ("warm-up", "/summary")],
)
def test_a_protocol_passage_that_gets_harder_is_measured_again(tmp_path, part, where):
    """TEXT001's answer about the protocol's own passages is kept for the run by their
    texts: one file among many whose summary, general advice or warm-up is written in jargon
    gets the finding, the files around it none."""
    hard = (
        "Facilitates neuromuscular re-education of the lumbopelvic stabilisation musculature, "
        "ameliorating intervertebral loading during functional activities. Concurrently, "
        "proprioceptive recalibration diminishes compensatory paravertebral hyperactivity, "
        "consequently optimising biomechanical efficiency throughout occupational movement. "
    ) * 3
    text = {"en-GB": hard, "fr": f"FR {hard}"}

    def change(i, data):
        if i != 17:
            return
        if part == "summary":
            data["summary"] = text
        elif part == "general advice":
            data["safety"]["general_advice"][0] = text
        else:
            data["delivery"]["warm_up"] = text

    found = _one_file_differs(tmp_path, "TEXT001", change)
    assert len(found) == 1 and found[0].startswith("p17.json:"), found
    assert found[0].endswith(f"[{where}]"), found[0]
