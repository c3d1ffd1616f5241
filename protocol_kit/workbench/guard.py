"""What keeps the workbench to the person who started it (ASGI middleware, no framework).

- A token, printed in the URL at start (as notebook servers do), is needed for every request;
  the first request with `?token=` gets a cookie (HttpOnly, SameSite=Strict) and is sent on to
  the same address without the token, so that it is not left in the history or a Referer.
- The Host header must name the address the workbench listens on (a DNS-rebinding page's host
  is refused), and a request's Origin, when the browser sends one, must be the workbench's
  own; a request that changes something must carry it.
- A request's body must arrive whole within `BODY_SECONDS` of the request (a client sending
  a byte a second would otherwise hold its connection and the action waiting for ever):
  past that the action is stopped and answered 408 (`BodyTooSlow`).
- Every answer forbids framing, caching and fetching from anywhere else (Content-Security-
  Policy), and sends no Referer.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from protocol_kit.untrusted.text import quoted

Scope = dict[str, Any]
ASGI = Callable[[Scope, Callable, Callable], Awaitable[None]]
SAFE_METHODS = {"GET", "HEAD"}
# Long enough for the largest body (a picture of up to 64 MB) over a clinic network; a slow-sending
# client (slowloris) is answered 408 then, while the others are served all along.
BODY_SECONDS = 60.0
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; object-src 'self'; frame-src 'self' blob:; frame-ancestors 'none'; "
        b"base-uri 'none'; form-action 'self'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def same_site(path: str) -> str:
    """`path` (as decoded from the request) as a Location header that stays on this workbench
    (H314): percent-encoded, so that a line break or a non-ASCII character (`/%0d%0aX: 1`,
    `/café`) cannot end or break the header (which stopped the answer with a traceback), and
    with one leading slash, since `//site` and `/\\site` name another site to a browser."""
    return quote("/" + path.lstrip("/"), safe="/-._~!$&'()*+,;=:@")


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values that name this server."""
    names = (
        {host, "localhost", "127.0.0.1", "[::1]"} if host in ("127.0.0.1", "localhost") else {host}
    )
    return {f"{name}:{port}" for name in names}


class BodyTooSlow(Exception):
    """The request's body did not arrive within `BODY_SECONDS` (raised where the action reads
    it; the application answers 408)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the request took longer than {seconds:g} seconds to arrive and was stopped: "
            "send it again"
        )


def deadline_for_body(receive: Callable, seconds: float) -> Callable:
    """`receive` that raises BodyTooSlow once the body has taken more than `seconds` in all;
    after its last part, `receive` as it is (it then waits for the client to go away)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    state = {"whole": False}

    async def timed() -> dict[str, Any]:
        if state["whole"]:
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
        except asyncio.TimeoutError:
            raise BodyTooSlow(seconds) from None
        if message.get("type") != "http.request" or not message.get("more_body", False):
            state["whole"] = True
        return message

    return timed


class Guard:
    def __init__(
        self,
        app: ASGI,
        token: str,
        hosts: Iterable[str],
        scheme: str = "http",
        proven: Callable[[Any], None] = lambda client: None,
    ) -> None:
        self.app = app
        self.token = token
        # Told the client (an ASGI scope's) of each request that showed the token: the
        # listening socket counts that connection no more against its address (H984).
        self.proven = proven
        self.hosts = {h.lower() for h in hosts}
        self.origins = {f"{scheme}://{h}" for h in self.hosts}
        self.cookie = "protokit_workbench"

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        # The guard's own answers go out before the body is read: the server may have answered
        # the request itself meanwhile (a body it could not parse, H685).
        send = _unless_answered(send)
        refusal = self.refusal(scope["method"], headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        offered = query.get("token")
        if offered is not None and self._same(offered):
            self.proven(scope.get("client"))
            # Set the cookie, and send the browser on without the token in the address.
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            location = same_site(scope["path"]) + (f"?{rest}" if rest else "")
            cookie = (f"{self.cookie}={self.token}; HttpOnly; SameSite=Strict; Path=/").encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", location.encode()),
                        (b"set-cookie", cookie),
                        *SECURITY_HEADERS,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if not self._authorised(headers):
            await _plain(
                send,
                401,
                "This workbench needs the address with its access token that `protokit serve` "
                "printed when it started: open that link.",
            )
            return
        self.proven(scope.get("client"))

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, deadline_for_body(receive, BODY_SECONDS), secured)

    def refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return 403, f"Host {quoted(host)} is not this workbench's address."
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return 403, "A page from another site may not use this workbench."
        if method not in SAFE_METHODS:
            if origin is None:
                return 403, "A request that changes something must come from the workbench."
            if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return 403, "A page from another site may not use this workbench."
        return None

    def _same(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode(), self.token.encode())

    def _authorised(self, headers: dict[str, str]) -> bool:
        if any(
            self._same(value) for value in cookie_values(headers.get("cookie", ""), self.cookie)
        ):
            return True
        scheme, _, value = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "token" and self._same(value.strip())


def cookie_values(header: str, name: str) -> list[str]:
    """The values of the cookies called `name` in a Cookie header as browsers send it
    (`a=1; b=2`), read by splitting it at its semicolons, in time that grows with its length.
    http.cookies.SimpleCookie, which read it before, takes time that grows with the square of
    a quoted value's backslashes on the Pythons this runs on (CVE-2024-7592, fixed in 3.11.10
    and 3.12.6): one 15 KB header, from anyone who can reach the port and before the token is
    checked, held the workbench's only thread for a second, and a few of them at once stopped
    it for every therapist (H910). The token holds no quote or semicolon to be unquoted."""
    values = []
    for part in header.split(";"):
        key, found, value = part.partition("=")
        if found and key.strip() == name:
            values.append(value.strip())
    return values


def _unless_answered(send: Callable) -> Callable:
    """`send`, doing nothing once the server has answered the request itself.

    The guard answers a refused request (no token, another site's page) from its headers,
    without reading its body. When the body is malformed ("Transfer-Encoding: chunked" with a
    chunk size that is no number), uvicorn answers 400 on its own as it reads it, and the
    guard's answer after that raised h11's LocalProtocolError: "Exception in ASGI application"
    and a traceback in the workbench's terminal for every such request (H685). The client has
    its answer; nothing more is sent. Any other failure is raised as before."""
    answered = False

    async def sending(message: dict[str, Any]) -> None:
        nonlocal answered
        if answered:
            return
        try:
            await send(message)
        except Exception as error:
            from h11 import LocalProtocolError  # uvicorn's HTTP/1.1 state machine

            if not isinstance(error, LocalProtocolError):
                raise
            answered = True  # the connection's answer was given already

    return sending


async def _plain(send: Callable, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
