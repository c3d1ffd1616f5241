"""A request whose body never comes whole (H543): a client that leaves half-way is no
internal error."""

from __future__ import annotations

import pytest
from workbench_helpers import example_folder, run_in_own_thread

from protocol_kit.workbench.app import create_app


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

    # In a thread of its own: another test's event loop may be running in this one.
    run_in_own_thread(app(scope, receive, send))
    return sent


@pytest.mark.parametrize("path", ["/api/check", "/api/save", "/api/preview", "/api/picture"])
def test_a_client_that_leaves_before_its_body_is_no_internal_error(tmp_path, capfd, path):
    app = create_app(example_folder(tmp_path))
    sent = _post_then_leave(app, path)  # raised ClientDisconnect out of the application
    assert sent[0]["status"] == 400
    err = capfd.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
