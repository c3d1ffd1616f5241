"""Starting the workbench: the listening socket, the token, the guard, uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import logging
import secrets
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from protocol_kit.errors import UsageError
from protocol_kit.workbench.guard import Guard, allowed_hosts

LOOPBACK = ("127.0.0.1", "localhost", "::1")
# How long a connection may take to send a request's headers (the body has its own limit, the
# guard's BODY_SECONDS): a client that sends them a byte at a time, or opens connections and
# sends nothing, otherwise holds each one for ever, until the workbench has no connection left
# for the therapists (slowloris).
HEADER_SECONDS = 30.0
# How long a client may take over its TLS handshake (a few round trips: well under a second on
# any network a clinic uses). asyncio's own limit is 60 seconds, and HEADER_SECONDS only starts
# once the handshake is done: a client that opened a connection and sent nothing held it for a
# minute, ten times as long as the handshake needs at its slowest.
HANDSHAKE_SECONDS = 10.0
# How long the workbench waits for a client that takes none of its answer (the write stays
# paused: the client reads nothing, a tab stalled, a laptop asleep). Without it such a client held
# the connection and its answer (a picture of up to 64 MB, a sheet) for good, since closing a
# connection waits for what is still to be sent (H912). As long as BODY_SECONDS, for the same
# networks.
ANSWER_SECONDS = 60.0
# The least a client must take of its answers in each ANSWER_SECONDS while some are waiting (or
# all that waits, when less): 1 MiB a minute, about 140 kbit/s, slower than any network a clinic
# uses. A client that took its answer a byte at a time otherwise held it, and its task, for as
# long as it liked.
LEAST_TAKEN = 1024 * 1024
# How long a connection may stay open with nothing to do once its answer has been taken
# (uvicorn's keep-alive, 5 s by default).
KEEP_ALIVE_SECONDS = 5.0
# The most connections one address may hold open at once without having shown the token. A
# browser opens six to a server; a client that opened them faster than they expire otherwise
# took every file the system lets the workbench open, and the therapist's page could not
# connect (H951); a connection beyond it lets the address's oldest such connection go (H984).
PEER_CONNECTIONS = 64
# How long a connection that has spoken, all of it read, waits for its client before a newer
# connection may take its place: the client's answer to what the workbench sent back (under
# TLS, the rest of its handshake and then its request) is a round trip away, well under a
# second on any network a clinic uses, unless the machine is very busy.
ANSWER_GRACE_SECONDS = 0.25
# The most of a connection's unread bytes looked at for the token before it is let go: a
# request's headers (h11 takes at most 16 KB of them).
_LOOKED_AT = 16 * 1024
# The most newcomers one `accept` lets go before it gives the event loop back (as if no more
# were waiting; the listening socket is still readable, so the loop comes back to them). Each
# costs a look at every connection the address holds (PEER_CONNECTIONS peeks, and as many of
# up to _LOOKED_AT bytes): a flood that arrived faster than they were let go held the event
# loop in one `accept` for as long as it lasted, and nothing else was served (H1143).
_LET_GO_AT_ONCE = 16
# Open files kept free for the workbench's own work (a protocol read, a sheet's fonts and
# pictures, a save's temporary file) below the process's limit: connections beyond the rest are
# closed as they come. A flood of connections, each let go for the next but closed only when
# the event loop came to it, took every file the process may open (the usual limit is 1,024):
# every accept was a traceback on the terminal (37,753 in 22 s) and a save could not be written
# (H1347).
FILES_KEPT_FREE = 128
# How many connections past the budget may be admitted, each in the place of one let go that
# the event loop has not closed yet (`_room_at_the_budget`): a quarter of FILES_KEPT_FREE.
_OVER_BUDGET = 32
# The peeks' flags as plain integers: `socket.MSG_PEEK | socket.MSG_DONTWAIT` is an enum's
# `__or__`, a third of the time a newcomer let go cost (H1143).
_PEEK = int(socket.MSG_PEEK)
_PEEK_NOW = int(socket.MSG_PEEK | socket.MSG_DONTWAIT)
_SLOW_TEXT = b"The request took too long to arrive and was stopped: send it again.\n"
_TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    + f"content-length: {len(_SLOW_TEXT)}\r\n\r\n".encode()
    + _SLOW_TEXT
)

# h11 reads at most 16 KB of a request's first line and headers; past that uvicorn answered
# 400 "Invalid HTTP request received." and the terminal said a program other than a browser
# had connected. A browser sends that much for an address of thousands of parameters, or with
# the cookies other programs on this machine set for its address (cookies are not kept apart
# by port).
_TOO_LARGE_TEXT = (
    b"The request's address and headers are longer than the workbench reads (16 KB): nothing "
    b"was done. If the browser holds many cookies for this address, clear them and reload.\n"
)
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    + f"content-length: {len(_TOO_LARGE_TEXT)}\r\n\r\n".encode()
    + _TOO_LARGE_TEXT
)


@dataclass(frozen=True)
class ServeOptions:
    folder: Path
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    insecure: bool = False
    certificate: Path | None = None
    key: Path | None = None


def refuse_exposed(options: ServeOptions) -> None:
    """A workbench reachable from other machines carries patient data and the token over the
    network: only with TLS, or when the user says `--insecure`."""
    if options.host in LOOPBACK:
        return
    if options.certificate is None and not options.insecure:
        raise UsageError(
            f"--host {options.host} makes the workbench reachable from other machines: give "
            "--tls-cert and --tls-key, or --insecure if the network is yours alone"
        )


# A certificate chain and its key are a few kilobytes.
_LARGEST_PEM = 1024 * 1024


class _Encrypted(Exception):
    pass


def _no_passphrase() -> bytes:
    raise _Encrypted


def check_tls(certificate: Path, key: Path) -> None:
    """Load the certificate and key as the server will, before anything is announced: a file
    that is not PEM was an internal error after the address was printed, a named pipe given
    as either hung the start for good, and an encrypted key asked for a passphrase on the
    terminal of a service that has none."""
    from protocol_kit.untrusted.files import read_file

    for option, path in (("--tls-cert", certificate), ("--tls-key", key)):
        try:
            read_file(path, _LARGEST_PEM)
        except OSError as error:
            raise UsageError(f"{option} {path}: cannot read: {error.strerror or error}") from None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(str(certificate), str(key), password=_no_passphrase)
    except _Encrypted:
        raise UsageError(
            f"--tls-key {key}: the key is encrypted: the workbench needs it unencrypted "
            "(readable by you only)"
        ) from None
    except (ssl.SSLError, OSError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
        raise UsageError(
            f"--tls-cert {certificate} and --tls-key {key}: not a PEM certificate and its "
            f"private key ({reason})"
        ) from None


# Per address, its connections that have not shown the token, by port, oldest first.
_Unproven = dict[str, dict[object, "_Counted"]]


def _forget(unproven: _Unproven, peer: str, port: object) -> _Counted | None:
    """The connection from (`peer`, `port`), taken out of `unproven` (and so counted no more
    when it closes); None if not there."""
    waiting = unproven.get(peer, {})
    connection = waiting.pop(port, None)
    if not waiting:
        unproven.pop(peer, None)
    if connection is not None:
        connection._place = None
    return connection


class _Counted(socket.socket):
    """A connection the listening socket admitted: among its address's connections that have
    not shown the token until it shows it, is let go or is closed. `spoken`: its client has
    sent something (a request, or under TLS its greeting), read or waiting; `read_at`: when
    the workbench last read something of it (None: never)."""

    spoken = False
    read_at: float | None = None
    _open: list[int] | None = None  # the listening socket's count of open connections

    def admitted(self, unproven: _Unproven, peer: str, port: object, open_: list[int]) -> None:
        self._place = (unproven, peer, port)
        unproven.setdefault(peer, {})[port] = self
        self._open = open_
        open_[0] += 1

    def recv(self, size: int, flags: int = 0) -> bytes:
        data = super().recv(size, flags)
        self._heard(bool(data), flags)
        return data

    def recv_into(self, buffer, size: int = 0, flags: int = 0) -> int:  # noqa: ANN001 (a buffer)
        count = super().recv_into(buffer, size, flags)
        self._heard(count > 0, flags)
        return count

    def _heard(self, something: bool, flags: int) -> None:
        if something:
            self.spoken = True
            if not flags & _PEEK:
                self.read_at = time.monotonic()

    def place_in_line(self, now: float) -> tuple[int, float] | None:
        """Where this connection stands among those that may be let go for a newer one,
        first first: one whose client has sent nothing at all, or has gone (0); one whose
        every byte was read more than ANSWER_GRACE_SECONDS ago and whose client has sent
        nothing since (1, by when it was last read). None for one whose turn has not come:
        what its client sent waits to be read, or was read just now and the client's answer
        may be on its way. One peek at what waits."""
        try:
            waiting = super().recv(1, _PEEK_NOW)
        except BlockingIOError:  # nothing waiting
            waiting = None
        except OSError:  # the client gone
            return (0, 0.0)
        if waiting == b"":  # the client closed its end
            return (0, 0.0)
        if waiting:
            self.spoken = True
            return None
        if not self.spoken:
            return (0, 0.0)
        if self.read_at is not None and now - self.read_at >= ANSWER_GRACE_SECONDS:
            return (1, self.read_at)
        return None

    def close(self) -> None:
        place, self._place = getattr(self, "_place", None), None
        if place is not None:
            _forget(*place)
        counted, self._open = self._open, None
        if counted is not None:
            counted[0] -= 1
        super().close()


class _AdmittingSocket(socket.socket):
    """The workbench's listening socket. Each address may hold PEER_CONNECTIONS open that have
    not shown the token; a new one beyond that lets the oldest of them go (shut down, before
    any TLS handshake of the new one), so that one client cannot take every connection the
    system allows (H951), and yet cannot lock out the therapist's browser on the same address
    (every client of a workbench on 127.0.0.1 has that address, H984): the browser's new
    connection gets in, shows the token with its first request, and from then on is the
    therapist's (`proven`), counted no more. The connections are kept here, where every one
    starts and ends, whatever the protocol above it does."""

    # The token's bytes, set by `prepare`: a connection whose unread request holds them is the
    # therapist's, though the guard has not read it yet (H1012).
    token = b""

    def accept(self) -> tuple[socket.socket, object]:
        # The addresses whose every connection was found in this call to have its turn still
        # to come: a next newcomer of theirs is looked at alone (a look at the address's
        # PEER_CONNECTIONS for each, milliseconds apart, found the same, H1143).
        crowded: set[str] = set()
        open_: list[int] = self.__dict__.setdefault("_open", [0])
        for _ in range(_LET_GO_AT_ONCE):
            try:
                descriptor, address = self._accept()
            except OSError as error:
                if error.errno not in (errno.EMFILE, errno.ENFILE):
                    raise
                # No file left to accept with (the workbench's own work holds them): asyncio
                # would print a traceback and stop listening for a second; this is "none
                # waiting", and the loop, closing connections meanwhile, comes back (H1347).
                raise BlockingIOError(error.errno, "no file left for a connection") from None
            peer = address[0] if isinstance(address, tuple) else str(address)
            port = address[1] if isinstance(address, tuple) else 0
            connection = _Counted(self.family, self.type, self.proto, fileno=descriptor)
            # As many open as the process may hold and still do its work (those let go close
            # when the loop comes to them, H1347), or an address found full in this call: the
            # newcomer goes, unless it shows the token (plain HTTP only, H1012).
            if open_[0] >= _connection_budget() or peer in crowded:
                if self._shows_token(connection):
                    break
                if peer not in crowded and self._room_at_the_budget(peer, open_[0]):
                    break
                crowded.add(peer)  # (its next newcomer in this call is looked at alone)
            elif self._made_room(peer, connection):
                break
            else:
                crowded.add(peer)
            # Every connection of the address still has its turn to come: the newcomer is
            # the one let go (a flood's connections that each send a greeting, H1098).
            with contextlib.suppress(OSError):  # its client closed it meanwhile
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        else:  # the event loop's turn: asyncio takes this as "none waiting" and comes back
            raise BlockingIOError(f"{_LET_GO_AT_ONCE} newcomers let go: the others' turn")
        connection.admitted(self.__dict__.setdefault("_unproven", {}), peer, port, open_)
        if socket.getdefaulttimeout() is None and self.gettimeout():
            connection.setblocking(True)
        return connection, address

    def _made_room(self, peer: str, newcomer: _Counted) -> bool:
        """Whether `newcomer`, a connection from `peer`, may be admitted: the address holds
        fewer than PEER_CONNECTIONS that have not shown the token, or one of them is let go
        for it (`_to_let_go`). A connection let go, or the newcomer, whose request (arrived,
        not yet read) shows the token is the therapist's and stays, counted no more."""
        unproven: _Unproven = self.__dict__.setdefault("_unproven", {})
        while len(unproven.get(peer, {})) >= PEER_CONNECTIONS:
            port = _to_let_go(unproven[peer])
            if port is None:  # the therapist's, its request unread, is counted no more
                port = next((p for p, c in unproven[peer].items() if self._shows_token(c)), None)
                if port is None:
                    return self._shows_token(newcomer)
                _forget(unproven, peer, port)
                continue
            oldest = _forget(unproven, peer, port)
            if not self._shows_token(oldest):
                with contextlib.suppress(OSError):  # its client closed it meanwhile
                    oldest.shutdown(socket.SHUT_RDWR)  # its transport sees the end, closes it
                break
        return True

    def _room_at_the_budget(self, peer: str, open_now: int) -> bool:
        """Whether a newcomer from `peer`, at the budget (H1347), may take the place of a
        connection of the address holding the most that have not shown the token, when that
        address holds more than `peer` does: that connection (`_to_let_go`) is let go. A slow
        client from each of 16 of the machine's own addresses (127.0.0.2 and on, 64
        connections each, a header byte every 2 s, reopened when let go) held every place,
        and under TLS (no token to see before the handshake) the browser's page could not
        load while they lasted (H1615). What is let go closes when the event loop comes to
        it: at most _OVER_BUDGET more are admitted meanwhile."""
        if open_now >= _connection_budget() + _OVER_BUDGET:
            return False
        unproven: _Unproven = self.__dict__.setdefault("_unproven", {})
        most = max(unproven, key=lambda address: len(unproven[address]), default=None)
        if most is None or len(unproven[most]) <= len(unproven.get(peer, ())):
            return False
        port = _to_let_go(unproven[most])
        if port is None:
            return False
        taken = _forget(unproven, most, port)
        if taken is None or self._shows_token(taken):
            return False  # the therapist's, counted no more: it stays
        with contextlib.suppress(OSError):  # its client closed it meanwhile
            taken.shutdown(socket.SHUT_RDWR)  # its transport sees the end, closes it
        return True

    def _shows_token(self, connection: socket.socket) -> bool:
        """Whether `connection`'s request, arrived and not yet read, shows the token. Accepting
        a flood of connections from the therapist's own address (a script on the same machine)
        let the browser's connection go before its first request, already there, was read: the
        workbench's page never loaded (H1012). Plain HTTP only: under TLS the bytes are
        encrypted."""
        try:
            waiting = connection.recv(_LOOKED_AT, _PEEK_NOW)
        except OSError:  # nothing waiting, or the client gone
            return False
        return bool(self.token) and self.token in waiting

    def proven(self, client: tuple[str, int] | list | None) -> None:
        """The connection from `client` (an ASGI scope's) showed the token: the therapist's,
        counted no more."""
        if client:
            _forget(self.__dict__.get("_unproven", {}), client[0], client[1])


@functools.cache
def _connection_budget() -> int:
    """How many connections the workbench holds open at most: the files the process may open,
    less FILES_KEPT_FREE (and at least PEER_CONNECTIONS: a limit so low leaves the therapist's
    own connections a place)."""
    try:
        import resource

        allowed = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # Windows: no such limit
        return 1 << 30
    if allowed == resource.RLIM_INFINITY:
        return 1 << 30
    return max(allowed - FILES_KEPT_FREE, PEER_CONNECTIONS)


def _to_let_go(waiting: dict[object, _Counted]) -> object | None:
    """Which of an address's connections (by port, oldest first) to let go for a newer one:
    the oldest whose client has sent nothing (H1043: under TLS the token is encrypted and
    `_shows_token` cannot see it, and a flood of connections that send nothing let the
    browser's go in its handshake), else the one the workbench has waited for longest since
    it read all its client sent (`_Counted.place_in_line`); None when every one still has its
    turn to come. Letting the oldest go, as before, let a flood of connections that each
    send a TLS greeting (or the start of a request) let the browser's go before the
    workbench had answered its greeting: the flood's connections queue up while the
    workbench works through the greetings, and are then admitted many at a time (H1098)."""
    now = time.monotonic()
    first: tuple[tuple[int, float], object] | None = None
    for port, connection in waiting.items():
        place = connection.place_in_line(now)
        if place is not None and (first is None or place < first[0]):
            first = (place, port)
            if place[0] == 0:
                break
    return None if first is None else first[1]


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = _AdmittingSocket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(64)
    return sock


def _own_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn(), "127.0.0.1", "localhost"}
    try:
        _, aliases, addresses = socket.gethostbyname_ex(socket.gethostname())
        names.update(aliases, addresses)
    except OSError:
        pass
    return {n.lower() for n in names if n}


# The scope extension through which the application asks how many bytes of a request's body
# the client has announced and not sent yet (`still_announced`).
STILL_ANNOUNCED = "protokit.body_still_announced"


def still_announced(conn: object) -> int:
    """The bytes of the request's body the client has announced and not sent yet: the rest of
    its Content-Length, or of the chunk under way of a chunked body. A chunk's size is known
    as soon as its first line comes, long before its bytes, and h11 keeps it only in its
    reader (no public API): 0 when the reader has no such count (a body is then limited by
    the bytes that come, as before)."""
    reader = getattr(conn, "_reader", None)
    for count in ("_remaining", "_bytes_in_chunk"):
        value = getattr(reader, count, 0)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def unsent(transport: asyncio.Transport) -> int:
    """The bytes of answers written to a connection and still held in the workbench's memory:
    the transport's buffer and, under TLS, the encrypted bytes in the buffer of the connection
    beneath it. asyncio's TLS layer hands an answer to that connection whole and pauses the
    application only for what it still holds itself, so without it an answer never taken
    looked taken at once; asyncio names that connection only privately (none: 0 more)."""
    try:
        size = transport.get_write_buffer_size()
    except AttributeError:  # a TLS transport closed twice has let its layer go
        return 0
    beneath = getattr(getattr(transport, "_ssl_protocol", None), "_transport", None)
    if beneath is not None:
        size += beneath.get_write_buffer_size()
    return size


def took_too_little(before: int, now: int) -> bool:
    """Whether a client that had `before` bytes of answers waiting ANSWER_SECONDS ago and has
    `now` took too little of them: less than LEAST_TAKEN, and not all that waited."""
    return now > 0 and before - now < min(LEAST_TAKEN, before)


@dataclass
class Running:
    url: str
    token: str
    server: object
    sock: socket.socket


def _header_deadline_protocol() -> type:
    """uvicorn's HTTP/1.1 protocol (h11), with a deadline for each request's headers: from the
    connection's start, and again after each answer (a kept-alive connection that starts a
    request and never finishes it). Past it, the connection is answered 408 and closed."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadline(H11Protocol):
        _header_timer = None
        _answer_timer = None

        def connection_made(self, transport) -> None:  # noqa: ANN001 (asyncio's)
            super().connection_made(transport)
            self._arm()
            self.conn.next_event = functools.partial(self._next_event, self.conn.next_event)

        def _next_event(self, next_event: Callable[[], object]) -> object:
            """h11's next event; a request whose first line and headers are more than h11
            reads answered 431 in the workbench's words (uvicorn answers every error of h11
            400, and warns of it as of a program that does not speak HTTP)."""
            try:
                return next_event()
            except h11.RemoteProtocolError as error:
                if error.error_status_hint != 431:
                    raise
            self.transport.write(_TOO_LARGE)
            self.transport.close()
            return h11.PAUSED  # uvicorn then stops reading

        def handle_events(self) -> None:
            """uvicorn's, and then: the request's scope told how to ask what is still
            announced; and the application woken when a chunk larger than any before was
            announced with none of its bytes yet (h11 has no event for that), so that a body
            larger than the action takes is refused at once (H908), not after the guard's
            BODY_SECONDS of waiting for bytes that may never come."""
            before = still_announced(self.conn)
            super().handle_events()
            cycle = self.cycle
            if cycle is None or cycle.response_complete:
                return
            extensions = cycle.scope.setdefault("extensions", {})
            extensions[STILL_ANNOUNCED] = functools.partial(still_announced, self.conn)
            if still_announced(self.conn) > before:
                cycle.message_event.set()

        def connection_lost(self, exc: Exception | None) -> None:
            for timer in (self._header_timer, self._answer_timer):
                if timer is not None:
                    timer.cancel()
            super().connection_lost(exc)

        def pause_writing(self) -> None:
            """The client takes its answer slower than it is written (or not at all)."""
            super().pause_writing()
            self._watch_answer()

        def on_response_complete(self) -> None:
            # Under TLS an answer written whole is never paused for: watched from here.
            self._watch_answer()
            super().on_response_complete()
            self._arm()

        def _watch_answer(self) -> None:
            """While answers wait for the client, it must take LEAST_TAKEN of them (or all)
            in each ANSWER_SECONDS, or the connection is dropped: one that takes none holds
            them in memory for good (H912), one that takes a byte at a time for as long as it
            likes, and under TLS neither was ever paused for (H950)."""
            waiting = unsent(self.transport)
            if self._answer_timer is None and waiting:
                self._answer_timer = self.loop.call_later(
                    ANSWER_SECONDS, self._check_answer, waiting
                )

        def timeout_keep_alive_handler(self) -> None:
            """uvicorn's, once the answer has been taken. Under TLS an answer is "complete"
            as soon as it is handed to the layer beneath, and closing then (here, or for want
            of a next request within HEADER_SECONDS) gave the client asyncio's 30 s limit for
            closing to take the rest, however steadily it took it: a 30 MB picture at 3 Mbit/s
            was cut off at 16 MB (H954). The answer's watch bounds a client too slow."""
            if unsent(self.transport):
                self.timeout_keep_alive_task = self.loop.call_later(
                    KEEP_ALIVE_SECONDS, self.timeout_keep_alive_handler
                )
                return
            super().timeout_keep_alive_handler()

        def _check_answer(self, before: int) -> None:
            self._answer_timer = None
            now = unsent(self.transport)
            if took_too_little(before, now):
                self._drop()
            elif now:
                self._answer_timer = self.loop.call_later(ANSWER_SECONDS, self._check_answer, now)

        def _drop(self) -> None:
            # Reset, not closed: a closed connection keeps what it still has to send for as
            # long as the system tries to deliver it (minutes), which a client that reads
            # nothing never lets it.
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.transport.abort()

        def _arm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(HEADER_SECONDS, self._too_slow)

        def _too_slow(self) -> None:
            if self.transport.is_closing():
                return
            if unsent(self.transport):
                # The next request's time starts once this answer has been taken (H954).
                self._arm()
                return
            if self.conn.our_state is h11.DONE and self.conn.their_state is h11.SEND_BODY:
                # Answered before its body had all come (a body larger than allowed, H586):
                # uvicorn reads and drops the rest, for as long as the client sends it, a byte
                # at a time if it likes. The answer is sent: the connection is only closed.
                self.transport.close()
                return
            if self.conn.their_state is not h11.IDLE:
                return  # its headers arrived (the body has the guard's limit)
            self.transport.write(_TOO_SLOW)
            self.transport.close()

    return HeaderDeadline


def prepare(options: ServeOptions, token: str | None = None) -> Running:
    """The socket bound, the application built and guarded; not serving yet."""
    import uvicorn

    from protocol_kit.workbench.app import create_app

    refuse_exposed(options)
    if options.certificate is not None and options.key is not None:
        check_tls(options.certificate, options.key)
    if not options.folder.is_dir():
        raise UsageError(
            f"{options.folder}: no such folder: name the folder of your protocols, or start "
            "one with protokit init FOLDER"
        )
    token = token or secrets.token_urlsafe(32)
    sock = listening_socket(options.host, options.port)
    sock.token = token.encode()
    port = sock.getsockname()[1]
    scheme = "https" if options.certificate else "http"
    shown_host = f"[{options.host}]" if ":" in options.host else options.host
    if options.host == "localhost":
        shown_host = "127.0.0.1"
    hosts = allowed_hosts(shown_host, port)
    if options.host in ("0.0.0.0", "::"):
        # Every address of this machine: the name and addresses others reach it by.
        shown_host = socket.gethostname()
        hosts = {f"{name}:{port}" for name in _own_names()}
    app = Guard(create_app(options.folder), token, hosts, scheme, proven=sock.proven)
    config = uvicorn.Config(
        app,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        access_log=False,
        lifespan="off",
        http=_header_deadline_protocol(),
        ssl_certfile=str(options.certificate) if options.certificate else None,
        ssl_keyfile=str(options.key) if options.key else None,
        ssl_version=ssl.PROTOCOL_TLS_SERVER,
    )
    # (after the Config: it sets uvicorn's loggers up)
    _say_once(logging.getLogger("uvicorn.error"), _NOT_HTTP, _NOT_HTTP_SAID)
    server = uvicorn.Server(config)
    return Running(f"{scheme}://{shown_host}:{port}/?token={token}", token, server, sock)


# uvicorn's warning for each connection whose bytes are not an HTTP request: a program that
# sent garbage as fast as it could connect (16,401 connections in 10 s, one address) printed
# it 1,173 times on the terminal the workbench was started from, the address with its token
# and "Ctrl-C stops the workbench" scrolled away (a log file grows as fast; H1616). Said once
# a run, in the workbench's words.
_NOT_HTTP = "Invalid HTTP request received."
_NOT_HTTP_SAID = (
    "a connection sent something that is not an HTTP request (a program other than a "
    "browser?); it was closed, and others like it are closed without a word"
)


class _SaidOnce(logging.Filter):
    """Lets a logger's `message` through once, as `instead`; the others not at all."""

    def __init__(self, message: str, instead: str) -> None:
        super().__init__()
        self.message, self.instead, self.said = message, instead, False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != self.message:
            return True
        if self.said:
            return False
        self.said = True
        record.msg, record.args = self.instead, ()
        return True


def _say_once(logger: logging.Logger, message: str, instead: str) -> None:
    for old in [f for f in logger.filters if isinstance(f, _SaidOnce) and f.message == message]:
        logger.removeFilter(old)  # (a workbench started again in one process: said again)
    logger.addFilter(_SaidOnce(message, instead))


class _BoundedHandshakes(asyncio.SelectorEventLoop):
    """asyncio's event loop, whose TLS servers give a client HANDSHAKE_SECONDS to finish its
    handshake (uvicorn does not pass asyncio's `ssl_handshake_timeout` on)."""

    async def create_server(self, *args, **kwargs):  # noqa: ANN002, ANN003 (asyncio's)
        if kwargs.get("ssl") is not None and kwargs.get("ssl_handshake_timeout") is None:
            kwargs["ssl_handshake_timeout"] = HANDSHAKE_SECONDS
        return await super().create_server(*args, **kwargs)


def serve_forever(running: Running) -> None:
    """uvicorn's `Server.run`, on an event loop that bounds TLS handshakes."""
    coroutine = running.server.serve(sockets=[running.sock])
    if hasattr(asyncio, "Runner"):  # Python 3.11 and later
        with asyncio.Runner(loop_factory=_BoundedHandshakes) as runner:
            runner.run(coroutine)
        return
    loop = _BoundedHandshakes()
    try:
        loop.run_until_complete(coroutine)
    finally:
        loop.close()


def warm_up() -> None:
    """Read the code lists and load the sheet's renderer in the background, so that the first
    search and the first preview are quick."""

    def work() -> None:
        from protocol_kit.terminology.search import warm
        from protocol_kit.workbench import preview

        preview.warm_up()
        warm()

    threading.Thread(target=work, daemon=True).start()
