"""A request the server has answered itself before the guard refuses it (H685): no traceback.

A POST with no token, or from no page of the workbench, is refused by the guard from its
headers alone. Sent with "Transfer-Encoding: chunked" and a chunk size that is no number, the
server (uvicorn) answers 400 itself as it reads the body, and the guard's refusal after it
raised h11's LocalProtocolError: "Exception in ASGI application" and a traceback in the
workbench's terminal. Here the server's `send` is one that has answered already, as uvicorn's
is then, so the test does not depend on which of the two comes first.
"""

from __future__ import annotations

import h11
import pytest
from workbench_helpers import run_in_own_thread

from protocol_kit.workbench.guard import Guard


def _guarded(headers: list[tuple[bytes, bytes]], query: bytes = b"") -> list[dict]:
    """The messages the guard sent through a server that had answered the request itself;
    raises what the guard raised."""
    reached: list[dict] = []

    async def app(scope, receive, send) -> None:
        reached.append(scope)

    guard = Guard(app, "the-token", ["127.0.0.1:8000"])
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/save",
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
    }
    tried: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        tried.append(message)
        raise h11.LocalProtocolError(
            "can't handle event type Response when role=SERVER and state=MUST_CLOSE"
        )

    run_in_own_thread(guard(scope, receive, send))
    assert not reached, "a refused request reached the workbench"
    return tried


@pytest.mark.parametrize(
    "headers, query",
    [
        ([], b""),  # no page of the workbench (no Origin): refused
        ([(b"origin", b"http://127.0.0.1:8000")], b""),  # no token: refused
        ([], b"token=the-token"),  # the token in the address: sent on with a cookie
    ],
    ids=["no-origin", "no-token", "token-redirect"],
)
def test_a_request_the_server_answered_is_not_answered_again(headers, query):
    tried = _guarded(headers, query)
    assert [message["type"] for message in tried] == ["http.response.start"]


def test_another_failure_to_send_is_still_raised():
    class Broken(Exception):
        pass

    async def app(scope, receive, send) -> None:
        raise AssertionError("not reached")

    async def send(message: dict) -> None:
        raise Broken

    guard = Guard(app, "the-token", ["127.0.0.1:8000"])
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": []}
    with pytest.raises(Broken):
        run_in_own_thread(guard(scope, None, send))
