"""SARIF from real runs passes the SARIF 2.1.0 schema and Microsoft's SARIF multitool with its
GitHub code-scanning rules (both from the npm registry, tests/tools/package.json); and every
finding code protokit can report is described."""

from __future__ import annotations

import json
import os
import re
import subprocess

import jsonschema
import pytest

from conftest import CASES, REPO, run_protokit
from protocol_kit.report.catalogue import check_codes, lint_rule

MULTITOOL_PACKAGE = "@microsoft/sarif-multitool-linux"


@pytest.fixture(scope="module")
def sarif_logs(tmp_path_factory):
    """Logs of runs with many kinds of finding: every invalid case, a missing path, lint
    findings, from a subfolder of a git repository."""
    folder = tmp_path_factory.mktemp("sarif")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    logs = []
    for name, args in {
        "invalid": [str(CASES / "validate" / "invalid"), "no-such-path"],
        "examples": [str(REPO / "protocols")],
    }.items():
        output = folder / f"{name}.sarif"
        run_protokit("validate", "-f", "sarif", "-o", str(output), *args, cwd=folder)
        logs.append(output)
    return logs


def sarif_schema(node_tools):
    path = node_tools.modules / MULTITOOL_PACKAGE / "sarif-2.1.0.json"
    if not path.exists():
        pytest.skip(f"{MULTITOOL_PACKAGE} is not built for this machine")
    return json.loads(path.read_text("utf-8"))


def test_logs_pass_the_sarif_schema(node_tools, sarif_logs):
    schema = sarif_schema(node_tools)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for log in sarif_logs:
        document = json.loads(log.read_text("utf-8"))
        errors = [f"{list(e.path)}: {e.message[:200]}" for e in validator.iter_errors(document)]
        assert errors == [], log.name
    # The schema refuses what it should: a result without a message.
    broken = json.loads(sarif_logs[0].read_text("utf-8"))
    del broken["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(broken))


# Where no proxy answers: every web request of the tool is refused at once.
NO_NETWORK = "http://127.0.0.1:9"


def offline_environment() -> dict[str, str]:
    """The multitool looks up each rule's helpUri (schemas.protocol-kit.org, a name no DNS
    server knows): offline, each look-up waited for the resolver's time-out, 40 of the test's
    42 seconds, and with a network the verdict would depend on a web site. A proxy that
    refuses every connection (.NET reads HTTP(S)_PROXY) gives the same verdict at once, on
    every machine."""
    unset = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
    kept = {name: value for name, value in os.environ.items() if name.lower() not in unset}
    proxies = {"HTTP_PROXY": NO_NETWORK, "HTTPS_PROXY": NO_NETWORK}
    return {**kept, **proxies, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}


def multitool(node_tools, logs, tmp_path):
    """The multitool's findings for each log, by file name: one run for all of them, since
    each start of the .NET tool costs about 15 seconds."""
    binary = node_tools.modules / MULTITOOL_PACKAGE / "Sarif.Multitool"
    if not binary.exists():
        pytest.skip(f"{MULTITOOL_PACKAGE} is not built for this machine")
    os.chmod(binary, 0o755)  # its install script, which npm does not run unasked, does this
    output = tmp_path / "multitool.validation.sarif"
    done = subprocess.run(
        [str(binary), "validate", *map(str, logs), "--rule-kind", "Gh;Sarif", "--output",
         str(output), "--log", "ForceOverwrite"],
        capture_output=True, text=True, timeout=300, env=offline_environment(),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    found: dict[str, list] = {log.name: [] for log in logs}
    for result in json.loads(output.read_text("utf-8"))["runs"][0].get("results", []):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        assert name in found, uri  # every finding is about one of the logs checked
        found[name].append((result["ruleId"], result["message"].get("arguments")))
    return found


def test_logs_pass_the_multitool_with_githubs_rules(node_tools, sarif_logs, tmp_path):
    # With a log it must refuse: rules without full descriptions or help (GitHub's GH2012).
    broken = json.loads(sarif_logs[0].read_text("utf-8"))
    for rule in broken["runs"][0]["tool"]["driver"]["rules"]:
        del rule["fullDescription"], rule["help"]
    path = tmp_path / "broken.sarif"
    path.write_text(json.dumps(broken))
    found = multitool(node_tools, [*sarif_logs, path], tmp_path)
    for log in sarif_logs:
        assert found[log.name] == [], log.name
    assert "GH2012" in {rule for rule, _ in found[path.name]}


def test_every_code_protokit_reports_is_described():
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "protocol_kit").rglob("*.py"))
    codes = set(re.findall(r'"([A-Z][A-Z0-9]{1,8}[0-9]{3})"', source))
    codes -= {"DOS001"}  # an example in a docstring, not a code
    undescribed = {c for c in codes if c not in check_codes() and lint_rule(c) is None}
    assert undescribed == set()
