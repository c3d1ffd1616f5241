"""The workbench against the thirty-fourth sitting's second round of hostile requests
(s40-hostile2): file and picture names Windows keeps for its devices (H1647); a request whose
headers are more than the server reads (H1648)."""

from __future__ import annotations

import json
import socket

import pytest
from workbench_helpers import served_fixture

from conftest import HANG_SECONDS
from protocol_kit.workbench.folder import NEW_FILE, Folder, PathRefused, PictureRefused

served = pytest.fixture(scope="module")(served_fixture)

A_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\x9cc\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    "name",
    ["NUL.json", "con.json", "aux/x.json", "library/COM1.json", "lpt9.old.json", "Prn .json"],
)
def test_a_new_file_named_as_a_device_on_windows_is_not_saved(tmp_path, name):
    with pytest.raises(PathRefused, match="the name of a device on Windows"):
        Folder(tmp_path).save(name, {"id": "x"}, NEW_FILE)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["console.json", "nully.json", "com10.json", "library/lpt.json"])
def test_a_name_that_only_starts_like_a_device_is_saved(tmp_path, name):
    Folder(tmp_path).save(name, {"id": "x"}, NEW_FILE)
    assert json.loads((tmp_path / name).read_text("utf-8")) == {"id": "x"}


def test_a_file_already_named_as_a_device_is_opened_and_saved_as_before(tmp_path):
    (tmp_path / "aux.json").write_text('{"id": "x"}', "utf-8")
    folder = Folder(tmp_path)
    _, version = folder.read("aux.json")
    folder.save("aux.json", {"id": "y"}, version)
    assert json.loads((tmp_path / "aux.json").read_text("utf-8")) == {"id": "y"}


def test_a_picture_named_as_a_device_on_windows_is_not_saved(tmp_path):
    with pytest.raises(PictureRefused, match="the name of a device on Windows"):
        Folder(tmp_path).save_picture("p.json", "nul.png", A_PNG)
    assert not (tmp_path / "media").exists()


def test_a_save_named_as_a_device_on_windows_is_refused_and_nothing_written(served):
    data = json.loads((served.folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    status, answer = served.json("/api/save", {"path": "aux.json", "data": data, "version": ""})
    assert status == 403
    assert "the name of a device on Windows" in answer["error"]
    assert not (served.folder / "aux.json").exists()


def test_a_new_protocol_named_as_a_device_on_windows_opens_its_form(served):
    status, _, page = served.request("/new?kind=protocol&id=nul")
    assert status == 200
    assert b"internal error" not in page


def test_headers_larger_than_the_server_reads_are_answered_431_in_one_line(served):
    host, port = served.base.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=HANG_SECONDS) as client:
        # more than h11's 16 KB, the headers not ended: as a browser's many cookies arrive
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + b"a" * 20_000)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    head, _, text = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert text.count(b"\n") == 1
    assert b"longer than the workbench reads (16 KB)" in text
