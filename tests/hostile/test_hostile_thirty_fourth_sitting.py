"""The thirty-fourth sitting's hostile inputs (s40-hostile): a `library` list naming one folder
200,000 times (H1610); a folder of prescriptions of many protocols, each id's search reading
the folder again (H1611); a protocol edited in place, at the same size and with its time set
back, on a file system without change times, during `build` (H1612); an edit the workbench's
or `fmt`'s save did not see (H1613); a program holding the file open for writing across the
save (H1614)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from conftest import HANG_SECONDS, PROTOCOLS, REPO, run_protokit
from hostile_helpers import NoChangeTimes

PSOAS = "psoas-stretch-glute-bridge"
PRESCRIPTION = REPO / "docs" / "examples" / "prescription-psoas.json"


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    shutil.copyfile(REPO / "protokit.toml", tmp_path / "protokit.toml")
    return tmp_path


# H1610 ------------------------------------------------------------------------------------


def test_a_library_list_naming_one_folder_many_times_resolves_it_once(clinic, monkeypatch):
    """Each name of the configuration's `library` list was resolved (and checked) on its
    own: 200,000 names of one folder, 28 s of a one-file `validate` (three resolutions a
    name). Each folder is looked at once."""
    (clinic / "exercises").mkdir()
    shutil.copyfile(
        clinic / "protocols" / "library" / "glute-bridge.json",
        clinic / "exercises" / "glute-bridge.json",
    )
    names = ["exercises", "exercises/", "./exercises"] * 333  # (at most 1,000: below)
    config = (clinic / "protokit.toml").read_text("utf-8")
    (clinic / "protokit.toml").write_text(f"library = {json.dumps(names)}\n{config}", "utf-8")
    resolved = []
    resolve = Path.resolve

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        resolved.append(self)
        return resolve(self, *args, **kwargs)

    monkeypatch.setattr(Path, "resolve", counted)
    result = run_protokit("validate", f"protocols/{PSOAS}.json", cwd=clinic)
    assert result.code == 0, result.stdout + result.stderr
    # Fails without the fix: 2,004 (each name resolved by the configuration and again by the
    # library; checked).
    assert len(resolved) < 100, len(resolved)


def test_a_library_list_of_more_folders_than_any_clinic_keeps_is_refused(clinic):
    """Spellings of one folder that differ (`a/../library`, `b/../library`, ...) are each
    resolved: 130,000 of them fit the file's 4 MB. A list of more than 1,000 is refused at
    its line and column."""
    names = [f"{'./' * (n // 32)}protocols{'/' * (1 + n % 32)}library" for n in range(1001)]
    config = (clinic / "protokit.toml").read_text("utf-8")
    (clinic / "protokit.toml").write_text(f"library = {json.dumps(names)}\n{config}", "utf-8")
    result = run_protokit("validate", f"protocols/{PSOAS}.json", cwd=clinic)
    assert result.code == 2, result.stdout + result.stderr
    assert result.stderr.strip() == (
        "protokit: error: protokit.toml:1:11: library: lists more than 1,000 items: name each "
        "one once"
    )
    names.pop()
    (clinic / "protokit.toml").write_text(f"library = {json.dumps(names)}\n{config}", "utf-8")
    assert run_protokit("validate", f"protocols/{PSOAS}.json", cwd=clinic).code == 0


# H1611 ------------------------------------------------------------------------------------


def _prescriptions_of_each_protocol(folder: Path, each: int) -> int:
    """Every example protocol in `folder` and `each` prescriptions of it, named by date (so
    listed before the protocols, as a clinic files them); the number of `*.json` files."""
    shutil.copytree(PROTOCOLS / "library", folder / "library")
    template = json.loads(PRESCRIPTION.read_text("utf-8"))
    for protocol in sorted(PROTOCOLS.glob("*.json")):
        shutil.copyfile(protocol, folder / protocol.name)
        data = json.loads(protocol.read_text("utf-8"))
        for number in range(each):
            prescription = dict(template, protocol={"id": data["id"]}, screening={})
            prescription.pop("overrides", None)
            name = f"2026-11-20-{data['id']}-{number}.json"
            (folder / name).write_text(json.dumps(prescription, indent=2), "utf-8")
    return len(list(folder.glob("*.json")))


def test_each_file_beside_prescriptions_of_many_protocols_is_read_once(tmp_path, protocol_reads):
    """The protocol each prescription names was looked for once a run for each folder and
    id (H1422), but each id's search listed the folder again and read every file until the
    protocol: 400 prescriptions of 200 protocols, the workbench's first list 10 of its 15
    seconds. Each file of the folder is now read once, whatever the number of ids."""
    folder = tmp_path / "records"
    folder.mkdir()
    files = _prescriptions_of_each_protocol(folder, 4)
    result = run_protokit("validate", "records", "--jobs", "1", cwd=tmp_path)
    assert "RX001" not in result.stdout, result.stdout  # (each found its protocol)
    # Fails without the fix: 110 reads of the 25 files (each of the five ids read the
    # twenty prescriptions listed first again; checked).
    assert len(protocol_reads) <= files, (len(protocol_reads), files)


def test_each_prescription_is_still_checked_against_the_protocol_it_names(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    _prescriptions_of_each_protocol(folder, 1)
    questions = {
        json.loads(path.read_text("utf-8"))["id"]: {
            question["id"] for question in json.loads(path.read_text("utf-8")).get("screening", [])
        }
        for path in PROTOCOLS.glob("*.json")
    }
    every = set().union(*questions.values())
    result = run_protokit("validate", "records", "--jobs", "1", "-f", "json", cwd=tmp_path)
    checked = 0
    for file in json.loads(result.stdout)["files"]:
        if file["path"].startswith("records/2026-11-20-"):
            # The screening questions asked are those of the protocol it names, and no other.
            named = file["path"].removeprefix("records/2026-11-20-").removesuffix("-0.json")
            said = " ".join(f["message"] for f in file["findings"])
            assert all(question in said for question in questions[named]), (named, said)
            assert not any(q in said for q in every - questions[named]), (named, said)
            checked += 1
    assert checked == 5


# H1612 ------------------------------------------------------------------------------------


def _edited_in_place(path: Path, old: bytes, new: bytes) -> None:
    """`path` written in place at the same size, its modification time set back (`touch -r`,
    `cp -p` into it, an unzip that keeps the archive's times)."""
    before = os.stat(path)
    text = path.read_bytes()
    changed = text.replace(old, new, 1)
    assert len(changed) == len(text) and changed != text
    with open(path, "r+b") as file:  # the same inode, the same size
        file.write(changed)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_older_protocol_edited_in_place_during_build_makes_no_sheet(monkeypatch, clinic):
    """H1476's "not covered": a protocol last written an hour ago (its bytes were compared
    only when written in the last 3 s), edited in place after the checks at the same size and
    its time set back, on a file system without change times, was printed from what the
    checks never saw ("built 5 sheets"). Every file's bytes are compared now."""
    from protocol_kit.app import build, build_inputs

    monkeypatch.setattr(build_inputs, "os", NoChangeTimes())
    target = clinic / "protocols" / f"{PSOAS}.json"
    an_hour_ago = time.time_ns() - 3600 * 1_000_000_000
    os.utime(target, ns=(an_hour_ago, an_hour_ago))
    real = build.check_paths

    def then_edited(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        answer = real(*args, **kwargs)
        _edited_in_place(target, b'"title": "Lower', b'"title": "LOWER')  # (still valid)
        return answer

    monkeypatch.setattr(build, "check_paths", then_edited)
    result = run_protokit(
        "build", "protocols", "-o", "out", "--no-bundle", "--jobs", "1", cwd=clinic
    )
    # Fails without the fix: exit 0, "built 5 sheets" (checked).
    assert result.code == 1, result.stdout + result.stderr
    assert f"protocols/{PSOAS}.json changed while the build ran" in result.stdout
    assert not (clinic / "out" / f"{PSOAS}.pdf").exists()
    assert len(list((clinic / "out").glob("*.pdf"))) == 4


# H1613 ------------------------------------------------------------------------------------


def _edited_after_the_read(monkeypatch, folder, relative: str, old: bytes, new: bytes):
    """The workbench's folder, whose file `relative` an editor saves in place (the same size,
    its modification time set back) just after the workbench read it to save."""
    read = folder.read
    edits = []

    def then_edited(name):  # noqa: ANN001, ANN202
        answer = read(name)
        if name == relative and not edits:
            edits.append(1)
            _edited_in_place(folder.resolve(relative), old, new)
        return answer

    monkeypatch.setattr(folder, "read", then_edited)


@pytest.mark.parametrize("change_times", [True, False])
def test_an_edit_in_place_after_the_workbenchs_read_is_not_replaced(
    monkeypatch, clinic, change_times
):
    """The workbench's save compared the file with the one it read by device, inode, size
    and modification time: an editor's edit in place of the same size whose modification
    time is set back, or made in the same tick of the file system's clock, was replaced
    without a word. The change time and the bytes read are compared too."""
    from protocol_kit import files
    from protocol_kit.workbench.folder import Conflict, Folder

    if not change_times:
        monkeypatch.setattr(files, "os", NoChangeTimes())
    folder = Folder(clinic / "protocols")
    relative = "library/glute-bridge.json"
    _, version = folder.read(relative)
    data = json.loads(folder.resolve(relative).read_text("utf-8"))
    data["name"] = "Bridge (the therapist's)"
    _edited_after_the_read(monkeypatch, folder, relative, b'"name": "Glute', b'"name": "GLUTE')
    editor = folder.resolve(relative).read_bytes()
    # Fails without the fix: the save goes through, the editor's edit gone (both cases;
    # checked).
    with pytest.raises(Conflict):
        folder.save(relative, data, version)
    on_disk = folder.resolve(relative).read_bytes()
    assert on_disk != editor and b'"name": "GLUTE' in on_disk  # the editor's, kept


def test_fmt_does_not_replace_an_edit_in_place_after_its_read(monkeypatch, clinic):
    from protocol_kit.app import fmt

    target = clinic / "protocols" / "library" / "glute-bridge.json"
    target.write_text(json.dumps(json.loads(target.read_text("utf-8"))), "utf-8")  # one line
    real = fmt.read_bytes

    def then_edited(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        answer = real(*args, **kwargs)
        _edited_in_place(target, b'"name": "Glute', b'"name": "GLUTE')
        return answer

    monkeypatch.setattr(fmt, "read_bytes", then_edited)
    edited_size = target.stat().st_size
    result = run_protokit("fmt", "protocols/library/glute-bridge.json", cwd=clinic)
    # Fails without the fix: exit 0, "1 file reformatted", the editor's "GLUTE" gone (checked).
    assert result.code != 0, result.stdout + result.stderr
    assert "was written by another program" in result.stdout + result.stderr
    assert b'"name": "GLUTE' in target.read_bytes() and target.stat().st_size == edited_size


# H1614 ------------------------------------------------------------------------------------


def test_a_save_over_a_file_another_program_holds_open_for_writing_is_refused(clinic):
    """A program holding the file open for writing (a script, an editor that writes through
    the file it opened) writes, after the workbench's save, into the file the save took
    away, which no name leads to: its writes lost without a word. The save is refused, the
    file left for the program to finish, its writes kept."""
    from protocol_kit.errors import OutputError
    from protocol_kit.files import exchange_in_one_step
    from protocol_kit.workbench.folder import Folder

    if not exchange_in_one_step():
        pytest.skip("a system that cannot swap two files (Linux only)")
    if not _leases_here(clinic):
        pytest.skip("a file system without leases (the save cannot tell; said in H1614)")
    folder = Folder(clinic / "protocols")
    relative = "library/glute-bridge.json"
    _, version = folder.read(relative)
    data = json.loads(folder.resolve(relative).read_text("utf-8"))
    data["name"] = "Bridge (the therapist's)"
    with open(folder.resolve(relative), "r+b") as holder:
        # Fails without the fix: the save goes through (checked).
        with pytest.raises(OutputError, match="another program has it open for writing"):
            folder.save(relative, data, version)
        holder.seek(0, os.SEEK_END)
        holder.write(b"\n")
    assert folder.resolve(relative).read_bytes().endswith(b"}\n\n")  # its write kept


def _leases_here(folder: Path) -> bool:
    """Whether the file system of `folder` gives a read lease (overlay and network file
    systems may not)."""
    import fcntl

    probe = folder / "lease-probe"
    probe.write_bytes(b"")
    handle = os.open(probe, os.O_RDONLY)
    try:
        fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_RDLCK)
        fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return True
    except OSError:
        return False
    finally:
        os.close(handle)
        probe.unlink()


# H1615 ------------------------------------------------------------------------------------


def test_at_the_budget_a_newcomer_takes_the_place_of_the_most_crowded_address(monkeypatch):
    """H1615: slow clients from 16 of the machine's own addresses (127.0.0.2 on, 64 each)
    held every place the workbench has (the budget, H1347), and a newcomer was closed unless
    its request showed the token: under TLS the browser's page did not load while they
    lasted (0 of 10 loads once they were all in). A newcomer from an address holding fewer
    connections now takes the place of one of the address holding the most. The listening
    socket's own accept; the budget 4, the share 2."""
    from protocol_kit.workbench import server

    monkeypatch.setattr(server, "PEER_CONNECTIONS", 2, raising=False)
    monkeypatch.setattr(server, "_connection_budget", lambda: 4)
    listening = server.listening_socket("127.0.0.1", 0)
    listening.token = b"the-token"
    address = listening.getsockname()
    opened: list[socket.socket] = []

    def client_from(source: str) -> socket.socket:
        client = socket.create_connection(address, HANG_SECONDS, (source, 0))
        opened.append(client)
        opened.append(listening.accept()[0])
        return client

    def ended(client: socket.socket) -> bool:
        client.setblocking(False)
        try:
            return client.recv(1) == b""
        except BlockingIOError:
            return False

    try:
        flood = [client_from(source) for source in ("127.0.0.2", "127.0.0.3") for _ in "ab"]
        listening.setblocking(False)  # as under asyncio: none to admit is an error, not a wait
        # (the browser's TLS greeting is encrypted: no token to see)
        browser = socket.create_connection(address, HANG_SECONDS, ("127.0.0.1", 0))
        opened.append(browser)
        # Fails without the fix: BlockingIOError, the browser's connection closed (checked).
        opened.append(listening.accept()[0])
        assert not ended(browser)
        assert [ended(client) for client in flood] == [True, False, False, False]
    finally:
        for connection in [*opened, listening]:
            connection.close()


# H1616 ------------------------------------------------------------------------------------


def test_connections_that_are_not_http_are_said_once_not_each(tmp_path):
    """H1616: uvicorn warns of each connection whose bytes are not an HTTP request: a program
    sending garbage as fast as it could connect printed the warning 1,173 times in 10 s on
    the terminal the workbench was started from (the address with its token scrolled away).
    Said once a run, in the workbench's words, through the logger uvicorn warns with."""
    import logging

    from protocol_kit.workbench.server import ServeOptions, prepare

    running = prepare(ServeOptions(PROTOCOLS), token="t" * 32)
    said: list[str] = []

    class Kept(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    logger = logging.getLogger("uvicorn.error")
    kept = Kept()
    logger.addHandler(kept)
    try:
        for _ in range(3):  # as uvicorn's h11 protocol warns of each
            logger.warning("Invalid HTTP request received.", exc_info=None)
        logger.warning("another warning")
    finally:
        logger.removeHandler(kept)
        running.sock.close()
    # Fails without the fix: the three warnings, each as uvicorn words it (checked).
    assert len(said) == 2, said
    assert said[0].startswith("a connection sent something that is not an HTTP request")
    assert said[1] == "another warning"


# H1617 ------------------------------------------------------------------------------------


def test_a_key_of_thousands_of_dotted_parts_is_refused_before_it_is_parsed(clinic, monkeypatch):
    """H1617: tomllib's time grows with the square of a dotted key's parts: `[lint]` and
    `a.a.a...b = 1` of 20,000 parts (a 40 KB protokit.toml) had not ended `validate` after a
    minute, and 4 MB hold a key of two million. Such a key would be nested too deep anyway:
    it is refused at its line and column before the file is parsed."""
    import tomllib

    parsed = []
    loads = tomllib.loads

    def counted(text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        parsed.append("a.a.a" in text)
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counted)
    config = (clinic / "protokit.toml").read_text("utf-8")
    deep = "[lint]\n  " + "a." * 2000 + "b = 1\n"
    (clinic / "protokit.toml").write_text(config + deep, "utf-8")
    line = config.count("\n") + 2
    result = run_protokit("validate", f"protocols/{PSOAS}.json", cwd=clinic)
    assert result.code == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"protokit: error: protokit.toml:{line}:3: not usable: its tables or arrays are nested "
        "deeper than 16 levels\n"
    )
    # Fails without the fix: parsed (in 0.2 s at 2,000 parts; 3.3 s at 8,000), then refused
    # without a place (checked).
    assert True not in parsed


def test_dots_in_quoted_keys_and_values_are_not_parts(clinic):
    config = (clinic / "protokit.toml").read_text("utf-8")
    dotted = "." * 40
    (clinic / "protokit.toml").write_text(
        config + f'\n[lint.severity]\n"x{dotted}y" = "off"\n', "utf-8"
    )
    result = run_protokit("validate", f"protocols/{PSOAS}.json", cwd=clinic)
    # (refused for what the key is, not for its dots)
    assert "nested deeper" not in result.stderr, result.stderr
