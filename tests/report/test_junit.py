"""JUnit XML: well-formed for any file name, times on suites and cases, and valid under the
JUnit schema Jenkins uses (tests/vendor/junit-10.xsd)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree

import pytest
import xmlschema

from conftest import REPO, run_protokit
from protocol_kit.findings import FileReport, Finding, RunReport, Severity
from protocol_kit.report import REPORTERS, ReportContext

JUNIT_XSD = xmlschema.XMLSchema(str(REPO / "tests" / "vendor" / "junit-10.xsd"))

ODD_NAMES = [
    "bell\x07and\x01start.json",
    "escape\x1b[31mred.json",
    "line\nbreak\rand\ttab.json",
    "quote\"apostrophe'<tag>&amp.json",
    "nul-free ü €  \U0001f9d8.json",
    os.fsdecode(b"latin-1 caf\xe9.json"),  # a byte that is not UTF-8, as Python keeps it
    "noncharacter\ufffe\uffff.json",
]


def junit(report: RunReport) -> str:
    return REPORTERS["junit"](report, ReportContext())


@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_file_name_gives_well_formed_valid_xml(name):
    finding = Finding(name, "SCHEMA002", f"broken in {name}", line=1, column=2)
    report = RunReport(
        [FileReport(name, "protocol", [finding], seconds=0.25)],
        path_errors=[Finding(name + "-missing", "IO001", "no such file or folder")],
    )
    text = junit(report)
    text.encode("utf-8")  # every character can be written
    JUNIT_XSD.validate(text)
    root = ElementTree.fromstring(text)
    case, missing = root.findall(".//testcase")
    # Nothing dropped: what is not printable is written as a visible escape, one line.
    shown = case.get("name")
    assert shown.isprintable()
    for char in name:
        if not char.isprintable():
            escapes = (f"\\x{ord(char) & 0xFF:02x}", f"\\u{ord(char):04x}", repr(char)[1:-1])
            assert any(escape in shown for escape in escapes), repr(char)
        else:
            assert char in shown, repr(char)
    assert missing.find("error").get("type") == "IO001"


def test_line_breaks_in_names_are_shown_not_normalised():
    # One escaping for every report (issue 18): a line break in a name is shown as `\n`, so a
    # CI page cannot show a forged second line, and an XML parser cannot turn it into a space.
    name = "line\nbreak\rand\ttab.json"
    root = ElementTree.fromstring(junit(RunReport([FileReport(name, "protocol", [])])))
    assert root.find(".//testcase").get("name") == "line\\nbreak\\rand\\ttab.json"


def test_times_on_suites_and_cases(tmp_path):
    output = tmp_path / "protokit.xml"
    result = run_protokit("validate", "--format", "junit", "-o", str(output), "protocols")
    assert result.code == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    JUNIT_XSD.validate(text)
    root = ElementTree.fromstring(text)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests")) > 5
    times = [float(c.get("time")) for c in cases]
    assert all(t >= 0 for t in times) and sum(times) > 0
    assert float(suite.get("time")) >= max(times)
    assert float(root.get("time")) == float(suite.get("time"))


def test_a_missing_path_is_an_error_case(tmp_path):
    output = tmp_path / "protokit.xml"
    result = run_protokit("validate", "-f", "junit", "-o", str(output), "protocols", "nothing-here")
    assert result.code == 2
    text = output.read_text(encoding="utf-8")
    JUNIT_XSD.validate(text)
    suite = ElementTree.fromstring(text).find("testsuite")
    assert suite.get("errors") == "1"
    error = suite.find("testcase[@name='nothing-here']/error")
    assert error.get("message") == "no such file or folder"


def test_the_schema_refuses_what_it_should():
    # The check can fail: a test suite without its required `tests` count is refused.
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT_XSD.validate('<testsuites><testsuite name="x"/></testsuites>')


def test_a_failure_counts_errors_and_warnings_as_the_text_report_does():
    findings = [
        Finding("a.json", "SAFE013", "ignore pain", line=6, column=14),
        Finding("a.json", "DOSE004", "long", Severity.WARNING, line=9, column=3),
        Finding("a.json", "DOSE001", "too long", line=19, column=72),
    ]
    root = ElementTree.fromstring(junit(RunReport([FileReport("a.json", "protocol", findings)])))
    failure = root.find(".//testcase/failure")
    assert failure.get("message") == "2 errors, 1 warning"
    assert failure.get("type") == "SAFE013" and len(failure.text.splitlines()) == 3
    one = RunReport([FileReport("a.json", "protocol", findings[:1])])
    assert ElementTree.fromstring(junit(one)).find(".//failure").get("message") == "1 error"
