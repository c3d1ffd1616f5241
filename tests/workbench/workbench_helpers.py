"""A real workbench server for a test module: `protokit serve`'s own start-up (socket, token,
guard, uvicorn) on a free port of 127.0.0.1, over a copy of the example protocols, in a thread
of the test process; and plain HTTP requests to it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from conftest import HANG_SECONDS, REPO
from protocol_kit.workbench.server import ServeOptions, prepare, serve_forever

TOKEN = "test-token-" + "x" * 32


@dataclass
class Served:
    base: str
    token: str
    folder: Path

    def request(self, path, data=None, method=None, headers=None, token=True, origin=True):
        """(status, headers, body) of one request; JSON bodies are sent as JSON."""
        sent = dict(headers or {})
        if token:
            sent.setdefault("Authorization", f"token {self.token}")
        body = None
        if data is not None:
            body = data if isinstance(data, bytes) else json.dumps(data).encode()
            sent.setdefault("Content-Type", "application/json")
            if origin:
                sent.setdefault("Origin", self.base)
        request = urllib.request.Request(self.base + path, body, sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=HANG_SECONDS) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, path, data=None, **options):
        status, _, body = self.request(path, data, **options)
        return status, json.loads(body)


def example_folder(target: Path) -> Path:
    folder = target / "clinic"
    shutil.copytree(REPO / "protocols", folder)
    shutil.copy(REPO / "protokit.toml", folder / "protokit.toml")
    return folder


def clinic_with_a_new_exercise(target: Path) -> Path:
    """`example_folder`, whose protocol uses a library exercise with a TODO in its first
    tip (as a therapist's new exercise has)."""
    folder = example_folder(target)
    exercise = folder / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text(encoding="utf-8"))
    data["cues"][0] = "TODO: a short reminder"
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder


def start(folder: Path, **options):
    """Start the server (`options`: ServeOptions'); returns (Served, stop)."""
    running = prepare(ServeOptions(folder, **options), token=TOKEN)
    thread = threading.Thread(target=serve_forever, args=(running,), daemon=True)
    thread.start()
    # Until uvicorn says it started, however long a loaded machine takes; the limit only
    # catches a hang, and a server that died fails at once.
    deadline = time.monotonic() + HANG_SECONDS
    while not running.server.started:
        assert thread.is_alive(), "the workbench server stopped before it started"
        assert time.monotonic() < deadline, "the workbench server never started"
        time.sleep(0.05)
    base = running.url.split("/?")[0]

    def stop() -> None:
        running.server.should_exit = True
        thread.join(timeout=HANG_SECONDS)

    return Served(base, TOKEN, folder), stop


def served_fixture(tmp_path_factory):
    """The body of each module's `served` fixture: one server per module."""
    served, stop = start(example_folder(tmp_path_factory.mktemp("workbench")))
    yield served
    stop()


def run_in_own_thread(coroutine) -> None:
    """`coroutine` run to its end in a thread of its own (another test's event loop may be
    running in this one); raises what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 (raised again below, in the test)
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(HANG_SECONDS)
    if failed:
        raise failed[0]


def certificate_files(folder: Path, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key (encrypted with `passphrase` when
    given), written as cert.pem and key.pem in `folder`."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(1)
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
        .sign(private, hashes.SHA256())
    )  # fmt: skip
    certificate, key = folder / "cert.pem", folder / "key.pem"
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
    )
    return certificate, key


def imported_copy(folder: Path, name: str, *, content_digest: bool = True) -> Path:
    """The example protocol `name` in `folder/received/` with its entry in the import record,
    as `protokit bundle import` leaves it; `content_digest=False`: as an import before the
    twenty-first sitting left it (no digest of the content without its review)."""
    from protocol_kit.bundle import provenance

    received = folder / "received"
    (received / ".protokit").mkdir(parents=True, exist_ok=True)
    path = received / name
    shutil.copy(REPO / "protocols" / name, path)
    data = json.loads(path.read_text("utf-8"))
    record = provenance.ImportRecord(
        kind="protocol",
        sha256=provenance.digest(path.read_bytes()),
        publisher="Northside Physio",
        bundle_sha256="b" * 64,
        imported="2026-11-22T09:30:00Z",
        key="sha256:" + "5a" * 32,
        id=data["id"],
        version=data["version"],
        content_sha256=provenance.content_digest(data) if content_digest else None,
    )
    provenance.record_path(received).write_bytes(provenance.records_json({name: record}))
    return path


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@contextlib.contextmanager
def workbench_page(folder: Path, path: str):
    """A Chromium page (Debian's, through Playwright) of a workbench serving `folder`, signed
    in and open at the editor of `path`, and the list of the page's script errors; skipped
    where Chromium or Playwright is not installed. Every wait only catches a hang."""
    import pytest

    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    served, stop = start(folder)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu"],
                timeout=HANG_SECONDS * 1000,
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(HANG_SECONDS * 1000)
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(f"{served.base}/?token={served.token}")
                page.goto(f"{served.base}/edit?path={path}")
                yield page, errors
            finally:
                browser.close()
    finally:
        stop()
