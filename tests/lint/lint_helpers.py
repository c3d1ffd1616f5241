"""Lint one small protocol: the minimal valid case with one change, as the rule tests need."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import CASES
from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.findings import Finding
from protocol_kit.lint.engine import Linter, LintSettings

MINIMAL = json.loads(
    (CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json").read_text()
)
# Inside the review window of the minimal case (2026-01-10 to 2027-01-10) and the examples.
TODAY = dt.date(2026, 12, 10)
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def lint(
    tmp_path: Path,
    change: Callable[[dict[str, Any]], Any] | None = None,
    settings: LintSettings | None = None,
    name: str = "protocol.json",
) -> list[Finding]:
    """Findings for the minimal protocol after `change(data)`, written to `tmp_path/name`.

    Fails the test if the changed protocol does not pass its schema: rule tests must test the
    rule, not the schema.
    """
    data = minimal()
    if change is not None:
        change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return lint_file(path, settings)


def lint_file(path: Path, settings: LintSettings | None = None) -> list[Finding]:
    settings = settings or LintSettings(today=TODAY)
    checker = FileChecker(CheckOptions(hooks=(Linter(settings),)))
    report = checker.check(str(path))
    schema = [f for f in report.findings if f.code.startswith(("SCHEMA", "JSON", "REF", "IO"))]
    assert not schema, f"the test protocol is not schema-valid: {schema}"
    return report.findings


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.pointer) for f in findings]


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


# The conditions the clinical cases code most often, as a protocol's codings (one definition
# for every test file; the tuples further down are (code, display) for `treated`).
BACK_CODING = coding(ICD, "M54.50", "Low back pain, unspecified")
MID_BACK_CODING = coding(ICD, "M54.6", "Pain in thoracic spine")
PREGNANCY_CODING = coding(ICD, "Z33.1", "Pregnant state, incidental")
HIP_REPLACEMENT_CODING = coding(ICD, "Z96.641", "Presence of right artificial hip joint")
KNEE_REPLACEMENT_CODING = coding(ICD, "Z96.651", "Presence of right artificial knee joint")
FALLS_CODING = coding(ICD, "R29.6", "Repeated falls")
KNEE_OA_CODING = coding(ICD, "M17.11", "Unilateral primary osteoarthritis, right knee")
ANTICOAGULANT_CODING = coding(ICD, "Z79.01", "Long term (current) use of anticoagulants")
OSTEOPOROSIS_CODING = coding(
    ICD, "M81.0", "Age-related osteoporosis without current pathological fracture"
)


def pregnant(data: dict[str, Any], code: str, display: str) -> None:
    """Code a pregnancy among the minimal protocol's conditions (low back pain), its fever red
    flag moved to the maternity box, where a pregnancy sheet sends a fever (H1032)."""
    data["indications"].append(coding(ICD, code, display))
    for flag in data["safety"]["red_flags"]:
        if flag.get("covers") == ["fever-or-unwell"]:
            flag["action"] = "maternity"


def family_sheet(
    conditions: list[dict[str, str]],
    *,
    flags: list[dict[str, Any]] | None = None,
    advice: tuple[str, ...] = (),
    stops: tuple[str, ...] = (),
) -> Callable[[dict[str, Any]], Any]:
    """The minimal protocol as a sheet for `conditions` alone: its red flags chest pain and
    those `protokit new protocol --condition` starts with for them (or `flags`); `advice` and
    `stops` added to its general advice and stop criteria."""
    from protocol_kit.starter.conditions import starting_red_flags

    def change(data: dict[str, Any]) -> None:
        data["indications"] = list(conditions)
        chest = data["safety"]["red_flags"][0]
        started = starting_red_flags(conditions)[0] if flags is None else list(flags)
        data["safety"]["red_flags"] = [chest, *started]
        data["safety"]["general_advice"] += list(advice)
        data["safety"]["stop_criteria"] += list(stops)

    return change


def sheet_routing(tmp_path: Path, conditions: list[dict[str, str]], text: str) -> list[Finding]:
    """SAFE006's findings on the sheet of `conditions` (their starting red flags) with `text` as
    advice, written in `tmp_path` (made if missing: a parametrised test's own folder)."""
    tmp_path.mkdir(exist_ok=True)
    return only(lint(tmp_path, family_sheet(conditions, advice=[text])), "SAFE006")


def named_en(text: str) -> tuple[str, ...]:
    """The red-flag items an en-GB text names."""
    from protocol_kit.redflags import red_flag_sets

    return red_flag_sets().named_in(text, "en-GB")


def advice_routing(tmp_path: Path, condition: dict[str, str], text: str) -> list[Finding]:
    """SAFE006's findings on `condition`'s sheet (its starting red flags) with `text` as advice."""
    return only(lint(tmp_path, family_sheet([condition], advice=[text])), "SAFE006")


def red_flag_findings(findings: list[Finding]) -> list[Finding]:
    """The findings of the red-flag rules (missing, routing, parts left out, "and")."""
    return [f for f in findings if f.code in ("SAFE005", "SAFE006", "SAFE007", "SAFE008")]


def exercise(data: dict[str, Any]) -> dict[str, Any]:
    return data["exercises"][0]


def library_exercise(tmp_path: Path, change: Callable[[dict[str, Any]], Any] | None = None) -> str:
    """Write the minimal protocol's exercise as `library/cat-cow.json` beside `tmp_path`'s
    protocol, after `change(exercise)`; returns its id."""
    library = tmp_path / "library"
    library.mkdir(exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("")  # the project root: stop the library search
    body = exercise(minimal())
    body.update(
        {
            "$schema": "https://schemas.protocol-kit.org/v1/exercise.schema.json",
            "version": "1.0.0",
            "language": "en-GB",
        }
    )
    if change is not None:
        change(body)
    (library / "cat-cow.json").write_text(json.dumps(body, indent=2))
    return body["id"]


# Changes for `lint`: one text of the patient's sheet replaced or added, as the clinical-case
# tests write a sign or an instruction in other words.
def stop(text: str) -> Callable[[dict[str, Any]], Any]:
    """The stop criteria: only `text`."""
    return lambda data: data["safety"].__setitem__("stop_criteria", [text])


def advice(text: str) -> Callable[[dict[str, Any]], Any]:
    """The general advice: only `text`."""
    return lambda data: data["safety"].__setitem__("general_advice", [text])


def red_flag(index: int, text: str) -> Callable[[dict[str, Any]], Any]:
    """The red flag at `index`: its text `text`, its action and covers as they were."""

    def change(data: dict[str, Any]) -> None:
        data["safety"]["red_flags"][index]["text"] = text

    return change


def step(text: str) -> Callable[[dict[str, Any]], Any]:
    """`text` as the first exercise's last step."""
    return lambda data: data["exercises"][0]["steps"].append(text)


# A condition the protocol treats, as the clinical-case tests code it.
OSTEOPOROSIS = ("M81.0", "Age-related osteoporosis without current pathological fracture")
HIP = ("Z96.641", "Presence of right artificial hip joint")
PREGNANCY = (
    "Z34.90",
    "Encounter for supervision of normal pregnancy, unspecified, unspecified trimester",
)


def treated(code: str, display: str, *steps: str) -> Callable[[dict[str, Any]], Any]:
    """The protocol treats the condition (an ICD-10-CM indication), and the first exercise's
    steps are `steps` only."""

    def change(data: dict[str, Any]) -> None:
        data["indications"].append(coding(ICD, code, display))
        data["exercises"][0]["starting_position"] = "On a mat."
        data["exercises"][0]["steps"] = list(steps)

    return change


def variant_files(
    tmp_path: Path,
    variants: dict[str, Callable[[dict[str, Any]], Any] | None],
    copies: int,
    prepare: Callable[[dict[str, Any]], Any] | None = None,
) -> list[str]:
    """Copies of the minimal protocol (first `prepare`d), each variant's `change` made, each
    variant `copies` times under its own id and title (`NAME-COPY`), the variants interleaved:
    files that share parts, for the tests of answers kept with a shared part."""
    paths = []
    for number in range(copies):
        for name, change in variants.items():
            data = minimal()
            if prepare is not None:
                prepare(data)
            if change is not None:
                change(data)
            data["id"] = f"{name}-{number}"
            data["title"] = f"Programme {name} {number}"
            path = tmp_path / f"{name}-{number}.json"
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            paths.append(str(path))
    return paths


def findings_of(checker: FileChecker, path: str) -> list[tuple[str, str, str]]:
    """A file's findings as (code, pointer, message), in their order."""
    return [(f.code, f.pointer, f.message) for f in checker.check(path).findings]


def same_findings_shared_or_alone(paths: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Each file's findings, checked alone and in runs that share parts and answers (as
    `protokit validate` does), in both orders: asserted the same, and returned by path."""
    settings = LintSettings(today=TODAY)
    alone = FileChecker(CheckOptions(hooks=(Linter(settings),)))
    expected = {path: findings_of(alone, path) for path in paths}
    for order in (paths, paths[::-1]):
        shared = FileChecker(CheckOptions(hooks=(Linter(settings),), share_parts=True))
        for path in order:
            assert findings_of(shared, path) == expected[path], path
    return expected
