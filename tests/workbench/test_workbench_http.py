"""The workbench over HTTP, as any client (or an attacker's page) would reach it: the token,
Host and Origin checks, paths kept inside the folder, saves that keep the files' layout and
never overwrite a file changed on disk, the checks and sheets of the core."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from workbench_helpers import served_fixture

from protocol_kit.formatting import dumps

served = pytest.fixture(scope="module")(served_fixture)
EXAMPLE = "psoas-stretch-glute-bridge.json"


def example(served, name=EXAMPLE):
    return json.loads((served.folder / name).read_text("utf-8"))


def test_without_the_token_nothing_is_served(served):
    for path in ("/", f"/edit?path={EXAMPLE}", "/api/schema/protocol", "/static/workbench.js"):
        status, _, body = served.request(path, token=False)
        assert status == 401, path
        assert b"access token" in body
    status, _, _ = served.request("/", token=False, headers={"Authorization": "token wrong"})
    assert status == 401
    status, _, _ = served.request("/", token=False, headers={"Cookie": "protokit_workbench=no"})
    assert status == 401


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(served):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{served.base}/?token={served.token}&q=hip")
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
        assert answer.headers["location"] == "/?q=hip"
        cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, _, _ = served.request("/", token=False, headers={"Cookie": cookie.split(";")[0]})
    assert status == 200


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_foreign_host_is_refused_against_dns_rebinding(served):
    status, _, body = served.request("/", headers={"Host": "attacker.example:80"})
    assert status == 403 and b"not this workbench's address" in body


def test_a_foreign_origin_cannot_read_or_change_anything(served):
    before = (served.folder / EXAMPLE).read_bytes()
    data = example(served)
    data["title"] = "Changed by another site"
    status, _, _ = served.request(
        "/api/save",
        {"path": EXAMPLE, "data": data, "version": "x"},
        headers={"Origin": "http://attacker.example"},
    )
    assert status == 403
    status, _, _ = served.request("/", headers={"Origin": "http://attacker.example"})
    assert status == 403
    # A change without any Origin (not from the workbench's page) is refused as well.
    status, _, _ = served.request(
        "/api/save", {"path": EXAMPLE, "data": data, "version": "x"}, origin=False
    )
    assert status == 403
    assert (served.folder / EXAMPLE).read_bytes() == before


def test_every_answer_forbids_framing_caching_and_other_sources(served):
    status, headers, _ = served.request("/")
    assert status == 200
    lowered = {k.lower(): v for k, v in headers.items()}
    assert "frame-ancestors 'none'" in lowered["content-security-policy"]
    assert "script-src 'self'" in lowered["content-security-policy"]
    assert lowered["x-frame-options"] == "DENY"
    assert lowered["cache-control"] == "no-store"
    assert lowered["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    [
        "../outside.json",
        "/etc/passwd.json",
        "library/../../outside.json",
        ".hidden.json",
        "link/outside.json",
        "protokit.toml",
        "a\x00.json",
    ],
)
def test_no_path_leads_outside_the_folder(served, path):
    outside = served.folder.parent / "outside.json"
    outside.write_text('{"secret": true}', "utf-8")
    link = served.folder / "link"
    if not link.exists():
        link.symlink_to(served.folder.parent)
    from urllib.parse import quote

    status, _, body = served.request(f"/edit?path={quote(path)}")
    assert status in (403, 404, 422) and b"secret" not in body
    status, _ = served.json(
        "/api/save",
        {
            "path": path,
            "data": {"$schema": "https://schemas.protocol-kit.org/v1/exercise.schema.json"},
            "version": "",
        },
    )
    assert status in (403, 422)
    status, _, body = served.request(f"/print?path={quote(path)}")
    assert status in (403, 422) and b"secret" not in body
    assert outside.read_text("utf-8") == '{"secret": true}'


def test_the_checks_are_validates_at_their_pointer(served):
    data = example(served)
    del data["safety"]["stop_criteria"]
    data["exercises"][0]["dosage"]["sets"] = 0
    status, answer = served.json("/api/check", {"path": EXAMPLE, "data": data})
    assert status == 200
    found = {(f["code"], f["pointer"]) for f in answer["findings"]}
    assert ("SCHEMA002", "/safety") in found
    assert any(p == "/exercises/0/dosage/sets" for _, p in found)


def test_a_save_keeps_the_files_key_order_and_the_canonical_layout(served):
    path = served.folder / EXAMPLE
    original = path.read_text("utf-8")
    _, _, body = served.request(f"/edit?path={EXAMPLE}")
    version = json.loads(body.split(b'id="document">')[1].split(b"</script>")[0])["version"]
    data = example(served)
    # The form sends members in the schema's order; the file keeps the author's.
    shuffled = dict(reversed(list(data.items())))
    shuffled["summary"] = data["summary"] + " Changed."
    status, answer = served.json(
        "/api/save", {"path": EXAMPLE, "data": shuffled, "version": version}
    )
    assert status == 200, answer
    saved = path.read_text("utf-8")
    assert saved == dumps({**data, "summary": data["summary"] + " Changed."})
    diff = [a for a, b in zip(original.splitlines(), saved.splitlines(), strict=True) if a != b]
    assert len(diff) == 1 and diff[0].startswith('  "summary"')
    path.write_text(original, "utf-8")


def test_a_file_changed_on_disk_is_not_overwritten(served):
    path = served.folder / "library" / "glute-bridge.json"
    _, _, body = served.request("/edit?path=library/glute-bridge.json")
    version = json.loads(body.split(b'id="document">')[1].split(b"</script>")[0])["version"]
    opened = path.read_text("utf-8")
    theirs = opened.replace('"Glute bridge"', '"Glute bridge (edited elsewhere)"', 1)
    assert theirs != opened
    path.write_text(theirs, "utf-8")
    mine = json.loads(opened)
    mine["purpose"] = "Mine."
    status, answer = served.json(
        "/api/save", {"path": "library/glute-bridge.json", "data": mine, "version": version}
    )
    assert status == 409
    assert answer["theirs"] == theirs
    assert path.read_text("utf-8") == theirs  # nothing lost
    # Choosing "mine" after seeing both versions saves over it.
    status, _ = served.json(
        "/api/save",
        {"path": "library/glute-bridge.json", "data": mine, "version": answer["version"]},
    )
    assert status == 200
    assert json.loads(path.read_text("utf-8"))["purpose"] == "Mine."


def test_a_new_file_never_replaces_an_existing_one(served):
    status, answer = served.json(
        "/api/save", {"path": EXAMPLE, "data": example(served), "version": ""}
    )
    assert status == 409


def test_an_invalid_protocol_saves_as_a_draft_but_never_prints(served):
    data = example(served)
    data["id"] = "draft-only"
    del data["safety"]["stop_criteria"]
    status, answer = served.json(
        "/api/save", {"path": "draft-only.json", "data": data, "version": ""}
    )
    assert status == 200 and answer["errors"] >= 1
    assert (served.folder / "draft-only.json").exists()
    status, answer = served.json("/api/preview", {"path": "draft-only.json", "data": data})
    assert "not printable" in answer["refused"]
    status, _, body = served.request("/print?path=draft-only.json")
    assert status == 422 and b"%PDF" not in body
    (served.folder / "draft-only.json").unlink()


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "sheet.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_a_saved_prescription_prints_the_patients_sheet(served, tmp_path):
    from protocol_kit.app.check import load_protocol
    from protocol_kit.templates import new_prescription

    protocol = load_protocol(str(served.folder / EXAMPLE))
    prescription = new_prescription(protocol)
    prescription["patient"] = {"name": "Alex Example-Patient", "date_of_birth": "1980-02-03"}
    prescription["therapist"] = {"name": "Sam Therapist", "credentials": "Physiotherapist"}
    prescription["screening"] = dict.fromkeys(prescription.get("screening", {}), "no")
    for optional in ("goals", "measures"):  # the template's TODOs: this patient has none
        prescription.pop(optional, None)
    for override in prescription["overrides"]:
        override.pop("reason", None)
    prescription["overrides"] = [
        {
            "exercise": prescription["overrides"][0]["exercise"],
            "omit": True,
            "reason": "Knee pain when kneeling.",
        }
    ]
    path = "prescriptions/alex.json"
    status, answer = served.json("/api/save", {"path": path, "data": prescription, "version": ""})
    assert status == 200 and answer["errors"] == 0, answer["findings"]
    status, headers, pdf = served.request(f"/print?path={path}")
    assert status == 200 and pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Alex Example-Patient" in text
    omitted, kept = (e.name.get(protocol.language) for e in protocol.exercises[:2])
    assert kept in text
    assert omitted not in text  # the omitted exercise is not printed


def test_the_condition_code_search_finds_codes_by_words(served):
    status, answer = served.json("/api/codes?q=low%20back%20pain")
    assert status == 200
    found = {(c["system_name"], c["code"]) for c in answer["codes"]}
    assert ("WHO ICD-10", "M54.5") in found and ("SNOMED CT", "279039007") in found
    assert any(system == "ICD-10-CM" and code.startswith("M54.5") for system, code in found)


def test_the_browse_page_searches_title_condition_region_and_exercise(served):
    for query, expected in [
        ("psoas", EXAMPLE),
        ("M54.50", EXAMPLE),
        ("gluteal", "library/glute-bridge.json"),
        ("glute-bridge", "smr-dynamic-hip-mobility.json"),
    ]:
        status, _, body = served.request(f"/?q={query}")
        assert status == 200 and expected.encode() in body, query
    _, _, body = served.request("/?q=no-such-thing-anywhere")
    assert b"0 files" in body
