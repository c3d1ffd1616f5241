"""What a receiving clinic's manager sees: who a bundle is from, what to do about a publisher
that is not verified, and plain words for every problem. Each test runs the real command and
checks the lines a user reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_helpers import (
    PUBLISHER,
    change_protocol,
    copy_examples,
    create,
    entries_of,
    make_keys,
    raw_zip,
    rebuild,
    snapshot,
)

from conftest import run_protokit

PROTOCOL = "protocols/psoas-stretch-glute-bridge.json"
NAME = '"Northside Physio"'


@dataclass
class Clinics:
    folder: Path
    sources: Path
    good: Path  # signed by Northside, whose key the trust file holds
    forged: Path  # names Northside as its publisher, signed by a stranger's key
    stranger: Path  # names a clinic the trust file does not know, signed by that key
    unsigned: Path  # names a clinic the trust file does not know, not signed
    key: Path
    public: Path
    trust: Path
    stranger_key: Path


@pytest.fixture(scope="module")
def clinics(tmp_path_factory) -> Clinics:
    folder = tmp_path_factory.mktemp("receiving")
    sources = copy_examples(folder)
    key, public, trust = make_keys(folder)
    (folder / "stranger").mkdir()
    stranger_key, _, _ = make_keys(folder / "stranger", "Westside Rehab")
    good, forged = folder / "good.pkb", folder / "forged.pkb"
    stranger, unsigned = folder / "stranger.pkb", folder / "unsigned.pkb"
    create(sources, good, "--sign", str(key))
    create(sources, forged, "--sign", str(stranger_key))
    westside = ("--publisher-name", "Westside Rehab", "--publisher-contact", "w@example.org")
    for output, extra in ((stranger, ("--sign", str(stranger_key))), (unsigned, ())):
        result = run_protokit(
            "bundle", "create", str(sources), "-o", str(output), *westside, *extra
        )  # fmt: skip
        assert result.code == 0, result.stderr
    return Clinics(
        folder, sources, good, forged, stranger, unsigned, key, public, trust, stranger_key
    )


def verify(bundle: Path, *options: str, cwd: Path | None = None):
    return run_protokit("bundle", "verify", str(bundle), *options, cwd=cwd)


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("protokit: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[-1]


# 1. A bundle in a trusted clinic's name, not signed with that clinic's key


def test_a_bundle_in_a_trusted_name_signed_by_another_key_is_called_a_possible_forgery(clinics):
    result = verify(clinics.forged, "--trust", str(clinics.trust))
    assert result.code == 1
    line = one_error_line(result)
    assert (
        f"this bundle claims to be from {NAME}, whom your trust file trusts, but it is signed "
        "by a different key: it may be forged. Do not import it; telephone "
        f"{NAME} on a number you already know"
    ) in line
    assert "WARNING:    POSSIBLY FORGED: this bundle claims to be from" in result.stdout
    assert f"NOT the key your trust file has for {NAME}" in result.stdout
    assert "--allow" not in result.stdout + result.stderr  # no way around it is offered


@pytest.mark.parametrize("flag", ["--allow-untrusted", "--allow-unsigned"])
def test_a_possible_forgery_is_refused_even_when_untrusted_bundles_are_allowed(
    clinics, tmp_path, flag
):
    result = verify(clinics.forged, "--trust", str(clinics.trust), flag)
    assert result.code == 1 and "it may be forged" in one_error_line(result)
    target = tmp_path / "received"
    target.mkdir()
    before = snapshot(tmp_path)
    imported = run_protokit(
        "bundle", "import", str(clinics.forged), "--into", str(target), "--trust",
        str(clinics.trust), flag,
    )  # fmt: skip
    assert imported.code == 1 and "it may be forged" in one_error_line(imported)
    assert snapshot(tmp_path) == before


def test_an_unsigned_bundle_in_a_trusted_name_is_a_possible_forgery_too(clinics, tmp_path):
    # Leaving the signature out must not be an easier way to pass as a trusted clinic.
    unsigned = rebuild(clinics.good, tmp_path / "u.pkb", lambda entries: None)
    result = verify(unsigned, "--trust", str(clinics.trust), "--allow-untrusted")
    assert result.code == 1
    assert (
        f"claims to be from {NAME}, whom your trust file trusts, but it is not signed: it may "
        "be forged"
    ) in one_error_line(result)


def test_the_advice_for_an_untrusted_key_is_to_check_it_with_the_publisher_first(clinics):
    result = verify(clinics.stranger, "--trust", str(clinics.trust))
    assert result.code == 1
    fingerprint = re.search(r"valid, by key (sha256:[0-9a-f]{64})", result.stdout).group(1)
    advice = result.stdout.split("to trust this publisher:\n", 1)[1]
    assert '1. Telephone "Westside Rehab" on a number you already know' in advice
    assert f"2. Compare it with this bundle's key: {fingerprint}" in advice
    assert f"protokit keys show THEIR-KEY.pub --name 'Westside Rehab' >> {clinics.trust}" in advice
    assert advice.index("Telephone") < advice.index("--allow-untrusted")
    line = one_error_line(result)
    assert f"which is not in {clinics.trust}: check the key with the publisher" in line
    assert "--allow" not in line


@pytest.mark.parametrize("flag", ["--allow-untrusted", "--allow-unsigned"])
def test_accepting_an_unverified_publisher_is_said_out_loud(clinics, tmp_path, flag):
    result = verify(clinics.stranger, "--trust", str(clinics.trust), flag)
    assert result.code == 0, result.stderr
    fingerprint = re.search(r"valid, by key (sha256:[0-9a-f]{64})", result.stdout).group(1)
    assert result.stderr.strip() == (
        f"protokit: warning: {clinics.stranger}: the publisher is NOT verified (signed by: "
        f"{fingerprint}); accepted only because of --allow-untrusted"
    )
    target = tmp_path / "received"
    target.mkdir()
    imported = run_protokit(
        "bundle", "import", str(clinics.unsigned), "--into", str(target), flag
    )  # fmt: skip
    assert imported.code == 0, imported.stderr
    assert "signed by: none: the bundle is not signed" in imported.stderr
    assert (
        "the publisher is NOT verified (not signed); accepted only because of --allow-untrusted"
    ) in imported.stderr
    assert imported.stdout.startswith("add       ")


def test_help_names_allow_untrusted_and_its_older_name():
    result = run_protokit("bundle", "verify", "-h")
    text = " ".join(result.stdout.split())
    assert "--allow-untrusted, --allow-unsigned" in text
    assert "--allow-unsigned is its older name" in text


# 2. Trust-file messages


def _entry(clinics: Clinics) -> dict[str, str]:
    text = clinics.trust.read_text()
    return dict(re.findall(r'^(\w+) = "(.*)"$', text, re.M))


@pytest.mark.parametrize(
    "fingerprint",
    [
        lambda f: f.upper(),  # SHA256:C492...
        lambda f: f.removeprefix("sha256:"),
        lambda f: f.removeprefix("sha256:").upper(),
    ],
)
def test_a_fingerprint_in_upper_case_or_without_its_prefix_matches(clinics, tmp_path, fingerprint):
    entry = _entry(clinics)
    trust = tmp_path / "trust.toml"
    trust.write_text(
        f'[[key]]\nname = "{entry["name"]}"\npublic_key = "{entry["public_key"]}"\n'
        f'fingerprint = "{fingerprint(entry["fingerprint"])}"\n'
    )
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 0, result.stderr
    assert f"valid, by trusted key {NAME}" in result.stdout


@pytest.mark.parametrize(
    "drop, message",
    [
        ("fingerprint", f"key 1 ({NAME[1:-1]}): has no 'fingerprint': add the fingerprint"),
        ("public_key", f"key 1 ({NAME[1:-1]}): has no 'public_key': make the entry again"),
    ],
)
def test_a_missing_field_is_called_missing(clinics, tmp_path, drop, message):
    trust = tmp_path / "trust.toml"
    lines = clinics.trust.read_text().splitlines()
    trust.write_text("\n".join(line for line in lines if not line.startswith(drop)) + "\n")
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: {trust}:1:1: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not match" not in result.stderr


def test_a_mistake_in_a_trust_file_names_its_line_and_column(clinics, tmp_path):
    """H352: a mistake in the trust file was placed by the entry's number only ("key 3"),
    where the configuration and JSON files give line and column: the entry and the field
    are found by line now, the column that of the field's value."""
    entry = _entry(clinics)
    text = clinics.trust.read_text()
    trust = tmp_path / "trust.toml"
    trust.write_text(
        "# trusted clinics\n" + text + "\n" + text.replace(entry["fingerprint"][-4:], "0000")
    )
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 2
    line = (
        2
        + len(text.splitlines())
        + text.splitlines().index(next(x for x in text.splitlines() if x.startswith("fingerprint")))
    )
    assert result.stderr.startswith(f"protokit: error: {trust}:{line + 1}:15: key 2 "), (
        result.stderr
    )


def test_a_wrong_fingerprint_is_not_printed_for_copying(clinics, tmp_path):
    entry = _entry(clinics)
    trust = tmp_path / "trust.toml"
    trust.write_text(clinics.trust.read_text().replace(entry["fingerprint"][-4:], "0000"))
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 2
    assert entry["fingerprint"] not in result.stderr
    assert entry["fingerprint"].removeprefix("sha256:") not in result.stderr
    assert result.stderr.strip().endswith(
        "'fingerprint' does not match 'public_key': one of them was copied wrongly: check "
        "both again with the publisher, by telephone or in person"
    )


def test_a_public_key_file_given_as_the_trust_file_says_how_to_make_one(clinics):
    result = verify(clinics.good, "--trust", str(clinics.public))
    assert result.code == 2
    assert result.stderr.strip() == (
        f"protokit: error: {clinics.public}: is a public key file, not a trust file: check "
        "its fingerprint with the publisher, then make a trust file with: protokit keys show "
        f'{clinics.public} --name "CLINIC" > trust.toml'
    )


# 3. TOML files saved on Windows


@pytest.mark.parametrize(
    "encoding",
    [
        "utf-16",  # PowerShell 5.1's `>`: UTF-16 little-endian with a byte order mark
        "utf-16-be-bom",
        "utf-8-sig",  # Notepad's "UTF-8 with BOM"
    ],
)
def test_a_trust_file_saved_on_windows_is_read(clinics, tmp_path, encoding):
    text = clinics.trust.read_text().replace("\n", "\r\n")
    trust = tmp_path / "trust.toml"
    if encoding == "utf-16-be-bom":
        trust.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        trust.write_bytes(text.encode(encoding))
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 0, result.stderr
    assert f"valid, by trusted key {NAME}" in result.stdout


def test_a_trust_file_in_another_encoding_is_one_line_saying_save_it_as_utf8(clinics, tmp_path):
    trust = tmp_path / "trust.toml"
    trust.write_bytes(clinics.trust.read_text().replace("Physio", "Physio Zürich").encode("cp1252"))
    result = verify(clinics.good, "--trust", str(trust))
    assert result.code == 2
    assert result.stderr.strip() == (
        f"protokit: error: {trust}: is not readable text (not UTF-8, nor UTF-16 with a byte "
        "order mark): save it as UTF-8"
    )


@pytest.mark.parametrize(
    "name, table",
    [("protokit.toml", "[bundle]"), ("pyproject.toml", "[tool.protokit.bundle]")],
)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_configuration_files_saved_on_windows_are_read(clinics, tmp_path, name, table, encoding):
    (tmp_path / "trust.toml").write_bytes(clinics.trust.read_bytes())
    (tmp_path / name).write_bytes(f'{table}\r\ntrust = "trust.toml"\r\n'.encode(encoding))
    result = verify(clinics.good, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert f"valid, by trusted key {NAME}" in result.stdout


def test_a_configuration_file_in_another_encoding_says_save_it_as_utf8(clinics, tmp_path):
    (tmp_path / "protokit.toml").write_bytes('[clinic]\nname = "Physio Zürich"\n'.encode("cp1252"))
    result = verify(clinics.good, cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "protokit: error: protokit.toml: is not readable text (not UTF-8, nor "
        "UTF-16 with a byte order mark): save it as UTF-8"
    )


def test_every_toml_file_is_read_through_the_one_helper():
    package = Path(__file__).resolve().parents[2] / "protocol_kit"
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tomllib" in path.read_text(encoding="utf-8")
    )
    assert readers == ["tomlfile.py"]


# 4. Key files


def test_a_key_prefix_given_with_its_suffix_is_not_doubled(tmp_path):
    for given in ("sub/x.key", "sub/y.pub", "sub/z"):
        result = run_protokit("keys", "generate", "-o", str(tmp_path / given), "--name", "N")
        assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [
        "x.key", "x.pub", "y.key", "y.pub", "z.key", "z.pub",
    ]  # fmt: skip
    help_text = run_protokit("keys", "generate", "-h").stdout
    assert "-o, --output PREFIX" in help_text and "FILE" not in help_text


def test_signing_with_the_public_key_says_which_file_is_needed(clinics, tmp_path):
    result = run_protokit(
        "bundle", "create", str(clinics.sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER,
        "--sign", str(clinics.public),
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.strip() == (
        f"protokit: error: {clinics.public}: this is the public key: --sign needs the private "
        "key file (clinic.key, made with it by protokit keys generate)"
    )


# 5. Archive problems in plain words


def test_an_empty_file_is_called_empty(tmp_path):
    empty = tmp_path / "empty.pkb"
    empty.write_bytes(b"")
    result = verify(empty)
    assert result.code == 1
    assert one_error_line(result) == (
        f"protokit: error: {empty}: the file is empty (0 bytes), not a bundle: ask the sender to "
        "send it again"
    )


def test_a_truncated_bundle_or_another_file_says_to_ask_for_it_again(clinics, tmp_path):
    cut = tmp_path / "cut.pkb"
    cut.write_bytes(clinics.good.read_bytes()[:5000])
    assert one_error_line(verify(cut)).endswith(
        "it was probably cut short in transfer: ask the sender to send it again"
    )
    text = tmp_path / "notes.pkb"
    text.write_text("just some text")
    assert one_error_line(verify(text)) == (
        f"protokit: error: {text}: not a bundle, or it was cut short in transfer: ask the sender "
        "to send it again"
    )


def test_a_repacked_bundle_says_to_ask_for_the_original(clinics, tmp_path):
    repacked = raw_zip(tmp_path / "r.pkb", list(entries_of(clinics.good).items()))
    assert one_error_line(verify(repacked)).endswith(
        "re-packed by another tool (re-packing breaks the bundle's seal, even with the same "
        "files): ask the sender for the original file"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_reading_it():
    # /dev/zero never ends: refused before a byte is read, so the command returns at all (a
    # hang is caught by the harness's own generous timeout, not by timing the test).
    result = verify(Path("/dev/zero"))
    assert result.code == 1
    assert one_error_line(result) == (
        "protokit: error: /dev/zero: is a character device, not a regular file: give the "
        "bundle file"
    )


# 6. What verify and inspect say about a bundle


def test_every_command_counts_the_same_files_and_says_what_they_are(clinics):
    created = run_protokit(
        "bundle", "create", str(clinics.sources), "-o", str(clinics.folder / "again.pkb"),
        *PUBLISHER, "--sign", str(clinics.key), "--force",
    )  # fmt: skip
    verified = verify(clinics.good, "--trust", str(clinics.trust))
    inspected = run_protokit("bundle", "inspect", str(clinics.good))
    total = len(entries_of(clinics.good))
    listed = total - 2
    counts = f"{total} in all: {listed}"
    kinds = "(1 protocol, 5 schemas), plus the manifest and its signature"
    assert f"files: {counts} listed in the manifest {kinds}" in created.stdout
    assert f"files:      {counts} checked against their SHA-256 {kinds}" in verified.stdout
    assert f"files:      {counts} listed in the manifest {kinds}" in inspected.stdout


def test_the_bundle_date_is_labelled_for_what_it_is(clinics):
    for result in (
        verify(clinics.good, "--trust", str(clinics.trust)),
        run_protokit("bundle", "inspect", str(clinics.good)),
    ):
        assert (
            "dated:      2026-12-04T00:00:00Z (set by the publisher; by default the newest "
            "content date (updated) of its protocols, not the day the bundle was made)"
        ) in result.stdout
        assert "made with:  protocol-kit " in result.stdout
    created = run_protokit(
        "bundle", "create", str(clinics.sources), "-o", str(clinics.folder / "dated.pkb"),
        *PUBLISHER,
    )  # fmt: skip
    assert (
        "dated: 2026-12-04T00:00:00Z (the newest updated date of the protocols; --created sets "
        "another)"
    ) in created.stdout


def test_inspect_and_verify_show_each_protocols_version_and_review_dates(clinics):
    line = (
        "psoas-stretch-glute-bridge 1.0.6 (draft, {}not signed off, next review "
        "2027-11-22): Lower back pain"
    )
    inspected = run_protokit("bundle", "inspect", str(clinics.good))
    assert line.format("") in inspected.stdout
    verified = verify(clinics.good, "--trust", str(clinics.trust))
    assert line.format("valid, ") in verified.stdout


# 7. Review dates across time zones, and overdue reviews at the receiving clinic


def _dated(clinics: Clinics, tmp_path: Path, last: dt.date, next_: dt.date) -> Path:
    def edit(entries):
        def dates(data):
            data["updated"], data["next_review"] = last.isoformat(), next_.isoformat()

        change_protocol(entries, PROTOCOL, dates)

    return rebuild(clinics.good, tmp_path / "dated.pkb", edit, clinics.key)


def test_a_review_dated_tomorrow_is_accepted_for_time_zones(clinics, tmp_path):
    # Reviewed "today" at UTC+14 is tomorrow as seen at UTC-10.
    today = dt.date.today()
    tomorrow = _dated(clinics, tmp_path, today + dt.timedelta(days=1), today.replace(year=2099))
    result = verify(tomorrow, "--trust", str(clinics.trust))
    assert result.code == 0, result.stdout + result.stderr
    later = _dated(clinics, tmp_path, today + dt.timedelta(days=2), today.replace(year=2099))
    refused = verify(later, "--trust", str(clinics.trust))
    assert refused.code == 1 and "is in the future" in refused.stdout


def test_the_lint_rule_allows_one_day_too(tmp_path):
    protocol = json.loads(
        (
            Path(__file__).resolve().parents[2] / "protocols" / "psoas-stretch-glute-bridge.json"
        ).read_text(encoding="utf-8")
    )
    today = dt.date.today()
    (tmp_path / "library").mkdir()
    for name in ("kneeling-hip-flexor-stretch.json", "glute-bridge.json"):
        source = Path(__file__).resolve().parents[2] / "protocols" / "library" / name
        (tmp_path / "library" / name).write_bytes(source.read_bytes())
    for days, code in ((1, 0), (2, 1)):
        protocol["updated"] = (today + dt.timedelta(days=days)).isoformat()
        protocol["next_review"] = today.replace(year=today.year + 2).isoformat()
        path = tmp_path / "p.json"
        path.write_text(json.dumps(protocol, indent=2, ensure_ascii=False), encoding="utf-8")
        result = run_protokit("validate", str(path), "--select", "GOV005", cwd=tmp_path)
        assert result.code == code, result.stdout + result.stderr


def test_an_overdue_review_is_a_warning_for_the_receiver_not_a_refusal(clinics, tmp_path):
    today = dt.date.today()
    due = today - dt.timedelta(days=10)
    overdue = _dated(clinics, tmp_path, due - dt.timedelta(days=365), due)
    warning = (
        f"protocol psoas-stretch-glute-bridge 1.0.6: its review was due on {due.isoformat()} "
        "(the publisher's date): review it before giving it to patients"
    )
    result = verify(overdue, "--trust", str(clinics.trust))
    assert result.code == 0, result.stdout + result.stderr
    assert f"warning:    {warning}" in result.stdout
    assert f"protokit: warning: {overdue}: {warning}" in result.stderr
    assert "GOV001" not in result.stdout
    target = tmp_path / "received"
    target.mkdir()
    imported = run_protokit(
        "bundle", "import", str(overdue), "--into", str(target), "--trust", str(clinics.trust)
    )
    assert imported.code == 0, imported.stderr
    assert f"protokit: warning: {overdue}: {warning}" in imported.stderr
    # At the publishing clinic it stays an error: the author can and must review it.
    local = run_protokit("validate", str(target / "psoas-stretch-glute-bridge.json"))
    assert local.code == 1 and "error GOV001" in local.stdout


# 8. Usage errors, help and messages that name what the user has


def test_a_bad_created_date_is_a_usage_error(clinics, tmp_path):
    result = run_protokit(
        "bundle", "create", str(clinics.sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER,
        "--created", "yesterday",
    )  # fmt: skip
    assert result.code == 2 and "--created 'yesterday': give a date" in result.stderr


def test_exporting_a_bundle_to_fhir_says_how_to_do_it(clinics, tmp_path):
    result = run_protokit("export", "fhir", str(clinics.good))
    assert result.code == 2
    line = one_error_line(result)
    assert line.startswith(f"protokit: error: {clinics.good}: is a bundle, not a protocol file")
    assert "protokit bundle create --fhir" in line and "received/ID.json" in line


def test_top_level_help_cuts_no_command_short():
    result = run_protokit("--help", env={"COLUMNS": "80"})
    commands = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert commands and not [line for line in commands if line.endswith("...")]


def test_help_points_to_the_docs_in_the_source_repository():
    for command in (("bundle", "-h"), ("keys", "-h")):
        text = " ".join(run_protokit(*command).stdout.split())
        assert "docs/bundles.md in the protocol-kit source repository" in text
        assert "See docs/" not in text


def test_a_configuration_mistake_names_the_table_as_written_in_the_file(clinics, tmp_path):
    (tmp_path / "protokit.toml").write_text('[bundle]\ntrus = "trust.toml"\n')
    result = verify(clinics.good, cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.startswith(
        "protokit: error: protokit.toml:2:1: [bundle] trus: unknown field"
    )
    (tmp_path / "protokit.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.protokit.bundle]\ntrus = "trust.toml"\n')
    result = verify(clinics.good, cwd=tmp_path)
    assert result.stderr.startswith(
        "protokit: error: pyproject.toml:2:1: [tool.protokit] bundle.trus: unknown"
    )
    help_text = " ".join(run_protokit("bundle", "verify", "-h").stdout.split())
    assert "Default: trust in the [bundle] table of protokit.toml" in help_text
