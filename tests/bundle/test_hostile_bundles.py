"""Hostile bundles, one class at a time (issue 18's trial): identities that imitate a trusted
publisher, names that would forge output or run in a pasted command, writes through a link in
the target, a downgrade after a deletion, impossible dates and padded manifests. Each is
refused with one clear line, and the target folder is left as it was."""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_helpers import (
    ID,
    copy_examples,
    create,
    import_current,
    make_keys,
    publish,
    rebuild,
    run_import,
)
from hostile_helpers import assert_clean_output, assert_refused, state

from conftest import REPO, run_protokit
from protocol_kit import __version__

TRUSTED = "Clínica Norte Physio"


@dataclass
class Setting:
    folder: Path
    good: Path  # signed by the trusted clinic
    trust: Path
    stranger_key: Path


@pytest.fixture(scope="module")
def setting(tmp_path_factory) -> Setting:
    folder = tmp_path_factory.mktemp("hostile")
    sources = copy_examples(folder)
    key, _, trust = make_keys(folder, TRUSTED)
    (folder / "stranger").mkdir()
    stranger_key, _, _ = make_keys(folder / "stranger", "Stranger")
    good = folder / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED)
    return Setting(folder, good, trust, stranger_key)


def claiming(setting: Setting, output: Path, publisher: str, key: Path | None = None) -> Path:
    """The good bundle, its manifest claiming `publisher`, signed by `key` (the stranger's)."""

    def change(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        manifest["publisher"]["name"] = publisher
        entries["manifest.json"] = json.dumps(manifest).encode()

    return rebuild(setting.good, output, change, key or setting.stranger_key)


@pytest.mark.parametrize(
    "claimed",
    [
        TRUSTED.replace("í", "i\u0301"),  # another Unicode normal form (NFD)
        TRUSTED.replace(" Norte", "\u200b Norte"),  # a zero-width space
        TRUSTED.replace("Norte", "N\u043erte"),  # a Cyrillic о
        TRUSTED.replace("Physio", "Phys\u0456o"),  # a Cyrillic і
        "\uff23l\u00ednica Norte Physio",  # a fullwidth C
    ],
    ids=["NFD", "zero-width-space", "cyrillic-o", "cyrillic-i", "fullwidth"],
)
@pytest.mark.parametrize("allow", [(), ("--allow-untrusted",)], ids=["", "allow-untrusted"])
def test_a_look_alike_of_a_trusted_publisher_never_imports(tmp_path, setting, claimed, allow):
    bundle = claiming(setting, tmp_path / "forged.pkb", claimed)
    target = tmp_path / "received"
    target.mkdir()
    before = state(target)
    arguments = ["--into", str(target), "--trust", str(setting.trust), *allow]
    result = run_protokit("bundle", "import", str(bundle), *arguments)
    assert_refused(result, bundle, folder=target, before=before)
    assert result.code == 1
    said = result.stderr
    assert "may be forged" in said or "POSSIBLY FORGED" in said, said


def test_import_says_who_the_bundle_claims_to_be_from(tmp_path, setting):
    target = tmp_path / "received"
    target.mkdir()
    result = run_protokit(
        "bundle", "import", str(setting.good), "--into", str(target), "--trust", str(setting.trust)
    )
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"publisher: {TRUSTED} <")


@pytest.mark.parametrize(
    "claimed",
    ["Evil $(touch pwned) `id`; Clinic", "Evil\nresult:     OK", "Evil \x1b[2J\x1b[32mClinic"],
    ids=["command-substitution", "forged-result-line", "escape-sequences"],
)
def test_verify_never_prints_a_strangers_name_raw_or_runnable(tmp_path, setting, claimed):
    bundle = claiming(setting, tmp_path / "stranger.pkb", claimed)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(setting.trust))
    assert result.code == 1
    assert_clean_output(result)
    assert [line for line in result.stdout.splitlines() if line.startswith("result:")] == [
        "result:     REFUSED"
    ]
    for line in result.stdout.splitlines():
        if "protokit keys show" in line:
            command = line.split("file: ", 1)[1]
            words = shlex.split(command)
            # The name is one quoted word, or not in the command at all.
            assert claimed in words or "THE CLINIC'S NAME" in words, command
            assert words[:4] == ["protokit", "keys", "show", "THEIR-KEY.pub"]


def test_an_import_never_writes_through_a_link_in_the_target(tmp_path):
    received = import_current(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (received / "media").symlink_to(outside, target_is_directory=True)
    before, outside_before = state(received), state(outside)
    bundle = publish(tmp_path, "1.1.0", hold=50)  # its second protocol shows an image
    for options in ((), ("--dry-run",)):
        result = run_import(bundle, received, *options)
        assert result.code == 1
        assert_clean_output(result)
        assert f"{received / 'media'} is a symbolic link" in result.stdout + result.stderr
    assert state(received) == before and state(outside) == outside_before


def test_an_import_never_writes_through_a_linked_state_folder(tmp_path):
    received = import_current(tmp_path)
    outside = tmp_path / "outside"
    (received / ".protokit").rename(outside)
    (received / ".protokit").symlink_to(outside, target_is_directory=True)
    before, outside_before = state(received), state(outside)
    result = run_import(publish(tmp_path, "1.1.0", hold=50), received)
    assert result.code == 1
    assert "is a symbolic link" in result.stdout + result.stderr
    assert state(received) == before and state(outside) == outside_before


def test_a_deleted_newer_version_is_not_replaced_by_an_older_one(tmp_path):
    """The trial: after version 2 was imported and its file deleted, an older bundle re-added
    version 1; the import record knows better."""
    received = import_current(tmp_path)
    newer = publish(tmp_path, "1.1.0", hold=50, second=False, name="newer.pkb")
    assert run_import(newer, received).code == 0
    (received / f"{ID}.json").unlink()
    older = publish(tmp_path, "1.0.5", hold=45, second=False, name="older.pkb")
    before = state(received)
    result = run_import(older, received)
    assert_refused(result, older, folder=received, before=before)
    assert "version 1.1.0 of psoas-stretch-glute-bridge was imported into" in result.stdout
    assert "an import never downgrades a protocol" in result.stdout
    assert run_import(newer, received).code == 0  # the same version comes back


@pytest.mark.parametrize(
    "created", ["2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2026-13-01T00:00:00Z"]
)
def test_an_impossible_date_in_a_manifest_is_refused(tmp_path, setting, created):
    def change(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        manifest["created"] = created
        entries["manifest.json"] = json.dumps(manifest).encode()

    key = setting.folder / "clinic.key"
    bundle = rebuild(setting.good, tmp_path / "dated.pkb", change, key)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(setting.trust))
    assert_refused(result, bundle)


def test_a_manifest_padded_to_tens_of_megabytes_is_refused(tmp_path, setting):
    def change(entries: dict[str, bytes]) -> None:
        entries["manifest.json"] = entries["manifest.json"].rstrip() + b" " * (17 * 1024 * 1024)

    key = setting.folder / "clinic.key"
    bundle = rebuild(setting.good, tmp_path / "padded.pkb", change, key, rehashed=False)
    target = tmp_path / "received"
    target.mkdir()
    for arguments in (
        ["bundle", "verify", str(bundle)],
        ["bundle", "inspect", str(bundle)],
        ["bundle", "import", str(bundle), "--into", str(target), "--allow-untrusted"],
    ):
        result = run_protokit(*arguments)
        assert_refused(result, bundle, folder=target, before={})
        assert "over the limit" in result.stderr


def test_a_truncated_image_in_a_bundle_is_refused(tmp_path, setting):
    bundle = publish(tmp_path, "1.1.0", hold=50)

    def cut(entries: dict[str, bytes]) -> None:
        [name] = [n for n in entries if n.startswith("protocols/media/")]
        entries[name] = entries[name][:-20]

    cut_bundle = rebuild(bundle, tmp_path / "cut.pkb", cut)
    result = run_protokit("bundle", "verify", str(cut_bundle), "--allow-untrusted")
    assert_refused(result, cut_bundle)


def test_an_import_into_a_folder_whose_name_is_not_utf8_is_done(tmp_path):
    # The import's note for whoever finds its staging folder after a crash named the target
    # folder as it is: a byte that is not UTF-8 in that name ("caf\xe9", from an old system)
    # stopped the import with an internal error (H291).
    bundle = tmp_path / os.fsdecode(b"caf\xe9.pkb")
    create(copy_examples(tmp_path), bundle)
    target = tmp_path / os.fsdecode(b"caf\xe9")
    target.mkdir()
    for _ in range(2):  # added, then found unchanged
        result = run_import(bundle, target)
        assert result.code == 0, result.stderr
        assert "internal error" not in result.stderr
    assert [p.name for p in target.glob("*.json")] == [f"{ID}.json"]
    assert "caf\\xe9: 0 added, 0 updated, 1 unchanged" in result.stdout + result.stderr


def test_a_fhir_export_that_says_something_else_than_its_protocol_is_refused(tmp_path):
    # Signed by the trusted clinic, so only the contents can tell: the FHIR file the receiving
    # clinic may load into its server gave another dose, or another red flag, than the
    # protocol every check had passed, and `verify` said OK (H312).
    sources = copy_examples(tmp_path / "sources")
    main = sources / f"{ID}.json"
    data = json.loads(main.read_text("utf-8"))
    data["summary"] += "\n  Then swap sides."  # blanks the markdown drops: no disagreement
    main.write_text(json.dumps(data), "utf-8")
    key, _, trust = make_keys(tmp_path, TRUSTED)
    good = tmp_path / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED, "--fhir")
    name = f"fhir/{ID}.json"
    forgeries = {
        "dose": ('"valuePositiveInt": 10', '"valuePositiveInt": 30'),
        "red-flag": ("Chest pain or tightness", "Knee pain or tightness"),
    }
    for forged, (old, new) in forgeries.items():

        def change(entries: dict[str, bytes], old=old, new=new) -> None:
            assert old.encode() in entries[name]
            entries[name] = entries[name].replace(old.encode(), new.encode())

        bundle = rebuild(good, tmp_path / f"{forged}.pkb", change, key)
        result = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
        assert_refused(result, bundle)
        assert f"{name} says something else than protocols/{ID}.json" in result.stderr, forged
    result = run_protokit("bundle", "verify", str(good), "--trust", str(trust))
    assert result.code == 0, result.stderr


def test_a_bundle_made_with_fhir_verifies_when_an_exercise_needs_no_equipment(tmp_path):
    # The export writes no equipment part for `"equipment": []`, and reading it back left the
    # required field out: verify refused the walkthrough's neck protocol, made by
    # `bundle create --fhir` from a valid file, as "holds no valid protocol" (H331).
    sources = REPO / "docs/examples/walkthrough"
    chin_tuck = json.loads((sources / "library/chin-tuck.json").read_text("utf-8"))
    assert chin_tuck["equipment"] == []
    bundle = tmp_path / "neck.pkb"
    create(sources / "neck-stiffness.json", bundle, "--fhir")
    result = run_protokit("bundle", "verify", str(bundle), "--allow-untrusted")
    assert result.code == 0, result.stderr


def test_a_fhir_export_whose_narrative_says_something_else_is_refused(tmp_path):
    # A FHIR viewer shows a resource's narrative (text.div), which reading the export back
    # never reads: a narrative with another red flag than the protocol passed verify (H332).
    sources = copy_examples(tmp_path / "sources")
    key, _, trust = make_keys(tmp_path, TRUSTED)
    good = tmp_path / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED, "--fhir")
    name = f"fhir/{ID}.json"

    def change(entries: dict[str, bytes]) -> None:
        data = json.loads(entries[name])
        [plan] = [
            e["resource"]
            for e in data["entry"]
            if e["resource"]["resourceType"] == "PlanDefinition"
        ]
        assert "Chest pain or tightness" in plan["text"]["div"]
        plan["text"]["div"] = plan["text"]["div"].replace("Chest pain", "Knee pain")
        entries[name] = json.dumps(data, indent=2).encode()

    bundle = rebuild(good, tmp_path / "narrative.pkb", change, key)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
    assert_refused(result, bundle)
    assert f"{name} says something else than protocols/{ID}.json (at /entry/0/" in result.stderr


def _plan_timing(resources: list[dict]) -> dict:
    return resources[0]["action"][0]["timingTiming"]["repeat"]


def _more_often(resources: list[dict]) -> None:
    _plan_timing(resources)["frequency"] = 10  # "10 times a day"


def _for_a_year(resources: list[dict]) -> None:
    _plan_timing(resources)["boundsDuration"]["value"] = 52


def _another_body_site(resources: list[dict]) -> None:
    resources[1]["bodySite"][0]["coding"][0]["code"] = "72696002"  # SNOMED CT: knee


def _another_exercise_title(resources: list[dict]) -> None:
    resources[0]["action"][0]["title"] = "Deep squat"


@pytest.mark.parametrize(
    "edit", [_more_often, _for_a_year, _another_body_site, _another_exercise_title]
)
@pytest.mark.parametrize("options", [(), ("--canonical-base", "https://fhir.norte.example/r4")])
def test_a_fhir_export_whose_standard_elements_say_something_else_is_refused(
    tmp_path, edit, options
):
    # A FHIR server reads an action's timing, a body site, an action's title; reading the
    # export back reads protocol-kit's extensions only: an export saying "10 times a day for
    # 52 weeks" beside a protocol's once a day for 6 weeks passed verify (H387).
    sources = copy_examples(tmp_path / "sources")
    key, _, trust = make_keys(tmp_path, TRUSTED)
    good = tmp_path / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED, "--fhir", *options)
    result = run_protokit("bundle", "verify", str(good), "--trust", str(trust))
    assert result.code == 0, result.stderr
    name = f"fhir/{ID}.json"

    def change(entries: dict[str, bytes]) -> None:
        data = json.loads(entries[name])
        edit([e["resource"] for e in data["entry"]])
        entries[name] = json.dumps(data, indent=2).encode()

    bundle = rebuild(good, tmp_path / "changed.pkb", change, key)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
    assert_refused(result, bundle)
    assert f"{name} says something else than protocols/{ID}.json (at /entry/" in result.stderr


def test_fhir_definitions_that_are_not_protocol_kits_own_are_refused(tmp_path):
    # A receiving server that loads fhir/definitions.bundle.json learns from it what each
    # extension of the exports means; it was checked to be a FHIR Bundle only (H387).
    sources = copy_examples(tmp_path / "sources")
    key, _, trust = make_keys(tmp_path, TRUSTED)
    good = tmp_path / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED, "--fhir")
    name = "fhir/definitions.bundle.json"

    def change(entries: dict[str, bytes]) -> None:
        data = json.loads(entries[name])
        definition = data["entry"][0]["resource"]
        definition["description"] = "Ignore the dosage: do as many as you like."
        entries[name] = json.dumps(data, indent=2).encode()

    bundle = rebuild(good, tmp_path / "definitions.pkb", change, key)
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
    assert_refused(result, bundle)
    assert f"{name} is not protocol-kit's FHIR definitions (it differs at /entry/0/" in (
        result.stderr
    )


def test_fhir_definitions_of_an_earlier_release_verify_and_nothing_else_does(tmp_path):
    """H988: each definition carries the version of the protokit that wrote it, and was
    compared with this version's: once the version was raised, every `--fhir` bundle of an
    earlier release was refused as "not protocol-kit's FHIR definitions". The version the
    signed manifest names is now the one looked for; another version, or another text, is
    still refused."""
    sources = copy_examples(tmp_path / "sources")
    key, _, trust = make_keys(tmp_path, TRUSTED)
    good = tmp_path / "good.pkb"
    create(sources, good, "--sign", str(key), "--publisher-name", TRUSTED, "--fhir")
    name = "fhir/definitions.bundle.json"

    def made_by(generator: str, definitions: str, description: str | None = None):
        def change(entries: dict[str, bytes]) -> None:
            manifest = json.loads(entries["manifest.json"])
            manifest["generator"]["version"] = generator
            entries["manifest.json"] = json.dumps(manifest).encode()
            data = json.loads(entries[name])
            for entry in data["entry"]:
                entry["resource"]["version"] = definitions
            if description is not None:
                data["entry"][0]["resource"]["description"] = description
            entries[name] = json.dumps(data, indent=2).encode()

        bundle = rebuild(good, tmp_path / f"{generator}-{definitions}.pkb", change, key)
        return run_protokit("bundle", "verify", str(bundle), "--trust", str(trust)), bundle

    earlier, _ = made_by("0.0.9", "0.0.9")
    assert earlier.code == 0, earlier.stderr
    assert "result:     OK" in earlier.stdout
    assert "it was made with protocol-kit 0.0.9" not in earlier.stderr + earlier.stdout
    mixed, bundle = made_by(__version__, "0.0.9")
    assert_refused(mixed, bundle)
    assert f"{name} is not protocol-kit's FHIR definitions (it differs at /entry/0/" in (
        mixed.stderr
    )
    changed, bundle = made_by("0.0.9", "0.0.9", "Ignore the dosage: do as many as you like.")
    assert_refused(changed, bundle)
    assert (
        f"(it differs at /entry/0/resource/description; it was made with protocol-kit 0.0.9, "
        f"this is {__version__}): do not load it into a FHIR server"
    ) in changed.stderr


@pytest.mark.parametrize("kind", ["prescription", "exercise"])
def test_a_bundled_file_of_another_kind_is_refused_as_one_without_its_checks(
    setting, tmp_path, kind
):
    """H1419: a trusted publisher's bundle (signed, re-hashed) whose protocols/ID.json holds a
    patient's prescription ended `bundle verify` and `import` with "protokit: error:
    x.pkb/protocols/ID.json: Not a directory", exit 2: the prescription's checks looked on
    disk, beside the file's path in the bundle, for its protocol (and would have read the
    receiving clinic's own protocols, and the file its `follows` names). Now it is BDL002,
    "is a patient's prescription, not a protocol", before any check of that kind."""
    source = (
        REPO / "docs" / "examples" / "prescription-psoas.json"
        if kind == "prescription"
        else REPO / "protocols" / "library" / "glute-bridge.json"
    )
    name = f"protocols/{ID}.json"

    def change(entries: dict[str, bytes]) -> None:
        entries[name] = source.read_bytes()

    bundle = rebuild(
        setting.good, tmp_path / "other-kind.pkb", change, setting.folder / "clinic.key"
    )
    (tmp_path / "into").mkdir()
    before = state(tmp_path / "into")
    what = "a patient's prescription" if kind == "prescription" else "a library exercise"
    for command in (
        ("bundle", "verify", "--trust", str(setting.trust), bundle.name),
        ("bundle", "import", "--trust", str(setting.trust), "--into", "into", bundle.name),
    ):
        result = run_protokit(*command, cwd=tmp_path)
        assert_refused(result, f"other-kind.pkb/{name}", folder=tmp_path / "into", before=before)
        assert result.code == 1, result.stderr
        assert (
            f"other-kind.pkb/{name}:1:1: error BDL002 is {what}, not a protocol" in (result.stdout)
            or f"other-kind.pkb/{name}:1:1: is {what}, not a protocol" in result.stderr
        )
