"""GOV004's `revision` option holding a character no git revision holds (H1520): a line break
made the rule check nothing ("all valid" for a revision that does not exist), a NUL was an
internal error; each is a configuration error placed at the value."""

import json
import shutil
import subprocess

import pytest
from lint_helpers import minimal

from conftest import run_protokit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.mark.parametrize(
    "written, code_point", [("nope\\nx", "U+000A"), ("nope\\u0000x", "U+0000")]
)
def test_a_revision_holding_a_control_character_is_a_configuration_error(
    tmp_path, written, code_point
):
    def git(*args):
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
        subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "protocol.json").write_text(json.dumps(minimal(), indent=2))
    git("add", "protocol.json")
    git("commit", "-qm", "first")
    (tmp_path / "protokit.toml").write_text(f'[lint.options.GOV004]\nrevision = "{written}"\n')
    result = run_protokit("validate", "protocol.json", cwd=tmp_path)
    assert result.code == 2 and result.stdout == "", result
    assert result.stderr == (
        f"protokit: error: protokit.toml:2:12: [lint] options.GOV004.revision: holds "
        f"{code_point} (a control character), which no option's value can hold: type it "
        "again\n"
    )
