"""A request whose body never comes whole (H543): a client that leaves half-way is no
internal error, and a body declared larger than any request may be is refused at once."""

from __future__ import annotations

import asyncio
import socket

import pytest
from workbench_helpers import example_folder, served_fixture

from conftest import HANG_SECONDS
from protocol_kit.workbench.app import create_app


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    yield from served_fixture(tmp_path_factory)


def _post_then_leave(app, path: str) -> list[dict]:
    """The messages `app` sends for a POST whose client leaves before its body comes."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


@pytest.mark.parametrize("path", ["/api/check", "/api/save", "/api/preview", "/api/picture"])
def test_a_client_that_leaves_before_its_body_is_no_internal_error(tmp_path, capfd, path):
    app = create_app(example_folder(tmp_path))
    sent = _post_then_leave(app, path)  # raised ClientDisconnect out of the application
    assert sent[0]["status"] == 400
    err = capfd.readouterr().err
    assert "Traceback" not in err and "internal error" not in err


def test_a_body_declared_larger_than_any_request_is_refused_before_it_is_sent(served):
    host, port = served.base.removeprefix("http://").split(":")
    head = (
        f"POST /api/check HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: token {served.token}\r\nOrigin: {served.base}\r\n"
        "Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=HANG_SECONDS) as client:
        client.sendall(head)  # and no byte of the body: the answer must not wait for it
        answer = client.recv(65536)
    assert answer.startswith(b"HTTP/1.1 422"), answer[:80]
    assert b"larger than any protocol file may be" in answer
