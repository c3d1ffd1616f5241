"""What one client may hold of the workbench's connections: a TLS handshake never finished and
an answer never taken are each let go (H912, H913). Each limit is set to none here: the test
reads what the client is sent (the connection dropped), no clock."""

from __future__ import annotations

import select
import socket

import pytest
from workbench_helpers import certificate_files, example_folder, served_fixture, start

from conftest import HANG_SECONDS

served = pytest.fixture(scope="module")(served_fixture)


def _dropped(client: socket.socket) -> bool:
    """Whether the workbench dropped the connection, read without taking any of its answer:
    a reset or an end the system reports (POLLERR, POLLHUP, POLLRDHUP) within HANG_SECONDS,
    the limit of a test that hangs."""
    poller = select.poll()
    poller.register(client, getattr(select, "POLLRDHUP", 0))
    return bool(poller.poll(HANG_SECONDS * 1000))


def _read_all(client: socket.socket) -> bytes:
    answer = b""
    try:
        while part := client.recv(1 << 20):
            answer += part
    except ConnectionResetError:
        pass
    return answer


def test_an_answer_the_client_never_takes_is_dropped(served, monkeypatch):
    """H912: a client that asked for a large answer (a picture, a sheet) and read none of it
    held the connection and the whole answer in the workbench's memory for good: closing it
    waits for what is still to be sent. Once the client has taken nothing for ANSWER_SECONDS
    (none here), the connection is reset and the answer let go; others are served."""
    from protocol_kit.workbench import server

    monkeypatch.setattr(server, "ANSWER_SECONDS", 0, raising=False)
    media = served.folder / "media"
    media.mkdir(exist_ok=True)
    # Larger than what the system buffers for a connection (4 MB at most here, the client's
    # receive buffer set small), so that the workbench must wait for the client.
    size = 8 * 1024 * 1024
    (media / "large.png").write_bytes(b"\x89PNG" + bytes(size))
    host = served.base.removeprefix("http://")
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        name, port = host.split(":")
        client.connect((name, int(port)))
        client.sendall(
            f"GET /api/pictures/file?path=x.json&name=media/large.png HTTP/1.1\r\n"
            f"Host: {host}\r\nAuthorization: token {served.token}\r\n\r\n".encode()
        )
        assert _dropped(client), "the connection is still held"
        answer = _read_all(client)
    finally:
        client.close()
        (media / "large.png").unlink()
    assert len(answer) < size
    assert served.request("/api/schema/protocol")[0] == 200


@pytest.mark.parametrize("sent", [b"", b"\x16\x03\x01\x02\x00\x01"], ids=["nothing", "part"])
def test_a_tls_handshake_never_finished_is_dropped(tmp_path, monkeypatch, sent):
    """H913: with --tls-cert, a client that opened a connection and sent nothing, or the
    start of its greeting, held it for asyncio's 60 seconds (HEADER_SECONDS starts after the
    handshake). The handshake has HANDSHAKE_SECONDS (a moment here; asyncio's own limit made
    longer than a test waits, so that without the bound the test fails)."""
    import asyncio.constants

    from protocol_kit.workbench import server

    monkeypatch.setattr(server, "HANDSHAKE_SECONDS", 0.01, raising=False)
    monkeypatch.setattr(asyncio.constants, "SSL_HANDSHAKE_TIMEOUT", HANG_SECONDS * 10)
    certificate, key = certificate_files(tmp_path)
    served, stop = start(example_folder(tmp_path), certificate=certificate, key=key)
    try:
        host, port = served.base.removeprefix("https://").split(":")
        with socket.create_connection((host, int(port)), timeout=HANG_SECONDS) as client:
            client.sendall(sent)
            assert _dropped(client), "the connection is still held"
            assert _read_all(client) == b""
    finally:
        stop()
