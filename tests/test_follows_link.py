"""`validate` checks a follow-up's link to the prescription it follows (`follows`): the file
is there (RX021, a warning), and it is a prescription of the same patient dated as
`follows.date` says (RX022, an error), at the `follows` field's line and column, in every
format."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_protokit

EXAMPLE = REPO / "docs" / "examples" / "prescription-psoas.json"


@pytest.fixture
def clinic(tmp_path):
    """The example protocols, and Alex's prescription of 2026-11-20 with its follow-up of
    2026-12-04 in prescriptions/, linked as `new prescription --from` links them."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copy(REPO / "protokit.toml", tmp_path / "protokit.toml")
    folder = tmp_path / "prescriptions"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "alex.json")
    earlier = _data(folder / "alex.json")
    assert earlier["date"] == "2026-11-20"
    follow_up = dict(earlier, date="2026-12-04", start_date="2026-12-04")
    follow_up.pop("review_date", None)
    follow_up["follows"] = {"date": "2026-11-20", "file": "alex.json"}
    _write(folder / "alex-2.json", follow_up)
    return tmp_path


def _data(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path, data):
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _change(path, change):
    data = _data(path)
    change(data)
    _write(path, data)


def _validate(folder, *arguments):
    return run_protokit("validate", "prescriptions/alex-2.json", *arguments, cwd=folder)


def _position(path, key):
    """The 1-based line and column of `key`'s value inside `follows` (json.dumps, indent 2)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f'    "{key}": '):
            return number, len(f'    "{key}": ') + 1
    raise AssertionError(key)


def test_a_follow_up_linked_as_written_passes(clinic):
    result = _validate(clinic)
    assert result.code == 0, result.stdout
    assert "RX021" not in result.stdout and "RX022" not in result.stdout


def test_a_missing_earlier_file_is_a_warning_at_follows_file(clinic):
    """H1375: the record's link leads nowhere; the follow-up's sheet is still right."""
    (clinic / "prescriptions" / "alex.json").rename(clinic / "prescriptions" / "moved.json")
    result = _validate(clinic)
    assert result.code == 0, result.stdout
    line, column = _position(clinic / "prescriptions" / "alex-2.json", "file")
    assert f"alex-2.json:{line}:{column}: warning RX021" in result.stdout
    assert "follows file 'alex.json' was not found" in result.stdout


def test_another_patients_prescription_is_an_error(clinic):
    """H1376: a follow-up linked to another patient's prescription would join two patients'
    care in the record."""
    _change(clinic / "prescriptions" / "alex.json",
            lambda d: d["patient"].update(name="Sam Other", identifier="X-999"))  # fmt: skip
    result = _validate(clinic)
    assert result.code == 1
    line, column = _position(clinic / "prescriptions" / "alex-2.json", "file")
    assert f"alex-2.json:{line}:{column}: error RX022" in result.stdout
    assert "another patient (its name and identifier differ)" in result.stdout


def test_a_retyped_name_is_the_same_patient(clinic):
    """Case and spacing of a name are not another patient."""
    _change(clinic / "prescriptions" / "alex.json",
            lambda d: d["patient"].update(name=" " + d["patient"]["name"].upper()))  # fmt: skip
    assert _validate(clinic).code == 0


def test_a_date_that_is_not_the_earlier_prescriptions_is_an_error_at_follows_date(clinic):
    """H1377: the sheet prints a date the record contradicts."""
    _change(
        clinic / "prescriptions" / "alex-2.json", lambda d: d["follows"].update(date="2026-11-21")
    )
    result = _validate(clinic)
    assert result.code == 1
    line, column = _position(clinic / "prescriptions" / "alex-2.json", "date")
    assert f"alex-2.json:{line}:{column}: error RX022" in result.stdout
    assert "follows date 2026-11-21 is not the date of 'alex.json' (2026-11-20)" in result.stdout


def test_a_file_that_is_not_a_prescription_or_is_itself_is_an_error(clinic):
    """H1378: a protocol, or the follow-up itself, named as the earlier prescription."""
    path = clinic / "prescriptions" / "alex-2.json"
    _change(
        path, lambda d: d["follows"].update(file="../protocols/psoas-stretch-glute-bridge.json")
    )
    result = _validate(clinic)
    assert result.code == 1 and "RX022" in result.stdout
    assert "is not a prescription" in result.stdout
    _change(path, lambda d: d["follows"].update(file="alex-2.json", date="2026-12-04"))
    result = _validate(clinic)
    assert result.code == 1 and "is this prescription itself" in result.stdout


def test_an_earlier_file_that_cannot_be_checked_is_a_warning(clinic):
    """H1379: an earlier file that is not JSON, or not a valid prescription, or a folder: a
    warning, not a traceback."""
    earlier = clinic / "prescriptions" / "alex.json"
    earlier.write_text("{not json", encoding="utf-8")
    result = _validate(clinic)
    assert result.code == 0 and "is not valid JSON" in result.stdout
    _write(earlier, {**_data(EXAMPLE), "patient": {}})
    result = _validate(clinic)
    assert result.code == 0 and "is not a valid prescription" in result.stdout
    earlier.unlink()
    earlier.mkdir()
    result = _validate(clinic)
    assert result.code == 0 and "was not found or cannot be read" in result.stdout


@pytest.mark.parametrize("form", ["json", "github", "sarif", "junit"])
def test_the_finding_is_in_every_format(clinic, form):
    _change(
        clinic / "prescriptions" / "alex-2.json", lambda d: d["follows"].update(date="2026-11-21")
    )
    result = _validate(clinic, "--format", form)
    assert result.code == 1
    assert "RX022" in result.stdout
    line, _ = _position(clinic / "prescriptions" / "alex-2.json", "date")
    assert str(line) in result.stdout
