"""`protokit new prescription --from EARLIER -o NEW`: the patient seen again, the programme
progressed from the last prescription, which stays as it was (a clinical record)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from conftest import REPO, run_protokit

EXAMPLE = REPO / "docs" / "examples" / "prescription-psoas.json"
PROTOCOL = "protocols/psoas-stretch-glute-bridge.json"


@pytest.fixture
def clinic(tmp_path):
    """A clinic's folder: the example protocols, its configuration, and Alex's prescription
    of 2026-11-20 in prescriptions/."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    (tmp_path / "prescriptions").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "prescriptions" / "alex.json")
    return tmp_path


def _follow_up(folder, *arguments, source="prescriptions/alex.json"):
    return run_protokit("new", "prescription", "--from", source, *arguments, cwd=folder)


def _data(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _answered(path):
    """The follow-up with its screening answered, as the therapist does before printing."""
    data = _data(path)
    data["screening"] = dict.fromkeys(data["screening"], "no")
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def test_a_follow_up_copies_the_programme_and_names_the_prescription_it_follows(clinic):
    """The patient, prescriber, doses and notes copied as written, dated today, linked to
    the earlier prescription, which is not touched (H1335)."""
    earlier = clinic / "prescriptions" / "alex.json"
    before = earlier.read_bytes()
    result = _follow_up(clinic, "-o", "prescriptions/alex-2.json")
    assert result.code == 0, result.stderr
    old, new = _data(earlier), _data(clinic / "prescriptions" / "alex-2.json")
    assert earlier.read_bytes() == before
    for copied in ("patient", "therapist", "notes", "overrides"):
        assert new[copied] == old[copied]
    assert new["protocol"] == old["protocol"]
    assert new["date"] == new["start_date"] != old["date"]
    assert new["follows"] == {"date": "2026-11-20", "file": "alex.json"}
    assert "review_date" not in new  # the earlier visit's review: the therapist sets the next
    assert "is unchanged" in result.stderr
    assert "protokit validate prescriptions/alex-2.json" in result.stderr


def test_the_screening_is_asked_again_showing_the_earlier_answer(clinic):
    """An answer two weeks old is not today's (a patient may be pregnant or have had surgery
    since): each question is a TODO again that validate reports and render refuses, showing
    what the patient answered before (H1336)."""
    assert _follow_up(clinic, "prescriptions/alex-2.json").code == 0
    new = clinic / "prescriptions" / "alex-2.json"
    screening = _data(new)["screening"]
    assert screening["pregnant"] == "TODO: yes or no (on 2026-11-20: no): Are you pregnant?"
    checked = run_protokit("validate", "prescriptions/alex-2.json", cwd=clinic)
    assert checked.code == 1
    assert "RX003" in checked.stdout and "/screening/pregnant" in checked.stdout
    _answered(new)
    assert run_protokit("validate", "prescriptions/alex-2.json", cwd=clinic).code == 0


def test_a_baseline_keeps_the_date_it_was_measured(clinic):
    """A baseline without a date is the prescription's date: copied as written, it would
    read as measured at the follow-up (H1337)."""
    earlier = clinic / "prescriptions" / "alex.json"
    data = _data(earlier)
    data["measures"] = [{"measure": "nprs", "baseline": {"value": 6}}]
    earlier.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert _follow_up(clinic, "-o", "prescriptions/alex-2.json").code == 0
    new = _data(clinic / "prescriptions" / "alex-2.json")
    assert new["measures"] == [{"measure": "nprs", "baseline": {"value": 6, "date": "2026-11-20"}}]


def test_an_existing_file_is_never_replaced(clinic):
    """Not an earlier follow-up without --force, and never the earlier prescription itself,
    even with --force (H1338)."""
    earlier = clinic / "prescriptions" / "alex.json"
    before = earlier.read_bytes()
    assert _follow_up(clinic, "-o", "prescriptions/alex-2.json").code == 0
    second = clinic / "prescriptions" / "alex-2.json"
    kept = second.read_bytes()
    again = _follow_up(clinic, "-o", "prescriptions/alex-2.json")
    assert again.code == 2 and "already exists" in again.stderr
    assert second.read_bytes() == kept
    over = _follow_up(clinic, "prescriptions/alex.json", "--force")
    assert over.code == 2
    assert "is the earlier prescription that the new file is made from" in over.stderr
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["alex-2.json", "alex.json"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"$schema": ', "prescriptions/bad.json:1:13: unexpected end of file"),
        (None, "prescriptions/bad.json:8:13: placeholder left"),
        ("protocol", "is an exercise protocol, not a patient's prescription"),
    ],
    ids=["truncated", "todo-left", "a-protocol"],
)
def test_an_earlier_prescription_that_is_not_valid_is_refused(clinic, content, said):
    """One line naming the file (and line and column), exit 2, nothing written (H1339)."""
    bad, source = clinic / "prescriptions" / "bad.json", "prescriptions/bad.json"
    if content is None:
        data = _data(clinic / "prescriptions" / "alex.json")
        data["patient"]["name"] = "TODO: name"
        bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    elif content == "protocol":
        source = PROTOCOL
    else:
        bad.write_text(content, encoding="utf-8")
    result = _follow_up(clinic, "-o", "prescriptions/new.json", source=source)
    assert result.code == 2
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (clinic / "prescriptions" / "new.json").exists()


def test_a_missing_earlier_prescription_or_another_protocol_is_refused(clinic):
    missing = _follow_up(clinic, "-o", "new.json", source="prescriptions/nobody.json")
    assert missing.code == 2 and "no such file" in missing.stderr
    other = _follow_up(
        clinic, "new.json", "--protocol", "protocols/abdominal-strength-lower-back-release.json"
    )
    assert other.code == 2 and "a follow-up continues the same protocol" in other.stderr
    assert not (clinic / "new.json").exists()


def test_a_protocol_changed_since_is_said_and_prescribed_as_it_is_now(clinic):
    """The earlier prescription (of version 1.0.6) no longer matches the protocol: the
    follow-up is of the version now, the therapist is told it changed, and an override of an
    exercise the protocol no longer has is kept for validate to report, not dropped (H1340)."""
    protocol = clinic / PROTOCOL
    data = _data(protocol)
    data["version"] = "1.1.0"
    data["exercises"] = data["exercises"][:1]  # glute-bridge, which Alex's override changes, gone
    protocol.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    result = _follow_up(clinic, "-o", "prescriptions/alex-2.json")
    assert result.code == 0, result.stderr
    assert "earlier prescription was of version 1.0.6, this one is of version 1.1.0" in (
        " ".join(result.stderr.split())
    )
    assert "no longer has 'glute-bridge'" in result.stderr
    new = _data(clinic / "prescriptions" / "alex-2.json")
    assert new["protocol"]["version"] == "1.1.0"
    assert [o["exercise"] for o in new["overrides"]] == ["glute-bridge"]
    checked = run_protokit("validate", "prescriptions/alex-2.json", cwd=clinic)
    assert "RX005" in checked.stdout


def test_options_for_a_new_patient_are_refused_with_from(clinic):
    result = _follow_up(clinic, "new.json", "--patient", "Someone Else")
    assert result.code == 2 and "--patient with --from" in result.stderr
    assert not (clinic / "new.json").exists()


def test_a_follow_up_dated_before_the_one_it_follows_is_reported(clinic):
    """RX001 at /follows/date: the sheet would print a previous prescription still to come."""
    data = _data(clinic / "prescriptions" / "alex.json")
    data["follows"] = {"date": "2026-11-21"}
    (clinic / "prescriptions" / "late.json").write_text(json.dumps(data), encoding="utf-8")
    checked = run_protokit("validate", "prescriptions/late.json", cwd=clinic)
    assert checked.code == 1
    assert "RX001" in checked.stdout and "/follows/date" in checked.stdout


@pytest.mark.parametrize("name", ["TODO.json", "alex-TBC.json", "xxx.json", "FIXME notes.json"])
def test_an_earlier_file_named_as_a_placeholder_is_named_by_its_date_alone(clinic, name):
    """RX003 read the earlier file's name as a placeholder to fill in, an error that no
    answer to the screening cleared, and `render` refused the follow-up (H1366)."""
    shutil.copy(EXAMPLE, clinic / "prescriptions" / name)
    result = _follow_up(clinic, "-o", "prescriptions/alex-2.json", source=f"prescriptions/{name}")
    assert result.code == 0, result.stderr
    follow_up = clinic / "prescriptions" / "alex-2.json"
    assert _data(follow_up)["follows"] == {"date": "2026-11-20"}
    _answered(follow_up)
    checked = run_protokit("validate", "prescriptions/alex-2.json", cwd=clinic)
    assert checked.code == 0, checked.stdout + checked.stderr


def test_the_sheet_says_which_prescription_it_follows_and_prints_hostile_text_as_written(clinic):
    """The sheet prints the earlier prescription's date; the patient's and notes' text,
    markup and all, reaches the sheet as written (H1341)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    earlier = clinic / "prescriptions" / "alex.json"
    data = _data(earlier)
    name = 'Zoë <b>O\'Brien</b> & <font color="red">Ann</font>'
    note = "Hold <para>10</para> s & breathe: 5 < 6 &amp; Ελένη"
    data["patient"]["name"] = name
    data["notes"] = [note]
    earlier.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    assert _follow_up(clinic, "-o", "prescriptions/alex-2.json").code == 0
    _answered(clinic / "prescriptions" / "alex-2.json")
    rendered = run_protokit(
        "render",
        PROTOCOL,
        "--prescription",
        "prescriptions/alex-2.json",
        "-o",
        "alex-2.pdf",
        cwd=clinic,
    )
    assert rendered.code == 0, rendered.stderr
    text = subprocess.run(
        ["pdftotext", str(clinic / "alex-2.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Previous prescription" in text and "2026-11-20" in text
    assert name in text
    assert " ".join(note.split()) in " ".join(text.split())


def test_the_walkthrough_s_follow_up_prints_what_section_12_shows(tmp_path):
    """docs/walkthrough.md section 12, on the walkthrough's finished files; the page shows
    the follow-up written on Alex's review date, 2026-12-08."""
    folder = tmp_path / "clinic-protocols"
    shutil.copytree(REPO / "docs" / "examples" / "walkthrough", folder)
    result = run_protokit(
        "new",
        "prescription",
        "--from",
        "prescriptions/alex-example.json",
        "-o",
        "prescriptions/alex-example-2.json",
        cwd=folder,
    )
    assert result.code == 0, result.stderr
    page = (REPO / "docs" / "walkthrough.md").read_text(encoding="utf-8")
    section = page[page.index("## 12. ") :]
    today = dt.date.today().isoformat()
    for line in result.stderr.replace(today, "2026-12-08").splitlines():
        assert line in section, line
    new = _data(folder / "prescriptions" / "alex-example-2.json")
    assert f'"follows": {json.dumps(new["follows"])}' in " ".join(section.split())
