"""RX004 on a prescription of an older protocol version tells the therapist to write a
follow-up; once a later prescription of the folder follows it, `validate` says so instead
(RX025, a warning naming the follow-up): the earlier file is the patient's record, kept as
written (H1547). `render` of it with the protocol as it is now is still refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_prescription_against_protocol import NO_TO_EVERY_QUESTION, PROTOCOL
from test_prescription_against_protocol import clinic as clinic  # the same project folder

from conftest import run_protokit
from protocol_kit.prescribing import followed_up


def _version(clinic):
    return json.loads((clinic / "protocols" / f"{PROTOCOL}.json").read_text())["version"]


def _write(clinic, name, date, version, follows=None):
    data = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": PROTOCOL, "version": version},
        "patient": {"name": "Sam Example", "date_of_birth": "1970-05-01"},
        "therapist": {"name": "A. Therapist", "credentials": "Physiotherapist"},
        "date": date,
        "start_date": date,
        "overrides": [],
        "screening": dict(NO_TO_EVERY_QUESTION),
    }
    if follows:
        data["follows"] = follows
    path = clinic / "prescriptions" / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _validate(clinic):
    return run_protokit("validate", ".", cwd=clinic / "prescriptions")


def test_an_older_prescription_that_a_follow_up_follows_is_kept_as_given(clinic):
    # Fails without H1547: "error RX004 ... write a follow-up", the follow-up beside it.
    earlier = _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic),
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    before = earlier.read_bytes()
    result = _validate(clinic)
    assert result.code == 0, result.stdout
    assert "RX004" not in result.stdout
    [line] = [line for line in result.stdout.splitlines() if "RX025" in line]
    assert line.startswith("2026-10-01-sam.json:5:16: warning RX025 prescribes version 0.9.0")
    assert "'2026-11-20-sam.json' follows it" in line
    assert "kept as written; nothing to change here" in line
    assert earlier.read_bytes() == before


def test_without_a_follow_up_it_is_still_rx004(clinic):
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-10-02-other.json", "2026-10-02", _version(clinic))
    result = _validate(clinic)
    assert result.code != 0
    assert "error RX004 prescribes version 0.9.0" in result.stdout
    assert "RX025" not in result.stdout


def test_a_follow_up_of_another_date_is_not_one(clinic):
    # A `follows` whose date is not this prescription's is RX022 on the follow-up; it does
    # not make this file's version right.
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic),
           follows={"date": "2026-09-30", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = _validate(clinic)
    assert "2026-10-01-sam.json:5:16: error RX004" in result.stdout
    assert "RX022" in result.stdout and "RX025" not in result.stdout


def test_render_of_the_followed_prescription_is_still_refused(clinic):
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic),
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = run_protokit(
        "render", f"protocols/{PROTOCOL}.json", "--prescription",
        "prescriptions/2026-10-01-sam.json", "-o", "sheet.pdf", cwd=clinic,
    )  # fmt: skip
    assert result.code != 0 and "prescribes version 0.9.0" in result.stderr
    assert not (clinic / "sheet.pdf").exists()


def test_each_file_of_the_folder_is_read_once_for_the_follow_ups(clinic, monkeypatch):
    # A chain of 40 prescriptions, each of an older version and followed by the next: the
    # folder is read once for the run, not once for each prescription that asks.
    count = 40
    dates = [(dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(count)]
    for n, date in enumerate(dates):
        follows = {"date": dates[n - 1], "file": f"rx-{n - 1:02d}.json"} if n else None
        version = "0.9.0" if n < count - 1 else _version(clinic)
        _write(clinic, f"rx-{n:02d}.json", date, version, follows)
    reads = []
    real = followed_up.read_bytes

    def counted(path, limits):
        reads.append(path)
        return real(path, limits)

    monkeypatch.setattr(followed_up, "read_bytes", counted)
    result = _validate(clinic)
    assert result.code == 0, result.stdout
    assert result.stdout.count("RX025") == count - 1
    assert len(reads) == count, len(reads)


def _render(clinic, *paths):
    return run_protokit("render", *paths, "-o", "sheet.pdf", cwd=clinic)


def test_render_of_a_followed_prescription_names_the_follow_up_to_print(clinic):
    # Fails without H1570: "write a follow-up (protokit new prescription --from this file)",
    # and a therapist who obeyed wrote a second follow-up of the same prescription.
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic),
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-10-01-sam.json"
    )
    assert result.code != 0 and not (clinic / "sheet.pdf").exists()
    [line] = result.stderr.splitlines()
    assert "'2026-11-20-sam.json' follows it: render that one;" in line, line
    assert "write a follow-up" not in line and "new prescription --from" not in line
    assert "its sheet is not printed with another version" in line
    # The follow-up itself, of the version as it is now, prints.
    printed = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-11-20-sam.json"
    )
    assert printed.code == 0, printed.stderr
    assert (clinic / "sheet.pdf").exists()


def test_render_of_a_prescription_whose_follow_up_is_of_an_older_version_too(clinic):
    # s41-users: the protocol changed after the follow-up was written; "render that one" sent
    # the therapist to a file refused in turn. The next follow-up is the one to print.
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", "0.9.1",
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-10-01-sam.json"
    )
    assert result.code != 0 and not (clinic / "sheet.pdf").exists()
    [line] = result.stderr.splitlines()
    assert "render that one" not in line, line
    assert (
        "and '2026-11-20-sam.json' follows it, of version 0.9.1 too: read what changed and write "
        "the next follow-up from that one (protokit new prescription --from it), then render the "
        "new one; this prescription is the record"
    ) in line, line


def test_render_without_a_follow_up_still_asks_for_one(clinic):
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    result = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-10-01-sam.json"
    )
    assert result.code != 0
    assert "write a follow-up (protokit new prescription --from this file)" in result.stderr


def test_the_workbench_names_the_follow_up_too(clinic):
    # Fails without H1570: the form's Checks said RX004 "write a follow-up" of a prescription
    # that a follow-up of its folder already follows.
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import NotPrintable, Workbench

    earlier = _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic),
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    bench = Workbench(Folder(clinic))
    data = json.loads(earlier.read_text(encoding="utf-8"))
    said = bench.findings_json(
        bench.check("prescriptions/2026-10-01-sam.json", data).findings, data
    )
    [rx004] = [f for f in said if f["code"] == "RX004"]
    assert "'2026-11-20-sam.json' follows it: open that one from Browse" in rx004["message"]
    assert "write a follow-up" not in rx004["message"]
    # The preview is refused in the same words.
    with pytest.raises(NotPrintable) as refused:
        bench.prescription_sheet("prescriptions/2026-10-01-sam.json", data)
    assert "'2026-11-20-sam.json' follows it: open that one from Browse" in str(refused.value)


def test_render_given_a_prescription_alone_says_how_to_print_it(clinic):
    # Fails without H1572: "is a patient's prescription, not an exercise protocol", and no
    # word of --prescription.
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", _version(clinic))
    result = _render(clinic, "prescriptions/2026-11-20-sam.json")
    assert result.code != 0 and not (clinic / "sheet.pdf").exists()
    assert result.stderr == (
        "protokit: error: prescriptions/2026-11-20-sam.json: is a patient's prescription, not "
        "an exercise protocol: its sheet is printed from its protocol, named first: protokit "
        "render PROTOCOL.json --prescription prescriptions/2026-11-20-sam.json\n"
    )


def test_a_follow_up_s_version_is_quoted_only_as_a_version(clinic):
    # The follow-up's version is read into another file's message: a value that is no version
    # (its own check reports it) is not repeated, and the message is as before.
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", "0.9.0")
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", "0.9.1\u001b[2J",
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-10-01-sam.json"
    )
    [line] = result.stderr.splitlines()
    assert "'2026-11-20-sam.json' follows it: render that one;" in line, line
    assert "\u001b" not in line and "0.9.1" not in line


def test_render_of_a_followed_prescription_prints_it_and_names_the_follow_up(clinic):
    # s41-users2: the protocol unchanged, the earlier prescription printed without a word,
    # its follow-up (other exercises, other doses) beside it.
    version = _version(clinic)
    _write(clinic, "2026-10-01-sam.json", "2026-10-01", version)
    _write(clinic, "2026-11-20-sam.json", "2026-11-20", version,
           follows={"date": "2026-10-01", "file": "2026-10-01-sam.json"})  # fmt: skip
    result = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-10-01-sam.json"
    )
    assert result.code == 0, result.stderr
    assert (clinic / "sheet.pdf").exists()  # the record can still be printed
    assert result.stderr == (
        "protokit: warning: prescriptions/2026-10-01-sam.json is followed up by "
        "2026-11-20-sam.json (2026-11-20): this sheet is of the earlier prescription; for the "
        "patient's current one, render with --prescription prescriptions/2026-11-20-sam.json\n"
    )
    # The follow-up, which nothing follows, prints without it.
    latest = _render(
        clinic, f"protocols/{PROTOCOL}.json", "--prescription", "prescriptions/2026-11-20-sam.json"
    )
    assert (latest.code, latest.stderr) == (0, "")
