"""A protocol's finding about a library exercise's text carries where that text is in the
library file (`Finding.in_library`: the file, its pointer, line and column), and every report
reads it from there (H1049); the safety rules' second reading of a library exercise tells its
texts apart by it (H1048)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_protokit
from protocol_kit.findings import Finding, LibraryPlace, Severity

PROTOCOL = "protocols/psoas-stretch-glute-bridge.json"


def _with_library_texts(tmp_path, **texts):
    """The example protocol that uses glute-bridge, with these texts in that library file
    (`steps_0="..."` sets /steps/0)."""
    shutil.copytree(REPO / "protocols" / "library", tmp_path / "protocols" / "library")
    shutil.copy(REPO / PROTOCOL, tmp_path / PROTOCOL)
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text(encoding="utf-8"))
    for name, value in texts.items():
        *path, last = name.split("_")
        parent = data
        for token in path:
            parent = parent[int(token) if isinstance(parent, list) else token]
        parent[int(last) if isinstance(parent, list) else last] = value
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_a_hidden_safety_text_in_a_library_exercise_is_found_beside_its_other_findings(tmp_path):
    # "Ignóre the pain" reads as "Ignore the pain" on the sheet; the muscles' zero-width
    # space is another text of the same library exercise, reported at the same reference.
    _with_library_texts(
        tmp_path,
        steps_0="Ign\u00f3re the pain and keep going.",
        targets_muscles_0="gluteus\u200b maximus",
    )
    result = run_protokit("validate", PROTOCOL, cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.stdout.splitlines() if " TEXT004 " in line]
    assert any("U+200B" in line for line in lines)
    # It was dropped: the two texts had one place, the protocol's reference (H1048).
    assert any("fails SAFE013" in line and "(at /steps/0," in line for line in lines)


def test_a_sign_routed_wrongly_in_a_library_step_says_its_line_in_that_file(tmp_path):
    _with_library_texts(
        tmp_path, steps_1="If you get chest pain, mention it at your next appointment."
    )
    result = run_protokit("validate", "-f", "json", PROTOCOL, cwd=tmp_path)
    found = json.loads(result.stdout)["files"][0]["findings"]
    routed = [f for f in found if f["code"] == "SAFE006"]
    assert len(routed) == 1 and routed[0]["pointer"] == "/exercises/1"
    library = routed[0]["library"]
    assert library["path"] == "protocols/library/glute-bridge.json"
    assert library["pointer"] == "/steps/1"
    text = (tmp_path / library["path"]).read_text(encoding="utf-8").splitlines()
    assert "chest pain" in text[library["line"] - 1][library["column"] - 1 :]


def test_the_workbench_names_the_library_file_and_line_of_a_finding():
    from protocol_kit.workbench.service import finding_json

    place = LibraryPlace("library/bridge.json", "bridge", "/steps/0", None, 21, 5)
    finding = Finding("p.json", "TEXT003", "placeholder left", Severity.ERROR, "/exercises/0",
                      in_library=place)  # fmt: skip
    said = finding_json(finding)
    assert said["library"] == {
        "path": "library/bridge.json",
        "exercise": "bridge",
        "pointer": "/steps/0",
        "line": 21,
        "column": 5,
        "open": None,  # no folder given: not one of the workbench's files
        "where": None,  # nor, then, a place in its form
    }
    assert finding_json(Finding("p.json", "TEXT003", "x"))["library"] is None


def test_the_workbench_names_a_library_file_of_its_folder_as_it_names_its_files(tmp_path):
    # `protokit serve clinic/` from the folder above named it "clinic/library/bridge.json",
    # and from elsewhere by its whole path: the page's list names it "library/bridge.json".
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import finding_json

    (tmp_path / "clinic" / "library").mkdir(parents=True)
    (tmp_path / "clinic" / "library" / "bridge.json").write_text("{}", encoding="utf-8")
    (tmp_path / "elsewhere.json").write_text("{}", encoding="utf-8")
    folder = Folder(tmp_path / "clinic")

    def said(path):
        place = LibraryPlace(str(path), "bridge", "/steps/0", None, 21, 5)
        finding = Finding("p.json", "TEXT003", "placeholder left", Severity.ERROR,
                          "/exercises/0", in_library=place)  # fmt: skip
        return finding_json(finding, None, folder.file_of)["library"]

    inside = said(tmp_path / "clinic" / "library" / "bridge.json")
    assert (inside["path"], inside["open"]) == ("library/bridge.json", "library/bridge.json")
    outside = said(tmp_path / "elsewhere.json")
    assert outside["open"] is None and outside["path"].endswith("elsewhere.json")


def test_a_promise_in_a_translated_library_text_is_at_the_protocol_s_reference(tmp_path):
    steps = {"en": "This is guaranteed to cure your back pain.", "fr": "Soulevez les hanches."}
    _with_library_texts(tmp_path, steps_0=steps)
    result = run_protokit("validate", "-f", "json", PROTOCOL, cwd=tmp_path)
    found = json.loads(result.stdout)["files"][0]["findings"]
    promise = next(f for f in found if f["code"] == "TEXT002")
    # It was at "/exercises/1/en", a place the protocol does not have (H1051).
    assert promise["pointer"] == "/exercises/1"
    assert promise["library"]["pointer"] == "/steps/0"


def test_a_library_file_changed_between_checks_gives_its_new_line(tmp_path):
    # The places in a library file are walked once for all the protocols that use it, keyed
    # by the file's content: a long process (the workbench) that checks again after the
    # library file changed must give the text's new line, not the first one's.
    _with_library_texts(
        tmp_path, steps_1="If you get chest pain, mention it at your next appointment."
    )
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"

    def library_line():
        result = run_protokit("validate", "-f", "json", PROTOCOL, cwd=tmp_path)
        found = json.loads(result.stdout)["files"][0]["findings"]
        (routed,) = [f for f in found if f["code"] == "SAFE006"]
        return routed["library"]["line"]

    first = library_line()
    # The same data, written with every value on a line of its own two lines further down.
    exercise.write_text("\n\n" + exercise.read_text(encoding="utf-8"), encoding="utf-8")
    assert library_line() == first + 2


def _library_findings(tmp_path, change) -> list[dict]:
    """The example protocol's findings (json) after `change(glute_bridge)` of its library
    exercise's data."""
    _with_library_texts(tmp_path)
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text(encoding="utf-8"))
    change(data)
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "-f", "json", PROTOCOL, cwd=tmp_path)
    assert result.code in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def _hard_to_read(data):
    data["purpose"] = " ".join(
        ["Facilitates neuromuscular re-education of the lumbopelvic stabilisation musculature,"]
        + ["ameliorating intervertebral loading during functional activities, and consolidating"
           " proprioceptive recalibration of posterior chain recruitment characteristics,"] * 4
        + ["physiologically."]
    )  # fmt: skip


def _treated_as_a_precaution(data):
    # The protocol contraindicates cauda equina syndrome (G83.4); the library exercise makes
    # it only a precaution.
    data["precautions"][0]["coding"] = {
        "system": "http://hl7.org/fhir/sid/icd-10-cm",
        "code": "G83.4",
        "display": "Cauda equina syndrome",
    }


def _no_pregnancy_precaution(data):
    # The protocol screens for pregnancy; the exercise lies on the back (its start pose).
    data["precautions"] = []


def _the_template_s_choices(data):
    from protocol_kit.lint.rules.template_values import _template_choices

    template = _template_choices()
    data["type"], data["laterality"] = template["type"], template["laterality"]
    data["targets"]["regions"] = template["regions"]
    data["dosage"] = dict(template["dosage"], intensity=data["dosage"]["intensity"])


def _one_sided(data):
    data["laterality"] = "unilateral"  # its dosage's side stays 'both'


def _many_repetitions(data):
    data["dosage"]["repetitions"] = 60  # more than the usual 30: the library's default


@pytest.mark.parametrize(
    ("change", "code", "library_pointer", "text_there"),
    [
        (_hard_to_read, "TEXT001", "", "{"),
        (_treated_as_a_precaution, "SAFE010", "/precautions/0", "{"),
        (_no_pregnancy_precaution, "SAFE012", "/poses/start", "{"),
        (_the_template_s_choices, "GOV007", "/dosage", "{"),
        (_one_sided, "DOSE003", "/dosage/side", '"both"'),
        (_many_repetitions, "DOSE002", "/dosage/repetitions", "60"),
    ],
)  # fmt: skip
def test_a_finding_about_a_library_exercise_says_its_place_in_that_file(
    tmp_path, change, code, library_pointer, text_there
):
    # These named the library file in their message only: json's "library", sarif's related
    # location and github's FILE:LINE:COL were missing for them (the twenty-sixth sitting's
    # leftover of H1049).
    found = [f for f in _library_findings(tmp_path, change) if f["code"] == code]
    assert found, code
    (finding,) = found[:1]
    assert finding["pointer"] == "/exercises/1"  # the protocol's reference, as before
    library = finding["library"]
    assert library is not None, finding["message"]
    assert library["path"] == "protocols/library/glute-bridge.json"
    assert library["pointer"] == library_pointer
    lines = (tmp_path / library["path"]).read_text(encoding="utf-8").splitlines()
    assert lines[library["line"] - 1][library["column"] - 1 :].startswith(text_there)


def test_a_finding_about_a_whole_library_exercise_names_no_member_in_sarif(tmp_path):
    # TEXT001 reads the exercise's texts together: its place is the library file itself
    # (pointer ""), which SARIF gave as a member with an empty name; a result at the whole
    # file names none.
    _library_findings(tmp_path, _hard_to_read)
    result = run_protokit("validate", "-f", "sarif", PROTOCOL, cwd=tmp_path)
    (hard,) = [
        r for r in json.loads(result.stdout)["runs"][0]["results"] if r["ruleId"] == "TEXT001"
    ]
    (related,) = hard["relatedLocations"]
    assert related["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert "logicalLocations" not in related


def test_the_workbench_s_messages_name_a_library_file_from_the_served_folder(tmp_path, monkeypatch):
    # `protokit serve protocols/` from the folder above: the message said "(library exercise
    # 'glute-bridge', protocols/library/glute-bridge.json)", and from anywhere else the
    # server's whole path, where the page's list says "library/glute-bridge.json" (H1153).
    from protocol_kit.findings import shown_path
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import Workbench, finding_json

    _with_library_texts(tmp_path, steps_0="TODO: the first action")
    monkeypatch.chdir(tmp_path)
    folder = Folder(tmp_path / "protocols")
    bench = Workbench(folder)
    relative = PROTOCOL.removeprefix("protocols/")
    data = json.loads((tmp_path / PROTOCOL).read_text(encoding="utf-8"))
    said = bench.findings_json(bench.check(relative, data).findings, data)
    assert [f for f in said if f["code"] == "TEXT003"]
    assert not [f for f in said if "protocols/library" in f["message"]]
    # A message that names the file without a place in the form (GOV007's "the template's
    # values"), from the folder above and from elsewhere.
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"
    for working in (tmp_path, tmp_path / "protocols" / "library"):
        monkeypatch.chdir(working)
        place = LibraryPlace(str(exercise), "glute-bridge", "/dosage", None, 30, 13)
        finding = Finding(PROTOCOL, "GOV007", f"exercise 'glute-bridge' (library exercise "
                          f"'glute-bridge', {shown_path(exercise)}) still has every value",
                          Severity.ERROR, "/exercises/1", in_library=place)  # fmt: skip
        message = finding_json(finding, None, folder.file_of)["message"]
        assert message == (
            "exercise 'glute-bridge' (library exercise 'glute-bridge', "
            "library/glute-bridge.json) still has every value"
        )
    # The command line still names it from its working folder.
    result = run_protokit("validate", PROTOCOL, cwd=tmp_path)
    assert "'glute-bridge', protocols/library/glute-bridge.json)" in result.stdout


def test_a_library_file_that_cannot_be_read_is_named_once_as_the_report_names_files(tmp_path):
    # A library file replaced by a named pipe (or removed, or made a folder) while a folder
    # is checked: the reference's finding named the file as shown, then again by the
    # absolute path the library was searched by, in the reason (H1274).
    import os

    _with_library_texts(tmp_path)
    exercise = tmp_path / "protocols" / "library" / "glute-bridge.json"
    exercise.unlink()
    os.mkfifo(exercise)
    result = run_protokit("validate", PROTOCOL, cwd=tmp_path)
    assert result.code == 1
    reference = next(line for line in result.stdout.splitlines() if "REF003" in line)
    assert reference == (
        f"{PROTOCOL}:189:14: error REF003 library exercise 'glute-bridge' in "
        "protocols/library/glute-bridge.json cannot be used: cannot read: is a named pipe "
        "(FIFO), not a regular file [/exercises/1/ref]"
    )
    assert str(tmp_path) not in result.stdout
