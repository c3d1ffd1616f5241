"""The lint's run-long memo never gives one file another file's answer: files that differ only
in an exercise written inline (the same red flags, advice and stop criteria) are each read."""

from __future__ import annotations

import copy
import json

from conftest import CLINIC_NUMBERS, REPO, run_protokit

INLINE = REPO / "tests" / "cases" / "validate" / "valid" / "signed-off-protocol" / "protocol.json"
SIGN = " If you feel chest pain, tell your physiotherapist at your next visit."


def test_an_inline_exercise_is_read_in_every_file_of_a_run(tmp_path):
    (tmp_path / "protokit.toml").write_text(CLINIC_NUMBERS, encoding="utf-8")
    source = json.loads(INLINE.read_text("utf-8"))
    assert all("ref" not in exercise for exercise in source["exercises"])
    for i in range(30):
        data = copy.deepcopy(source)
        data["id"] = f"{source['id']}-{i:02d}"
        if i == 17:  # one file among many, after others' exercises were built and freed
            step = data["exercises"][0]["steps"][0]
            data["exercises"][0]["steps"][0] = (
                {tag: value + SIGN for tag, value in step.items()}
                if isinstance(step, dict)
                else step + SIGN
            )
        (tmp_path / f"p{i:02d}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_protokit("validate", "--jobs", "1", ".", cwd=tmp_path)
    assert result.code == 1
    found = [line for line in result.stdout.splitlines() if " SAFE006 " in line]
    assert len(found) == 1 and found[0].startswith("p17.json:"), result.stdout
