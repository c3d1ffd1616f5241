"""What a flood of connections from the therapist's own address does to the workbench: a
`protokit serve` of the example protocols, a script opening RATE connections a second from
127.0.0.1 for SECONDS, each sending SIZE bytes without the token (with --tls, a TLS client's
greeting instead) and held open; meanwhile a kept-alive connection that has shown the token
asks for the page every 0.2 s (a page kept open), and a new connection loads the page every
second (a page opened). Prints how many of each were answered, and how long they took.

    python benchmarks/workbench_flood.py [--protokit CMD] [--tls [--half-greeting]] RATE SIZE SECS

Run it with the base's command and the branch's in one sitting to compare (the machine is
shared: compare runs side by side, not with other days').
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (openssl)."""
    cert, key = folder / "tls.crt", folder / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def _greeting() -> bytes:
    """A TLS client's first flight, as any script can replay it."""
    sent = ssl.MemoryBIO()
    client = ssl.create_default_context().wrap_bio(
        ssl.MemoryBIO(), sent, server_hostname="127.0.0.1"
    )
    with contextlib.suppress(ssl.SSLWantReadError):  # the server's answer: never sent here
        client.do_handshake()
    return sent.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--protokit", default=shutil.which("protokit") or "protokit")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument(
        "--half-greeting", action="store_true", help="with --tls: the greeting's first half only"
    )
    parser.add_argument("rate", type=int)
    parser.add_argument("size", type=int)
    parser.add_argument("seconds", type=float)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "protocols"
        shutil.copytree(REPO / "protocols", folder)
        tls_options: list[str] = []
        context = None
        if options.tls:
            cert, key = _certificate(Path(scratch))
            tls_options = ["--tls-cert", str(cert), "--tls-key", str(key)]
            context = ssl.create_default_context(cafile=str(cert))
        server = subprocess.Popen(
            [options.protokit, "serve", str(folder), "--no-browser", *tls_options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            _measure(server, options, context)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _measure(server: subprocess.Popen, options: argparse.Namespace, context) -> None:  # noqa: ANN001
    for line in server.stdout:
        found = re.search(r"https?://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        if found:
            port, token = int(found.group(1)), found.group(2)
            break
    else:
        sys.exit("the workbench did not start")

    def connection(timeout: float) -> http.client.HTTPConnection:
        if context is not None:
            return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context)
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def ask(client: http.client.HTTPConnection, close: bool) -> float:
        started = time.perf_counter()
        headers = {"Cookie": f"protokit_workbench={token}"}
        if close:
            headers["Connection"] = "close"
        client.request("GET", "/", headers=headers)
        answer = client.getresponse()
        answer.read()
        if answer.status != 200:
            raise http.client.HTTPException(f"status {answer.status}")
        return time.perf_counter() - started

    kept = connection(30)
    ask(kept, close=False)
    stop = time.monotonic() + options.seconds
    held: list[socket.socket] = []
    opened = [0]
    sent = _greeting() if options.tls else b"G" * options.size
    if options.tls and options.half_greeting:
        sent = sent[: len(sent) // 2]

    def flood() -> None:
        started = time.monotonic()
        while time.monotonic() < stop:
            opened[0] += 1
            delay = started + opened[0] / options.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                client = socket.socket()
                client.setblocking(False)
                held.append(client)
                client.connect_ex(("127.0.0.1", port))
                if sent:
                    client.send(sent)
            except OSError:
                pass

    threading.Thread(target=flood, daemon=True).start()
    kept_times: list[float | None] = []
    opened_times: list[float | None] = []
    next_opened = time.monotonic() + 1
    while time.monotonic() < stop:
        try:
            kept_times.append(ask(kept, close=False))
        except (OSError, http.client.HTTPException):
            kept_times.append(None)
        if time.monotonic() >= next_opened:
            next_opened += 1
            try:
                opened_times.append(ask(connection(10), close=True))
            except (OSError, http.client.HTTPException):
                opened_times.append(None)
        time.sleep(0.2)
    answered = [t for t in kept_times if t is not None]
    loaded = [round(t, 2) if t is not None else None for t in opened_times]
    print(
        f"{'TLS greetings' if options.tls else f'{options.size} bytes'}"
        f"{' (half of each)' if options.half_greeting else ''}, {options.rate} a second "
        f"asked ({opened[0]:,} opened): page kept open {len(answered)}/{len(kept_times)} "
        f"answered (slowest {max(answered, default=float('nan')):.2f} s); pages opened "
        f"{sum(t is not None for t in loaded)}/{len(loaded)}: {loaded}"
    )
    for client in held:
        client.close()


if __name__ == "__main__":
    main()
