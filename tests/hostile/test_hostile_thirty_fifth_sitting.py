"""The thirty-fifth sitting's hostile inputs (s41-hostile): a data file of the installed
package cut short, replaced with random bytes or removed (H1670); a protocol saved between
`build`'s sheets and its bundle (H1671); an edit in place where two files cannot be swapped
(H1672); a link in a loop among the protocols given to `build` (H1673)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HANG_SECONDS, PROTOCOLS, REPO, run_protokit
from hostile_helpers import NoChangeTimes

PSOAS_FILE = "protocols/psoas-stretch-glute-bridge.json"


# H1670 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package laid out as a wheel installs it (the schemas inside), and a
    folder of the example protocols to run it in."""
    root = tmp_path_factory.mktemp("installed")
    shutil.copytree(
        REPO / "protocol_kit",
        root / "site" / "protocol_kit",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(REPO / "schemas", root / "site" / "protocol_kit" / "schemas")
    shutil.copytree(PROTOCOLS, root / "clinic" / "protocols")
    shutil.copyfile(REPO / "protokit.toml", root / "clinic" / "protokit.toml")
    return root


def _damage(file: Path, how: str) -> bytes:
    original = file.read_bytes()
    if how == "cut short":
        file.write_bytes(original[: len(original) // 2])
    elif how == "random bytes":
        file.write_bytes(bytes(range(128, 256)) * 4)
    else:  # removed
        file.unlink()
    return original


@pytest.mark.parametrize(
    ("data_file", "how", "command"),
    [
        # read by the checks every command runs
        ("starter/data/protocol_texts.json", "cut short", ["validate", "."]),
        ("starter/data/protocol_texts.json", "random bytes", ["validate", "."]),
        ("redflags/red_flags.json", "cut short", ["redflags"]),
        ("schemas/protocol.schema.json", "cut short", ["validate", "."]),
        ("schemas/protocol.schema.json", "removed", ["validate", "."]),
        # the sheet's translation and stylesheet, the checklist's items, FHIR's definitions
        ("sheet/wording/en.json", "random bytes", ["render", PSOAS_FILE]),
        ("sheet/sheet.css", "random bytes", ["render", "--format", "html", PSOAS_FILE]),
        ("checklist/items.json", "removed", ["checklist", PSOAS_FILE]),
        ("fhir/definitions.toml", "cut short", ["export", "fhir-definitions"]),
        ("report/check_codes.toml", "random bytes", ["rules", "SCHEMA001"]),
    ],
)
def test_a_damaged_data_file_of_the_installation_is_named_in_one_line(
    installed, tmp_path, data_file, how, command
):
    """A data file of the installed package cut short (a full disk during the install),
    replaced or removed was an internal error ("JSONDecodeError: Unterminated string ...",
    "UnicodeDecodeError ...", "KeyError: ..."): no word of which file, nor of what to do.
    Each is now one line naming the file and saying to reinstall, exit 2."""
    file = installed / "site" / "protocol_kit" / data_file
    original = _damage(file, how)
    try:
        environment = {
            **os.environ,
            "PYTHONPATH": str(installed / "site"),
            "PROTOKIT_CACHE_DIR": str(tmp_path / "cache"),
        }
        output = ["-o", str(tmp_path / "out")] if command[0] in ("render", "export") else []
        completed = subprocess.run(
            [sys.executable, "-m", "protocol_kit", *command, *output],
            cwd=installed / "clinic",
            capture_output=True,
            env=environment,
            timeout=HANG_SECONDS,
        )
    finally:
        file.write_bytes(original)
    stderr = completed.stderr.decode("utf-8", "replace")
    # Fails without the fix: "protokit: internal error: JSONDecodeError: ..." (exit 2), or a
    # render that printed nothing wrong from a stylesheet of random bytes.
    assert completed.returncode == 2, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert str(file) in lines[0], stderr
    assert "damaged" in lines[0] and "reinstall protocol-kit" in lines[0], stderr
    assert not (tmp_path / "out").exists()


# H1671 ------------------------------------------------------------------------------------


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    shutil.copyfile(REPO / "protokit.toml", tmp_path / "protokit.toml")
    return tmp_path


@pytest.mark.parametrize("name", [PSOAS_FILE, "protocols/library/glute-bridge.json"])
def test_a_protocol_saved_after_its_sheet_is_not_bundled(monkeypatch, clinic, name):
    """A protocol (or a library exercise it prints) saved by another program once the sheets
    were made and before the bundle was written was bundled as saved: "built 5 sheets ...;
    bundle out/protocols.pkb", exit 0, the receiving clinics given a title (here) the sheet
    does not print. The bundle is not written; the sheets are."""
    from protocol_kit.app import build

    real = build._write_bundle

    def saved_then_bundled(*args):  # noqa: ANN002, ANN202
        target = clinic / name
        data = json.loads(target.read_text("utf-8"))
        data["name" if "library" in name else "title"] += " (changed)"
        target.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        return real(*args)

    monkeypatch.setattr(build, "_write_bundle", saved_then_bundled)
    result = run_protokit("build", "protocols", "-o", "out", "--jobs", "1", cwd=clinic)
    # Fails without the fix: exit 0, the bundle written with the changed title.
    assert result.code == 1, result.stdout + result.stderr
    what = "the library exercise" if "library" in name else "the protocol"
    assert (
        f"{what} {name} changed while the build ran, after it was checked: the bundle was "
        "not written, as it would hold another protocol than the sheets print; run protokit "
        "build again"
    ) in result.stderr, result.stderr
    assert "built 5 sheets in out" in result.stdout + result.stderr
    assert not (clinic / "out" / "protocols.pkb").exists()


# H1672 ------------------------------------------------------------------------------------


def test_an_edit_in_place_is_not_replaced_where_files_cannot_be_swapped(monkeypatch, clinic):
    """Where the system cannot swap two files in one step (not Linux) the workbench's save
    compared the file with the one it read by its times alone before renaming over it: on a
    file system without change times an editor's edit in place of the same size, its time
    set back (`os.utime`), after the workbench's read was replaced without a word. The
    bytes are compared too."""
    from protocol_kit import files
    from protocol_kit.workbench.folder import Conflict, Folder

    def cannot_swap(*args):  # noqa: ANN002, ANN202
        raise OSError(errno.ENOSYS, "no RENAME_EXCHANGE here")

    monkeypatch.setattr(files, "os", NoChangeTimes())
    monkeypatch.setattr(files, "_exchange", cannot_swap)
    folder = Folder(clinic / "protocols")
    relative = "library/glute-bridge.json"
    path = folder.resolve(relative)
    _, version = folder.read(relative)
    data = json.loads(path.read_text("utf-8"))
    data["name"] = "Bridge (the therapist's)"
    read = folder.read

    def then_edited(name):  # noqa: ANN001, ANN202
        answer = read(name)
        before = os.stat(path)
        text = path.read_bytes()
        with open(path, "r+b") as file:  # the same inode, the same size
            file.write(text.replace(b'"name": "Glute', b'"name": "GLUTE', 1))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return answer

    monkeypatch.setattr(folder, "read", then_edited)
    # Fails without the fix: the save goes through, the editor's "GLUTE" gone.
    with pytest.raises(Conflict):
        folder.save(relative, data, version)
    assert b'"name": "GLUTE' in path.read_bytes()


# H1673 ------------------------------------------------------------------------------------


def test_a_link_in_a_loop_among_the_protocols_does_not_stop_build(clinic):
    """`build` looked for the library folders near each file it found, resolving a file that
    is a link with Path.resolve, which raises RuntimeError for links that go round (before
    Python 3.13): "internal error: RuntimeError: Symlink loop from ...", before a file was
    checked. The link is one file's read error, as `validate` says it; the others are built."""
    (clinic / "protocols" / "a.json").symlink_to("b.json")
    (clinic / "protocols" / "b.json").symlink_to("a.json")
    result = run_protokit("build", "protocols", "-o", "out", "--no-bundle", cwd=clinic)
    said = result.stdout + result.stderr
    # Fails without the fix: exit 2, "protokit: internal error: RuntimeError: Symlink loop".
    assert "internal error" not in said, said
    assert result.code == 1, said
    assert "protocols/a.json: error IO001 cannot read: Too many levels of symbolic links" in said
    assert "built 5 sheets in out" in said
