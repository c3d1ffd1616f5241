"""The folder imported into: a locked file stays locked, permissions are kept, files are staged
inside the folder, an unreadable JSON file stops the import, a file or folder that cannot be
written is named, and a dry run refuses whatever the real import would refuse."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from bundle_helpers import (
    CURRENT,
    ID,
    OrdinaryUser,
    copy_examples,
    edit_locally,
    import_current,
    make_writable,
    publish,
    run_import,
    snapshot,
)

from conftest import PROTOCOLS, REPO


@pytest.fixture
def received(tmp_path) -> Path:
    return import_current(tmp_path)


@pytest.fixture
def user(tmp_path):
    """An ordinary user's home folder, and a way to run protokit as them."""
    if os.geteuid() != 0:
        home = tmp_path / "home"
        home.mkdir()
    elif shutil.which("setpriv"):
        home = Path(tempfile.mkdtemp(prefix="protokit-test-", dir="/tmp"))
    else:
        pytest.skip("running as root without setpriv: no ordinary user to test permissions")
    yield OrdinaryUser(home)
    make_writable(home)
    if os.geteuid() == 0:
        shutil.rmtree(home)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run_in_process(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    """The real command line, run in this process (so that a test can stand in for the disk):
    exit status, stdout lines, stderr lines."""
    from protocol_kit.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(list(args))
    output = capsys.readouterr()
    return done.value.code, output.out.splitlines(), output.err.splitlines()


# -- 2. read-only files and permission bits ------------------------------------------------------


def test_a_read_only_protocol_is_never_replaced(tmp_path, received):
    path = received / f"{ID}.json"
    path.chmod(0o444)
    before = snapshot(received)
    bundle = publish(tmp_path, "1.1.0", hold=50, second=False)
    for options in ((), ("--dry-run",)):
        result = run_import(bundle, received, *options)
        assert result.code == 1
        assert (
            f"refuse    {ID} 1.1.0: {path} is read-only (r--r--r--): the clinic locked it, and "
            "an import never replaces a locked file. Make it writable (chmod u+w)"
        ) in result.stdout
    assert snapshot(received) == before
    assert mode(path) == 0o444


def test_another_users_protocol_is_never_replaced(tmp_path, received, monkeypatch):
    """H870: an import replaced a protocol of another user that this one may not write (the
    folder's permission allows the rename), and made it the importer's own."""
    import protocol_kit.bundle.importer as importer

    path = received / f"{ID}.json"
    monkeypatch.setattr(importer, "may_write", lambda name: Path(name).name != path.name)
    before = snapshot(received)
    for options in ((), ("--dry-run",)):
        result = run_import(publish(tmp_path, "1.1.0", hold=50, second=False), received, *options)
        assert result.code == 1
        assert (
            f"refuse    {ID} 1.1.0: {path} is another user's file, which you may not write "
            "(rw-r--r--): an import never replaces it"
        ) in result.stdout.replace("rw-rw-r--", "rw-r--r--")
    assert snapshot(received) == before


def test_fmt_never_makes_another_users_file_its_own(tmp_path, user):
    """H870: `fmt` in a folder shared by a clinic's therapists replaced a colleague's
    protocol, which it may not write, by a rename (which the folder allows): the file became
    the runner's, and its owner could no longer change it."""
    if os.geteuid() != 0:
        pytest.skip("needs a second user: run as root, where the test runs fmt as nobody")
    shared = Path(tempfile.mkdtemp(prefix="protokit-test-shared-", dir="/tmp"))
    try:
        shared.chmod(0o777)  # every therapist may add files (not sticky: renames allowed)
        colleague = shared / "back.json"
        data = json.loads((PROTOCOLS / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
        colleague.write_text(json.dumps(data), "utf-8")  # not in the canonical layout
        colleague.chmod(0o644)
        before = colleague.read_bytes()
        result = user.run("fmt", str(colleague))
        assert result.code == 1, result
        assert f"{colleague}: is another user's file, which you may not write" in result.stderr
        assert colleague.read_bytes() == before and colleague.stat().st_uid == 0
    finally:
        shutil.rmtree(shared)


def test_replaced_files_keep_their_permission_bits(tmp_path, received):
    protocol, record = received / f"{ID}.json", received / ".protokit" / "imports.json"
    protocol.chmod(0o640)
    record.chmod(0o600)
    result = run_import(publish(tmp_path, "1.1.0", hold=50), received)
    assert result.code == 0, result.stderr
    assert json.loads(protocol.read_text())["version"] == "1.1.0"
    assert (mode(protocol), mode(record)) == (0o640, 0o600)
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode(received / "second-programme.json") == 0o666 & ~umask  # a new file: as usual


# -- 3. staging inside the target folder ----------------------------------------------------------


def test_files_are_staged_inside_the_target_folder(tmp_path, received, monkeypatch, capsys):
    """Nothing is written outside the folder imported into (its parent may be read-only, and
    another disk), and the staging folder is gone afterwards."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    moves = []
    real = os.replace
    # The user's cache (compiled patterns, the configuration read before) may be written
    # during the command, by a process shared with other tests: it is not the import's file.
    cache = tmp_path / "cache"
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(cache))

    def watch(source, destination):
        if Path(destination).resolve().is_relative_to(cache.resolve()):
            return real(source, destination)
        staging = list((received / ".protokit").glob("staging-*"))
        moves.append((Path(source).resolve(), Path(destination).resolve(), staging))
        return real(source, destination)

    monkeypatch.setattr(os, "replace", watch)
    code, _, _ = run_in_process(
        capsys, "bundle", "import", str(bundle), "--into", str(received), "--allow-unsigned"
    )
    assert code == 0
    inside = received.resolve()
    assert moves and all(s.is_relative_to(inside) and d.is_relative_to(inside) for s, d, _ in moves)
    assert all(len(staging) == 1 for _, _, staging in moves)  # one .protokit/staging-* folder
    assert list((received / ".protokit").iterdir()) == [received / ".protokit" / "imports.json"]


def test_a_read_only_parent_folder_is_not_needed(tmp_path, user):
    shutil.copyfile(publish(tmp_path, CURRENT), user.home / "b.pkb")
    target = user.home / "locked" / "received"
    target.mkdir(parents=True)
    (user.home / "locked").chmod(0o555)
    result = user.run("bundle", "import", "b.pkb", "--into", "locked/received", "--allow-unsigned")
    assert result.code == 0, result.stderr
    assert "imported into locked/received: 2 added, 0 updated, 0 unchanged" in result.stderr
    assert [p.name for p in (user.home / "locked").iterdir()] == ["received"]


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs root and unshare to mount a folder")
def test_a_target_that_is_a_mount_point_is_imported_into(tmp_path):
    """The trial: `Invalid cross-device link` when the staging folder was in the parent."""
    bundle = publish(tmp_path, CURRENT)
    target = tmp_path / "mounted"
    target.mkdir()
    command = (
        f'mount -t tmpfs none "{target}" && "{sys.executable}" -m protocol_kit bundle import '
        f'"{bundle}" --into "{target}" --allow-unsigned; status=$?; ls -A "{target}"; '
        "exit $status"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", command], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "2 added, 0 updated, 0 unchanged" in result.stderr
    assert set(result.stdout.split()) >= {f"{ID}.json", ".protokit", "media"}


# -- 5. a JSON file that cannot be read ----------------------------------------------------------


def _newer_copy() -> dict:
    data = json.loads((PROTOCOLS / f"{ID}.json").read_text())
    data["version"] = "2.0.0"
    return data


@pytest.mark.parametrize(
    "content, problem",
    [
        (
            json.dumps(_newer_copy(), indent=2).replace('"title"', '"title" "x"', 1).encode(),
            "cannot be read as JSON (line 5, column 11: invalid JSON: expecting ':' delimiter)",
        ),
        (
            json.dumps(_newer_copy(), indent=2).encode().replace(b'"title": "', b'"title": "\xff'),
            "cannot be read as JSON (line 5, column 13: not valid UTF-8",
        ),
        (
            json.dumps({k: v for k, v in _newer_copy().items() if k != "id"}).encode(),
            "is a protocol without a readable id and version",
        ),
    ],
    ids=["syntax error", "not UTF-8", "no id"],
)
def test_an_unreadable_json_file_in_the_folder_stops_the_import(
    tmp_path, received, content, problem
):
    """The trial: `bk/my-psoas.json`, the same id at 2.0.0 with a syntax error, was skipped,
    and the import added a second copy of the protocol past the downgrade check."""
    broken = received / "bk" / "my-psoas.json"
    broken.parent.mkdir()
    broken.write_bytes(content)
    before = snapshot(received)
    bundle = publish(tmp_path, "1.1.0", hold=50)
    for options in ((), ("--dry-run",)):
        result = run_import(bundle, received, *options)
        assert result.code == 1
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"protokit: error: {broken}: {problem}")
        assert line.endswith(
            f"Fix it or move it out of {received}, then import again; nothing was changed"
        )
    assert snapshot(received) == before


# -- 6. what cannot be written is named, in a dry run too ----------------------------------------


def test_a_read_only_subfolder_is_named_and_a_dry_run_refuses_it_too(tmp_path, user):
    shutil.copyfile(publish(tmp_path, CURRENT), user.home / "b.pkb")
    media = user.home / "t3" / "media"
    media.mkdir(parents=True)
    media.chmod(0o555)
    before = snapshot(user.home / "t3")
    command = ("bundle", "import", "b.pkb", "--into", "t3", "--allow-unsigned")
    dry, real = user.run(*command, "--dry-run"), user.run(*command)
    assert dry.code == real.code == 1
    assert dry.stdout == real.stdout
    assert (
        "refuse    second-programme 1.0.0: cannot write into the folder t3/media (no "
        "permission, or a read-only disk), so t3/media/"
    ) in real.stdout
    assert "b.pkb: import would be refused (1 protocol cannot be imported" in dry.stderr
    assert "b.pkb: import refused (1 protocol cannot be imported" in real.stderr
    assert snapshot(user.home / "t3") == before


def test_a_read_only_target_folder_is_named(tmp_path, user):
    shutil.copyfile(publish(tmp_path, CURRENT), user.home / "b.pkb")
    (user.home / "t3").mkdir()
    (user.home / "t3").chmod(0o555)
    result = user.run("bundle", "import", "b.pkb", "--into", "t3", "--allow-unsigned")
    assert result.code == 1
    assert f"refuse    {ID} {CURRENT}: cannot write into the folder t3 (" in result.stdout
    assert list((user.home / "t3").iterdir()) == []


def test_a_file_that_cannot_be_written_is_named(tmp_path, received, monkeypatch, capsys):
    """A write that fails after every check passed (the disk, a lock): one line naming the
    file, and the folder as it was."""
    bundle = publish(tmp_path, "1.1.0", hold=50)
    destination = received / "second-programme.json"
    real = os.replace

    def refuse(source, target):
        if Path(target) == destination:
            raise PermissionError(13, "Permission denied", str(source), None, str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", refuse)
    before = snapshot(received)
    code, out, err = run_in_process(
        capsys, "bundle", "import", str(bundle), "--into", str(received), "--allow-unsigned"
    )
    assert code == 2
    assert err == [
        f"protokit: error: {destination}: cannot write it (Permission denied); the import was "
        f"undone and {received} was left as it was"
    ]
    assert snapshot(received) == before


def _changed_here(folder: Path) -> Path:
    target = import_current(folder)
    edit_locally(target / f"{ID}.json")
    return target


def _read_only(folder: Path) -> Path:
    target = import_current(folder)
    (target / f"{ID}.json").chmod(0o444)
    return target


def _unreadable_file(folder: Path) -> Path:
    target = import_current(folder)
    (target / "notes.json").write_text("{oops")
    return target


def _damaged_record(folder: Path) -> Path:
    target = import_current(folder)
    (target / ".protokit" / "imports.json").write_text("[]")
    return target


def _leftover_staging(folder: Path) -> Path:
    target = import_current(folder)
    (target / ".protokit" / "staging-x" / "replaced").mkdir(parents=True)
    (target / ".protokit" / "staging-x" / "replaced" / f"{ID}.json").write_text("{}")
    return target


def _downgrade(folder: Path) -> Path:
    target = import_current(folder)
    assert run_import(publish(folder, "1.2.0", second=False), target).code == 0
    return target


@pytest.mark.parametrize(
    "make_folder",
    [
        _changed_here,
        lambda folder: copy_examples(folder / "clinic"),  # the clinic's own file
        _read_only,
        _unreadable_file,
        _damaged_record,
        _leftover_staging,
        _downgrade,
    ],
    ids=[
        "changed here",
        "own file",
        "read-only",
        "unreadable file",
        "damaged record",
        "leftover staging",
        "downgrade",
    ],
)
def test_a_dry_run_refuses_what_the_import_would_refuse(tmp_path, make_folder):
    target = make_folder(tmp_path)
    bundle = publish(tmp_path, "1.1.0", hold=50, second=False)
    before = snapshot(target)
    dry = run_import(bundle, target, "--dry-run")
    assert snapshot(target) == before
    real = run_import(bundle, target)
    assert dry.code == real.code == 1
    assert dry.stdout == real.stdout
    assert dry.stderr.replace("would be refused", "refused") == real.stderr
    assert snapshot(target) == before
