"""`protokit serve` as a user starts it: loopback by default with a free port and a token in
the printed address; another host only with TLS or --insecure."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest
from workbench_helpers import certificate_files, example_folder

from conftest import HANG_SECONDS, REPO, run_protokit


def test_another_host_without_tls_is_refused(tmp_path):
    result = run_protokit("serve", str(tmp_path), "--host", "0.0.0.0", "--no-browser")
    assert result.code == 2
    assert "--tls-cert and --tls-key, or --insecure" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_folder_is_one_line(tmp_path):
    result = run_protokit("serve", str(tmp_path / "nope"), "--no-browser")
    assert result.code == 2
    assert result.stderr == (
        f"protokit: error: {tmp_path / 'nope'}: no such folder: name the folder of your "
        "protocols, or start one with protokit init FOLDER\n"
    )


def test_serve_prints_a_loopback_address_with_a_token_and_serves_it(tmp_path):
    folder = example_folder(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "protocol_kit", "serve", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        # Started in the folder it serves: named, not "the workbench for . is at" (s41-users).
        assert lines[0] == f"protokit serve: the workbench for this folder ({folder.name}) is at\n"
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:") and "/?token=" in url
        token = url.split("token=")[1]
        assert len(token) >= 40
        request = urllib.request.Request(
            url.split("/?")[0] + "/", headers={"Authorization": f"token {token}"}
        )
        # The socket is listening before the address is printed: no wait is needed.
        with urllib.request.urlopen(request, timeout=HANG_SECONDS) as response:
            assert response.status == 200
            assert b"psoas-stretch-glute-bridge.json" in response.read()
    finally:
        process.terminate()
        process.wait(timeout=HANG_SECONDS)


@pytest.mark.parametrize("given", ["not-pem", "named-pipe", "encrypted-key"])
def test_tls_files_that_cannot_serve_are_refused_before_the_address_is_given(tmp_path, given):
    """H180: a certificate that was not PEM was an internal error after the address had been
    printed; a named pipe as either file hung the start; an encrypted key asked for a
    passphrase on a terminal a service does not have."""
    import os

    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    certificate.write_text("not a certificate", "utf-8")
    key.write_text("not a key", "utf-8")
    if given == "named-pipe":
        certificate.unlink()
        os.mkfifo(certificate)
    elif given == "encrypted-key":
        certificate_files(tmp_path, passphrase=b"secret")
    result = run_protokit(
        "serve", str(tmp_path), "--no-browser", "--tls-cert", str(certificate),
        "--tls-key", str(key), subprocess_only=given == "named-pipe",
    )  # fmt: skip
    assert result.code == 2, result
    assert "internal error" not in result.stderr and "token=" not in result.stdout
    assert len(result.stderr.splitlines()) == 1
    assert {"not-pem": "not a PEM", "named-pipe": "named pipe", "encrypted-key": "encrypted"}[
        given
    ] in result.stderr
