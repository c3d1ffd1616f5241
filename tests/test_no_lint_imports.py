"""`protokit validate --no-lint` does not import the lint engine or its rules' registry: their
import was the largest fixed cost of a `--no-lint` run (issue 17, thirty-fourth sitting: about
430 million of the 786 million instructions of a first `--no-lint` run of one file), and a
run that lints nothing has no use for them."""

from __future__ import annotations

import pytest
from test_startup import python_printed

from conftest import PROTOCOLS

LINT_MODULES = ("protocol_kit.lint.engine", "protocol_kit.lint.registry")


def imported_by(arguments: list[str]) -> set[str]:
    """Which of `LINT_MODULES` a `protokit validate` with `arguments` imported."""
    code = (
        "import sys\n"
        "from protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', '-q', *{arguments!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {LINT_MODULES!r} if m in sys.modules))\n"
    )
    printed = python_printed(code)
    return set(filter(None, (printed[-1] if printed else "").split(",")))


@pytest.mark.parametrize(
    "paths",
    [[str(PROTOCOLS / "psoas-stretch-glute-bridge.json")], [str(PROTOCOLS)]],
    ids=["one file", "a folder"],
)
def test_a_run_without_the_lint_does_not_import_it(paths):
    assert imported_by(["--no-lint", "--jobs", "1", *paths]) == set()
    # The same run with the lint imports both: the names above are the modules it uses.
    assert imported_by(["--jobs", "1", *paths]) == set(LINT_MODULES)
