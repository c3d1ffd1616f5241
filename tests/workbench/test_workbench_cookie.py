"""The workbench's token cookie is read in time that grows with the header's length (H910).

http.cookies.SimpleCookie, which read the Cookie header before, takes time that grows with the
square of a quoted value's backslashes on the Pythons protokit runs on (CVE-2024-7592): a 15 KB
header held the workbench's only thread for a second, before the token was checked, and eight
such requests at once kept a therapist's page waiting 7.6 s. The guard is called in-process
here, with that parser made to fail the test if it is reached (no clock).
"""

from __future__ import annotations

import http.cookies

import pytest
from workbench_helpers import run_in_own_thread

from protocol_kit.workbench.guard import Guard

CRAFTED = 'a="' + "\\" * 15000 + '"'


class ReadByHttpCookies(BaseException):
    """Raised through the guard's own `except Exception`, to fail the test."""


def _status(cookie: str) -> int:
    """The status the guard answers a page request carrying `cookie` with (200: reached the
    workbench)."""
    answered: list[int] = []

    async def app(scope, receive, send) -> None:
        answered.append(200)

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answered.append(message["status"])

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    guard = Guard(app, "the-token", ["127.0.0.1:8000"])
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"cookie", cookie.encode())],
    }
    run_in_own_thread(guard(scope, receive, send))
    return answered[0]


@pytest.fixture(autouse=True)
def _no_http_cookies(monkeypatch):
    def load(self, rawdata):
        raise ReadByHttpCookies("the Cookie header was read by http.cookies (CVE-2024-7592)")

    monkeypatch.setattr(http.cookies.BaseCookie, "load", load)


@pytest.mark.parametrize(
    ("cookie", "status"),
    [
        (CRAFTED, 401),
        (f"{CRAFTED}; protokit_workbench=the-token", 200),
        ("other=1; protokit_workbench=the-token", 200),
        ("protokit_workbench=the-token", 200),
        ("protokit_workbench=not-the-token", 401),
        ("xprotokit_workbench=the-token", 401),
        ("protokit_workbench", 401),
        ("", 401),
    ],
    ids=["crafted", "crafted-and-token", "two", "token", "wrong", "other-name", "no-value", "none"],
)
def test_the_token_cookie_is_read_without_http_cookies(cookie, status):
    assert _status(cookie) == status
