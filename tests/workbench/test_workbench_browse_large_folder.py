"""Browse over a large folder (H1552): the list's first look at 2,000 files took minutes,
since each file's check, and each library exercise a protocol names, walked the whole folder
again to see whether it had changed (each file's `stat`, about 4,000 walks of 2,000 files).
The folder is looked at once for the list; what the list shows is unchanged."""

from __future__ import annotations

import json

from workbench_helpers import example_folder

from protocol_kit.workbench.folder import Folder
from protocol_kit.workbench.service import Workbench


def _counting_walks(monkeypatch, bench):
    walks = []
    walk = bench.folder.files

    def files():
        walks.append(1)
        return walk()

    monkeypatch.setattr(bench.folder, "files", files)
    return walks


def test_the_folder_is_walked_a_fixed_number_of_times_for_the_list(tmp_path, monkeypatch):
    folder = example_folder(tmp_path)
    for number in range(12):  # prescriptions beside the protocols, as a clinic keeps them
        rx = {"protocol": {"id": "psoas-stretch-glute-bridge"}, "patient": {"name": f"P {number}"}}
        (folder / f"rx-{number}.json").write_text(json.dumps(rx), "utf-8")
    bench = Workbench(Folder(folder))
    listed = len(bench.folder.files())
    assert listed >= 29
    walks = _counting_walks(monkeypatch, bench)
    summaries = bench.summaries()
    assert len(summaries) == listed
    # Fails without H1552: one walk for the list, then one for each file's check and for
    # each library exercise a protocol names (here 49; checked).
    assert len(walks) <= 2


def test_a_file_changed_between_lists_is_checked_again(tmp_path):
    folder = example_folder(tmp_path)
    bench = Workbench(Folder(folder))
    first = {s.path: s for s in bench.summaries()}
    exercise = folder / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text("utf-8"))
    data["name"] = "Bridge (renamed)"
    exercise.write_text(json.dumps(data, indent=2), "utf-8")
    second = {s.path: s for s in bench.summaries()}
    assert first.keys() == second.keys()
    assert "Bridge (renamed)" in second["library/glute-bridge.json"].title
    # A protocol that names it shows the library's new name (its check and look-up read it).
    assert any("Bridge (renamed)" in s.exercises for s in second.values() if s.kind == "protocol")
