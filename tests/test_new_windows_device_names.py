"""H1659: `protokit new` makes no file or folder named as a Windows device (H1647's rule, which
the workbench already kept), and leaves names that only look like one alone."""

from __future__ import annotations

import pytest

from conftest import run_protokit


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("protocol", "aux"), "aux.json"),
        (("protocol", "nul"), "nul.json"),
        (("protocol", "knee", "-o", "NUL.json"), "NUL.json"),
        (("exercise", "com1"), "com1.json"),
        (("protocol", "knee", "-o", "LPT1.draft.json"), "LPT1.draft.json"),
        (("protocol", "knee", "-o", "con/knee.json"), "con"),
    ],
)
def test_a_new_file_named_as_a_windows_device_is_refused_and_nothing_made(tmp_path, args, named):
    result = run_protokit("new", *args, cwd=tmp_path)
    assert result.code == 2, result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert f": {named} is the name of a device on Windows" in line, line
    assert list(tmp_path.iterdir()) == []  # no file, no folder


def test_names_that_only_look_like_devices_and_folders_already_there_are_kept(tmp_path):
    for identifier in ("console", "com10", "nully"):
        assert run_protokit("new", "protocol", identifier, cwd=tmp_path).code == 0
    (tmp_path / "aux").mkdir()  # a folder the therapist has: theirs to name
    result = run_protokit("new", "protocol", "knee", "-o", "aux/knee.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert (tmp_path / "aux" / "knee.json").is_file()
