"""The workbench's actions against hostile requests and hostile folders: a member of the wrong
type at any level of a request, and names of the folder that are not regular files (a folder
named `x.json`, a named pipe), each answered with one clear refusal, never an internal error
and never a hang (H169, H170)."""

from __future__ import annotations

import json
import os
import re
import threading
import urllib.parse
from pathlib import Path

import pytest
from workbench_helpers import example_folder, served_fixture, start

from conftest import HANG_SECONDS, REPO
from protocol_kit.errors import ProtokitError

served = pytest.fixture(scope="module")(served_fixture)
EXAMPLE = "psoas-stretch-glute-bridge.json"
PRESCRIPTION = "https://schemas.protocol-kit.org/v1/prescription.schema.json"


def example(served):
    return json.loads((served.folder / EXAMPLE).read_text("utf-8"))


def refused(status, answer):
    """A refusal the page can show: no internal error, one line."""
    message = answer.get("error") or answer.get("refused") or ""
    assert status in (200, 403, 409, 422), (status, answer)
    assert message and "internal error" not in message and "\n" not in message, answer
    return message


@pytest.mark.parametrize("action", ["/api/check", "/api/save", "/api/preview"])
@pytest.mark.parametrize(
    "change",
    [
        {"data": [1]},
        {"data": "text"},
        {"data": None},
        {"path": ["a.json"]},
        {"path": {"a": 1}},
        {"version": {"a": 1}},
        {"language": ["en"]},
        {"language": {"tag": "en"}},
        {"large_print": "yes"},
        {"data": {"$schema": ["a list"]}},
        {"data": {"$schema": PRESCRIPTION, "protocol": "psoas-stretch-glute-bridge"}},
    ],
    ids=lambda change: json.dumps(change)[:40],
)
def test_a_member_of_the_wrong_type_is_refused_in_one_line(served, action, change):
    sent = {"path": "new-file.json", "data": example(served), "version": "", **change}
    status, answer = served.json(action, sent)
    saved = served.folder / "new-file.json"
    if status == 200 and "refused" not in answer:
        # Data of the wrong shape inside a file is a schema error: findings (a save keeps it
        # as a draft to finish), never a failure.
        assert action != "/api/preview" and answer["findings"], answer
        assert action == "/api/save" or not saved.exists()
        saved.unlink(missing_ok=True)
    else:
        refused(status, answer)
        assert not saved.exists()
    status, _, body = served.request("/")
    assert status == 200


def test_a_prescription_on_disk_naming_its_protocol_oddly_is_listed(served):
    odd = served.folder / "odd-prescription.json"
    odd.write_text(json.dumps({"$schema": PRESCRIPTION, "protocol": "a text"}), "utf-8")
    try:
        status, _, body = served.request("/")
        assert status == 200 and b"odd-prescription.json" in body
    finally:
        odd.unlink()


@pytest.mark.parametrize("missing", ["path", "data"])
def test_a_request_without_a_member_it_needs_says_which(served, missing):
    sent = {"path": "new-file.json", "data": example(served), "version": ""}
    del sent[missing]
    status, answer = served.json("/api/check", sent)
    assert missing in refused(status, answer)


def test_a_folder_named_like_a_file_is_refused_not_an_internal_error(served):
    (served.folder / "folder.json").mkdir(exist_ok=True)
    status, answer = served.json(
        "/api/save", {"path": "folder.json", "data": example(served), "version": ""}
    )
    assert "folder" in refused(status, answer)
    status, answer = served.json(
        "/api/save", {"path": f"{EXAMPLE}/inside.json", "data": example(served), "version": ""}
    )
    refused(status, answer)
    for page in ("/edit?path=folder.json", "/print?path=folder.json"):
        status, _, body = served.request(page)
        assert status in (403, 404, 422) and b"internal error" not in body.lower()
    assert (served.folder / "folder.json").is_dir()


def test_a_named_pipe_in_the_folder_never_stops_the_workbench(served):
    pipe = served.folder / "library" / "pipe.json"
    os.mkfifo(pipe)
    answers = {}

    def ask(page):
        answers[page] = served.request(page)[0]

    try:
        for page in ("/", "/edit?path=library/pipe.json", "/print?path=library/pipe.json"):
            asking = threading.Thread(target=ask, args=(page,), daemon=True)
            asking.start()
            asking.join(HANG_SECONDS)
            # Opening the pipe for writing frees a reader that waits on it (and the test).
            assert not asking.is_alive(), f"{page} waits on a named pipe"
        assert answers["/"] == 200
        assert answers["/edit?path=library/pipe.json"] in (403, 404, 422)
        assert answers["/print?path=library/pipe.json"] in (403, 404, 422)
    finally:
        _release(pipe)
        pipe.unlink()


def _release(pipe):
    """Unblock a reader still waiting on the pipe (a failed run), so the server can stop."""
    try:
        descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # no reader waits
        return
    os.close(descriptor)


LONG_NAMES = ["a" * 300 + ".json", ("b" * 200 + "/") * 25 + "c.json"]


@pytest.mark.parametrize("name", LONG_NAMES, ids=["name-too-long", "path-too-long"])
def test_a_name_the_system_refuses_is_one_refusal_not_an_internal_error(served, name):
    """H184: a name longer than the system allows reached a `stat` outside every handler."""
    quoted = urllib.parse.quote(name)
    for action in ("/api/check", "/api/save", "/api/preview"):
        refused(*served.json(action, {"path": name, "data": example(served), "version": ""}))
    for page in (f"/api/pictures?path={quoted}", f"/api/pictures/file?path={quoted}&name=a.png"):
        refused(*served.json(page))
    refused(*served.json(f"/api/pictures?path={quoted}&name=a.png", b"\x89PNG\r\n\x1a\n"))


@pytest.mark.parametrize(
    "name",
    ["rl\u202eo.json", "zero\u200bwidth.json", "tab\t.json", "a\\b.json", " .json", "dir /x.json"],
    ids=["direction-override", "zero-width", "tab", "backslash", "leading-space", "space-folder"],
)
def test_a_name_that_does_not_show_what_it_is_is_never_saved(served, name):
    """H185: a name whose characters reorder or hide on the page (a direction override), or
    that is a folder elsewhere (a backslash), was saved as a file the list then showed as
    another name."""
    before = sorted(p.name for p in served.folder.rglob("*"))
    status, answer = served.json(
        "/api/save", {"path": name, "data": example(served), "version": ""}
    )
    assert "rename the file" in refused(status, answer)
    assert sorted(p.name for p in served.folder.rglob("*")) == before


def test_a_file_whose_name_the_page_cannot_show_is_listed_with_the_reason(served):
    """H185: a file of the folder whose name is not UTF-8 made the file list an internal error
    (every page of the workbench starts there); one with a direction override showed as
    another name. Each is listed, its name escaped, with why it cannot be opened here."""
    odd = [
        served.folder / os.fsdecode(b"latin-\xe9.json"),
        served.folder / "rl\u202eo.json",
    ]
    try:
        for path in odd:
            path.write_text("{}", "utf-8")
        status, _, body = served.request("/")
        page = body.decode("utf-8")
        assert status == 200, page[-300:]
        assert "latin-\\xe9.json" in page and "rl\\u202eo.json" in page
        assert "\u202e" not in page
        assert page.count("cannot be opened here") == 2
        assert 'href="/edit?path=rl' not in page
    finally:
        for path in odd:
            path.unlink(missing_ok=True)


def test_a_library_exercise_has_no_sheet_of_its_own_and_says_so(served):
    """H192: "Print" of a library exercise (or its preview, or any file that is not a protocol
    or a prescription) reached the protocol's sheet: `internal error: KeyError: 'exercises'`."""
    exercise = "library/glute-bridge.json"
    status, _, body = served.request(f"/print?path={exercise}")
    assert status == 422 and b"internal error" not in body.lower(), body[-300:]
    assert b"a library exercise is printed on the sheet of a protocol" in body
    data = json.loads((served.folder / exercise).read_text("utf-8"))
    for sent in (data, {"$schema": "https://example.org/other.json"}, {}):
        status, answer = served.json("/api/preview", {"path": exercise, "data": sent})
        assert "only a protocol or a prescription prints" in refused(status, answer), answer


@pytest.mark.parametrize(
    "change",
    [
        {"language": ""},
        {"language": "xx"},
        {"language": 1.5},
        {"name": {"a": "x"}},
        {"poses": "standing"},
    ],
    ids=lambda change: json.dumps(change)[:30],
)
def test_the_picture_of_an_unfinished_exercise_form_is_none_not_an_error(served, change):
    """H196: the picture pane draws the exercise as the form holds it, and the form may hold
    anything while the therapist types: a language the drawings have no words for, a name not
    yet in the form's language, a number where the language belongs made `/api/picture` an
    internal error (UsageError, MissingTranslation, AttributeError)."""
    path = "library/glute-bridge.json"
    data = {**json.loads((served.folder / path).read_text("utf-8")), **change}
    status, _, body = served.request("/api/picture", {"path": path, "data": data})
    assert status in (200, 204) and b"internal error" not in body, body

    photo = {"kind": "image", "path": "media/a.png", "alt": "A", "author": "A", "licence": "CC0"}
    data = {**json.loads((served.folder / path).read_text("utf-8")), "media": [photo]}
    refused(*served.json("/api/picture", {"path": LONG_NAMES[0], "data": data}))


def test_what_a_file_says_of_itself_is_listed_escaped(served):
    """H185: a draft whose title holds a direction override (TEXT004 reports it) was listed
    with the override working: the words of the list around it reversed."""
    draft = served.folder / "draft-title.json"
    data = example(served)
    data["title"] = "Back care \u202e for you"
    draft.write_text(json.dumps(data), "utf-8")
    try:
        status, _, body = served.request("/")
        page = body.decode("utf-8")
        assert status == 200 and "Back care \\u202e for you" in page and "\u202e" not in page
    finally:
        draft.unlink()


def test_a_file_nested_thousands_deep_never_stops_the_pages_or_a_save(served):
    """H210: the file list, a save over the file and the answer to a conflict read a file of
    the folder with `json.loads`, whose RecursionError on a file nested 5,000 levels deep made
    every page of the workbench an internal error."""
    import hashlib

    deep = served.folder / "deep.json"
    nested = "[" * 5000 + "]" * 5000
    raw = f'{{"$schema": "{PRESCRIPTION}", "x": {nested}}}'.encode()
    deep.write_bytes(raw)
    try:
        status, _, body = served.request("/")
        assert status == 200 and b"deep.json" in body, body[-300:]
        sent = {"path": "deep.json", "data": {"$schema": PRESCRIPTION}, "version": "other"}
        status, answer = served.json("/api/save", sent)
        assert status == 409 and answer["conflict"], answer
        sent["version"] = hashlib.sha256(raw).hexdigest()
        status, answer = served.json("/api/save", sent)
        assert status == 200 and "version" in answer, answer
    finally:
        deep.unlink()


def test_a_file_saved_with_a_byte_order_mark_opens_and_prints_as_validate_reads_it(served):
    """H210: `protokit validate` reads a file that starts with a byte-order mark (as Notepad
    saves it); the workbench refused to open it ("unexpected UTF-8 BOM"), and said where a
    file it cannot read goes wrong without its line and column."""
    path = served.folder / EXAMPLE
    original = path.read_bytes()
    try:
        path.write_bytes(b"\xef\xbb\xbf" + original)
        status, _, body = served.request(f"/edit?path={EXAMPLE}")
        assert status == 200, body[-300:]
        path.write_bytes(original.replace(b"{", b'{"title": 1, ', 1))
        status, _, body = served.request(f"/edit?path={EXAMPLE}")
        assert status == 422 and b"duplicate key" in body, body[-400:]
        assert re.search(rf"{EXAMPLE}:\d+:\d+: duplicate key".encode(), body), body[-400:]
    finally:
        path.write_bytes(original)


def _listed_status(served):
    """The example protocol's status in the file list."""
    page = served.request("/")[2].decode("utf-8")
    row = next(r for r in page.split("<tr") if f">{EXAMPLE}<" in r or f"path={EXAMPLE}" in r)
    return "error" if "error" in row else "valid"


def _checked_after_library_change(served, library_file):
    """The findings of the example protocol, and its status in the file list, before and
    after a TODO is written into the steps of its library exercise `library_file` (restored
    afterwards)."""
    data = example(served)
    sent = {"path": EXAMPLE, "data": data, "version": ""}
    before = served.json("/api/check", sent)[1]["findings"]
    assert _listed_status(served) == "valid"
    original = library_file.read_text("utf-8")
    changed = json.loads(original)
    changed["steps"] = ["TODO write the steps"]
    try:
        library_file.write_text(json.dumps(changed, indent=2), "utf-8")
        after = served.json("/api/check", sent)[1]["findings"]
        assert _listed_status(served) == "error"
    finally:
        library_file.write_text(original, "utf-8")
    return before, after


def test_a_library_exercise_changed_while_the_workbench_runs_is_checked_as_it_is_now(served):
    """H212: the lint rules' answers about a library exercise were kept for the life of the
    workbench, keyed by the file's path: a TODO (or a red flag sent to the next visit)
    written into a library exercise was never reported on the protocols that use it, which
    then printed."""
    before, after = _checked_after_library_change(
        served, served.folder / "library" / "glute-bridge.json"
    )
    assert not [f for f in before if f["code"] == "TEXT003"]
    assert [f for f in after if f["code"] == "TEXT003"], after


def test_a_library_folder_outside_the_workbench_folder_is_read_again_when_it_changes(tmp_path):
    """H212: a library folder named in protokit.toml outside the served folder (one library
    shared by a clinic's folders) was read once: its changes were neither checked nor
    printed until the workbench was restarted."""
    import shutil

    folder = example_folder(tmp_path)
    shutil.move(folder / "library", tmp_path / "shared")
    config = folder / "protokit.toml"
    config.write_text('library = ["../shared"]\n' + config.read_text("utf-8"), "utf-8")
    served, stop = start(folder)
    try:
        before, after = _checked_after_library_change(
            served, tmp_path / "shared" / "glute-bridge.json"
        )
    finally:
        stop()
    assert not [f for f in before if f["code"] == "TEXT003"]
    assert [f for f in after if f["code"] == "TEXT003"], after


def test_a_configuration_written_while_the_workbench_runs_is_read(tmp_path):
    """H255: the configuration was read once, at start: a therapist who wrote the clinic's
    telephone numbers into protokit.toml with the workbench open (as the walkthrough's order
    has it) was still told to add them, and nothing printed until a restart."""
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import Workbench

    folder = example_folder(tmp_path)
    config = folder / "protokit.toml"
    clinic = config.read_text("utf-8")
    config.unlink()
    bench = Workbench(Folder(folder))
    data = json.loads((folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    with pytest.raises(ProtokitError, match="phone, emergency_number and urgent_number"):
        bench.protocol_sheet("psoas-stretch-glute-bridge.json", data)
    version = bench.folder_version()
    config.write_text(clinic, "utf-8")
    assert bench.folder_version() != version  # the preview's kept sheets are not reused
    assert bench.protocol_sheet("psoas-stretch-glute-bridge.json", data).startswith(b"%PDF")
    config.write_text(clinic + "\n[clinic]\n", "utf-8")  # a mistake is reported, not ignored
    with pytest.raises(ProtokitError, match="protokit.toml"):
        bench.protocol_sheet("psoas-stretch-glute-bridge.json", data)


@pytest.mark.parametrize(
    "name",
    ["ασκήσεις.json", "腰痛.json", 'say "hi".json', "100%.json", "pé; filename=x.json"],
)
def test_a_sheet_printed_from_a_file_of_any_name_is_served_with_that_name(served, name):
    """H225: `/print` named the PDF in a Content-Disposition header as it was: a file name
    outside Latin-1 (Greek, Chinese: a clinic's own language) was `internal error:
    UnicodeEncodeError` for every print, and a quote or a semicolon in the name broke the
    header's quoting (another file name, or none, in the browser's save box)."""
    saved = served.folder / name
    saved.write_bytes((served.folder / EXAMPLE).read_bytes())
    try:
        status, headers, body = served.request(f"/print?path={urllib.parse.quote(name)}")
    finally:
        saved.unlink()
    assert status == 200 and body.startswith(b"%PDF-"), body[-300:]
    disposition = {k.lower(): v for k, v in headers.items()}["content-disposition"]
    assert disposition.isascii() and disposition.isprintable(), disposition
    # RFC 6266: a quoted ASCII name for old browsers, and the exact name (which browsers use).
    found = re.fullmatch(r'inline; filename="([^"\\;]*)"; filename\*=UTF-8\'\'(\S+)', disposition)
    assert found, disposition
    assert urllib.parse.unquote(found.group(2)) == name[: -len(".json")] + ".pdf", disposition


@pytest.mark.parametrize(
    ("action", "change"),
    [
        ("/api/preview", {"language": "x" * 9_000}),
        ("/api/preview", {"path": "y" * 9_000 + ".json"}),
        ("/api/save", {"path": "../" + "z" * 9_000 + ".json"}),
    ],
    ids=["language", "path", "outside-path"],
)
def test_a_huge_value_is_quoted_shortened_in_a_refusal(served, action, change):
    """H350: a 9,000-character "language" came back whole in the preview's refusal (and in
    every message quoting a value with `!r`): one value filled the page's message box, the
    terminal or a log line. Every quoted value is shortened in one place, with an ellipsis."""
    sent = {"path": "new-file.json", "data": example(served), "version": "", **change}
    message = refused(*served.json(action, sent))
    assert len(message) < 400 and "..." in message, message


# The limit the tests set, and how long the slow client sends within it. The client stops
# sending long before the workbench may cut it off: a byte arriving after the workbench
# closed makes the client's system reset the connection and drop the answer not yet read, so
# the margin (2.5 s) is what a busy machine may stall the client between two bytes without
# the test failing (0.4 s was not enough with eight test suites running at once).
LIMIT_SECONDS = 3.0
TRICKLE_SECONDS = 0.5


def _whole_answer(answer: bytes) -> bool:
    """Whether `answer` holds an answer's head and all of the body its Content-Length gives
    (a busy machine may send the body in a later packet than the head)."""
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return True


def _post_head(served, action, length, start):
    """An authorised POST of JSON to `action` declaring `Content-Length: length`, with the
    first characters `start` of its body."""
    host = served.base.removeprefix("http://")
    return (
        f"POST {action} HTTP/1.1\r\nHost: {host}\r\nOrigin: {served.base}\r\n"
        f"Authorization: token {served.token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n{start}"
    ).encode()


def _send_slowly(served, head, body=b"", trickle_seconds=TRICKLE_SECONDS):
    """Send `head` whole, then `body` a byte at a time (and spaces after it) for
    `trickle_seconds`, well within the limit under test, and then nothing: return the
    answer's start."""
    import select
    import socket
    import time

    host, port = served.base.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)), timeout=HANG_SECONDS)
    answer = b""
    try:
        slow.sendall(head)
        started = time.monotonic()
        # Another client is served while the slow one is still sending.
        assert served.request("/api/schema/protocol")[0] == 200
        trickle = iter(body)
        give_up = started + HANG_SECONDS
        while not _whole_answer(answer) and time.monotonic() < give_up:
            readable, _, _ = select.select([slow], [], [], 0.2)
            if readable:
                part = slow.recv(65536)
                if not part:
                    break
                answer += part
            elif time.monotonic() < started + trickle_seconds:
                slow.sendall(bytes([next(trickle, 32)]))
    finally:
        slow.close()
    return answer


def test_a_body_sent_a_byte_at_a_time_is_cut_off_while_others_are_served(served, monkeypatch):
    """H351: a client that sends its request body a byte at a time (slowloris) held its
    request open for as long as it liked: no limit on how long a body may take. It is now
    answered 408 once the body has taken longer than the guard allows, and other requests
    are answered meanwhile."""
    from protocol_kit.workbench import guard

    monkeypatch.setattr(guard, "BODY_SECONDS", LIMIT_SECONDS, raising=False)
    answer = _send_slowly(served, _post_head(served, "/api/check", "100000", "{"))
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"took longer than 3 seconds to arrive" in answer, answer
    assert b"content-length" in answer.lower(), answer


@pytest.mark.parametrize(
    ("action", "limit"),
    [
        ("/api/check", "any protocol file may be"),
        ("/api/pictures?path=psoas-stretch-glute-bridge.json&name=a.png", "67,108,864 bytes"),
    ],
    ids=["check", "picture"],
)
def test_a_request_declaring_more_than_it_may_send_is_told_why(served, monkeypatch, action, limit):
    """H586: a request declaring `Content-Length: 99999999999999999999` and sending two bytes
    was held for the guard's whole 60 seconds and then answered 408 ("took too long"), which
    does not say what was wrong. It is answered 422, saying the request is too large, once
    the client pauses (the pause set to the tests' limit, not the workbench's 5 seconds: the
    same margin after the client's last byte as the slow clients' tests, 2 seconds less of
    waiting each, thirty-fourth sitting)."""
    from protocol_kit.workbench import app

    monkeypatch.setattr(app, "PAUSE_SECONDS", LIMIT_SECONDS)
    answer = _send_slowly(served, _post_head(served, action, "99999999999999999999", "{}"))
    assert answer.startswith(b"HTTP/1.1 422 "), answer
    assert f"the request is larger than {limit}".encode() in answer, answer


@pytest.mark.parametrize(
    ("action", "chunk", "limit"),
    [
        ("/api/check", "FFFFFFFF\r\n", "any protocol file may be"),
        ("/api/check", "200001\r\n{}", "any protocol file may be"),
        ("/api/pictures?path=psoas-stretch-glute-bridge.json&name=a.png", "4000001\r\n", "67,"),
    ],
    ids=["check-size-alone", "check-size-and-bytes", "picture"],
)
def test_a_chunk_announcing_more_than_may_be_sent_is_refused_at_once(
    served, monkeypatch, action, chunk, limit
):
    """H908: a chunked body whose first chunk announces more bytes than the action takes was
    read on for the guard's whole 60 seconds and answered 408 ("took too long"), as a
    too-large Content-Length was before H586. It is answered 422, saying the request is too
    large, as soon as the chunk's size has come (the pause for the rest of a refused body
    set to none here: the answer is what is read, no clock)."""
    import socket

    from protocol_kit.workbench import app

    monkeypatch.setattr(app, "PAUSE_SECONDS", 0)
    host = served.base.removeprefix("http://")
    head = (
        f"POST {action} HTTP/1.1\r\nHost: {host}\r\nOrigin: {served.base}\r\n"
        f"Authorization: token {served.token}\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\n\r\n{chunk}"
    )
    answer = b""
    with socket.create_connection(host.split(":"), timeout=HANG_SECONDS) as client:
        client.sendall(head.encode())
        while not _whole_answer(answer):
            part = client.recv(65536)
            if not part:
                break
            answer += part
    assert answer.startswith(b"HTTP/1.1 422 "), answer
    assert f"the request is larger than {limit}".encode() in answer, answer


def test_headers_sent_a_byte_at_a_time_are_cut_off_while_others_are_served(tmp_path, monkeypatch):
    """H351: the request's headers had no time limit either: a connection sending them a byte
    at a time (or nothing at all) was held for ever, until the workbench ran out of
    connections. It is answered 408 and closed once they take longer than allowed."""
    from protocol_kit.workbench import server

    monkeypatch.setattr(server, "HEADER_SECONDS", LIMIT_SECONDS, raising=False)
    served, stop = start(example_folder(tmp_path))
    try:
        host = served.base.removeprefix("http://")
        answer = _send_slowly(served, b"GET / HTTP/1.1\r\n", (f"Host: {host}\r\n" * 1000).encode())
    finally:
        stop()
    assert answer.startswith(b"HTTP/1.1 408 "), answer


def test_two_files_whose_names_look_the_same_are_both_refused(served):
    """H355: "zoë.json" written with a precomposed ë and with e and U+0308 are two files (two
    patients' prescriptions, made by two programs) that the browse page listed with the same
    name: a therapist opened one for the other. Each is listed with why it cannot be opened,
    and neither is opened, saved or printed until one is renamed."""
    composed, decomposed = "zo\u00eb.json", "zoe\u0308.json"
    prescription = (REPO / "docs" / "examples" / "prescription-psoas.json").read_text("utf-8")
    try:
        for name in (composed, decomposed):
            (served.folder / name).write_text(prescription, "utf-8")
        status, _, body = served.request("/")
        page = body.decode("utf-8")
        assert status == 200, page[-300:]
        assert page.count("looks the same as") == 2, page[-2000:]
        for name in (composed, decomposed):
            quoted_name = urllib.parse.quote(name)
            assert served.request(f"/edit?path={quoted_name}")[0] in (403, 404)
            assert served.request(f"/print?path={quoted_name}")[0] in (403, 422)
            sent = {"path": name, "data": json.loads(prescription), "version": ""}
            message = refused(*served.json("/api/save", sent))
            assert "looks the same as" in message, message
    finally:
        for name in (composed, decomposed):
            (served.folder / name).unlink(missing_ok=True)


@pytest.mark.parametrize("number", ["9" * 5000, "0", "-1", "1e3", "\u0661", "1" + "0" * 30])
def test_a_page_number_no_sheet_has_is_not_found(served, number):
    # The route's `int` convertor converted the page number before any handler: one of 5,000
    # digits is more than Python converts, and the router's ValueError was an internal error.
    status, sheet = served.json("/api/preview", {"path": EXAMPLE, "data": example(served)})
    assert status == 200 and sheet["pages"] >= 1, sheet
    quoted_number = urllib.parse.quote(number)
    status, _, body = served.request(f"/api/preview/{sheet['sheet']}/{quoted_number}.jpg")
    assert status == 404, body[:300]
    assert b"internal error" not in body
    assert served.request(f"/api/preview/{sheet['sheet']}/1.jpg")[0] == 200


def test_a_configuration_edited_within_one_clock_tick_is_read_again(tmp_path):
    """H757: the workbench knew a file had changed by its size and modification time alone.
    An edit of the same size that kept the modification time (within one tick of the file
    system's clock, 2 s on a FAT stick; here set back with `os.utime`, as a copy tool does)
    left the old configuration in use: the preview printed the old emergency number."""
    import os

    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import Workbench

    folder = example_folder(tmp_path)
    config = folder / "protokit.toml"
    before = config.read_text("utf-8")
    assert 'emergency_number = "999"' in before
    bench = Workbench(Folder(folder))
    data = json.loads((folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    assert bench.protocol_sheet("psoas-stretch-glute-bridge.json", data).startswith(b"%PDF")
    assert bench.config.section("clinic")["emergency_number"] == "999"
    version = bench.folder_version()
    old = config.stat()
    # An editor's save: a new file put in the old one's place, the old one still held open
    # elsewhere (so its inode is not given to the new one), the same size and times.
    os.link(config, tmp_path / "held")
    edited = folder / "protokit.toml.new"
    edited.write_text(before.replace("999", "112"), "utf-8")
    os.utime(edited, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(edited, config)
    now = config.stat()
    assert (now.st_size, now.st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    assert bench.folder_version() != version  # the preview's kept sheets are not reused
    assert bench.protocol_sheet("psoas-stretch-glute-bridge.json", data).startswith(b"%PDF")
    assert bench.config.section("clinic")["emergency_number"] == "112"


def test_a_save_by_another_program_after_the_version_check_is_a_conflict(tmp_path, monkeypatch):
    """H868: the workbench compared the page's version with the file, then wrote: a save by
    an editor or `protokit fmt` in between was replaced without a word. It is a conflict now,
    with the file as the other program left it."""
    import protocol_kit.workbench.folder as folder_module
    from protocol_kit.workbench.folder import Conflict, Folder

    root = example_folder(tmp_path)
    folder = Folder(root)
    protocol = root / EXAMPLE
    data = json.loads(protocol.read_text("utf-8"))
    _, version = folder.read(EXAMPLE)
    theirs = protocol.read_text("utf-8").replace('"status": "draft"', '"status": "draft" ')
    made = folder_module.dumps

    def another_program_saves(*args, **kwargs):
        protocol.write_text(theirs, "utf-8")
        return made(*args, **kwargs)

    monkeypatch.setattr(folder_module, "dumps", another_program_saves)
    with pytest.raises(Conflict) as conflict:
        folder.save(EXAMPLE, {**data, "title": "mine"}, version)
    assert conflict.value.theirs == theirs
    assert protocol.read_text("utf-8") == theirs


@pytest.mark.skipif(
    not __import__("protocol_kit.files").files.exchange_in_one_step(),
    reason="renameat2 RENAME_EXCHANGE (Linux)",
)
def test_an_editors_save_inside_the_last_check_is_a_conflict_not_lost(tmp_path, monkeypatch):
    """H1345: an editor (no lock) saving the file in the moment between the workbench's last
    look, holding its lock, and its rename had its clinical edit replaced without a word."""
    import fcntl

    import protocol_kit.files as files
    from protocol_kit.workbench.folder import Conflict, Folder

    root = example_folder(tmp_path)
    folder = Folder(root)
    protocol = root / EXAMPLE
    data = json.loads(protocol.read_text("utf-8"))
    _, version = folder.read(EXAMPLE)
    theirs = protocol.read_text("utf-8").replace('"status": "draft"', '"status": "draft" ')
    looked, done = files.seen_now, []

    def look_then_the_editor_saves(path):
        found = looked(path)
        probe = os.open(protocol, os.O_RDONLY)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # the workbench holds its lock: this is its last look
            if not done:
                done.append(path)
                (root / "editor.tmp").write_text(theirs, "utf-8")
                os.replace(root / "editor.tmp", protocol)
        finally:
            os.close(probe)
        return found

    monkeypatch.setattr(files, "seen_now", look_then_the_editor_saves)
    with pytest.raises(Conflict) as conflict:
        folder.save(EXAMPLE, {**data, "title": "mine"}, version)
    assert done
    assert conflict.value.theirs == theirs
    assert protocol.read_text("utf-8") == theirs


def test_of_two_tabs_saving_one_file_the_second_gets_a_conflict(tmp_path):
    """Two tabs (or two workbenches on one folder) opened the same version: the first save
    is written, the second is a conflict showing the first's file, never written over it."""
    from protocol_kit.workbench.folder import Conflict, Folder

    root = example_folder(tmp_path)
    data = json.loads((root / EXAMPLE).read_text("utf-8"))
    first_tab, second_tab = Folder(root), Folder(root)
    _, version = first_tab.read(EXAMPLE)
    assert second_tab.read(EXAMPLE)[1] == version
    first_tab.save(EXAMPLE, {**data, "title": "first tab"}, version)
    with pytest.raises(Conflict) as conflict:
        second_tab.save(EXAMPLE, {**data, "title": "second tab"}, version)
    assert '"title": "first tab"' in conflict.value.theirs
    assert json.loads((root / EXAMPLE).read_text("utf-8"))["title"] == "first tab"


def test_a_picture_another_program_saved_meanwhile_is_taken_not_an_error(tmp_path, monkeypatch):
    """H868: a picture put under the same name by another program between the workbench's
    look and its write was refused with the command line's words ("use --force")."""
    import io

    from PIL import Image

    import protocol_kit.files as files
    from protocol_kit.workbench.folder import Folder, PictureTaken

    root = example_folder(tmp_path)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, "PNG")
    link = files.os.link

    def another_program_first(source, destination):
        Path(destination).write_bytes(b"another program's picture")
        return link(source, destination)

    monkeypatch.setattr(files.os, "link", another_program_first)
    with pytest.raises(PictureTaken, match="already holds another picture: nothing was replaced"):
        Folder(root).save_picture(EXAMPLE, "start.png", picture.getvalue())
    assert (root / "media" / "start.png").read_bytes() == b"another program's picture"


@pytest.mark.parametrize(
    "record", [b"{not json", b'{"format_version": 1, "files": {"../x.json": {}}}', None]
)
def test_a_damaged_or_strange_import_record_never_stops_the_edit_page(tmp_path, record):
    """The edit page names the publisher of an imported protocol from the import record
    (`.protokit/imports.json`): a record that cannot be read, or one that is a link to a
    device, says nothing there (the import itself names it) and the page opens."""
    from protocol_kit.workbench.folder import Folder
    from protocol_kit.workbench.service import Workbench

    folder = example_folder(tmp_path)
    (folder / ".protokit").mkdir()
    path = folder / ".protokit" / "imports.json"
    if record is None:
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(record)
    bench = Workbench(Folder(folder))
    raw = (folder / EXAMPLE).read_bytes()
    assert bench.imported_note(EXAMPLE, raw) is None
