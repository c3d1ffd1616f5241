"""create -> verify -> import, as a clinic does it, with the real command."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from bundle_helpers import (
    PNG,
    PUBLISHER,
    copy_examples,
    create,
    entries_of,
    make_keys,
    snapshot,
    translated_library_case,
)

from conftest import CASES, run_protokit
from protocol_kit import __version__


# With --fhir the bundle also carries the FHIR exports and the definitions of protocol-kit's
# extensions (fhir/definitions.bundle.json): a bundle made so was refused by verify.
@pytest.mark.parametrize("extra", [(), ("--fhir",)], ids=["protocols", "with-fhir"])
def test_create_verify_import_round_trip(tmp_path, extra):
    sources = copy_examples(tmp_path)
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(bundle), *PUBLISHER, "--sign", str(key),
        *extra,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert f"sha256: {digest}" in result.stdout
    assert "2 library exercises (inlined into the protocols)" in result.stderr

    verified = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
    assert verified.code == 0, verified.stderr
    assert "publisher:  Northside Physio <info@northside.example>" in verified.stdout
    assert 'valid, by trusted key "Northside Physio"' in verified.stdout
    assert (
        "psoas-stretch-glute-bridge 1.0.6 (draft, valid, not signed off, next review 2027-11-22"
    ) in verified.stdout
    assert verified.stdout.rstrip().endswith("result:     OK")

    target = tmp_path / "received"
    target.mkdir()
    imported = run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust)
    )
    assert imported.code == 0, imported.stderr
    assert imported.stdout.startswith("add       psoas-stretch-glute-bridge 1.0.6 -> ")
    written = target / "psoas-stretch-glute-bridge.json"
    assert written.read_bytes() == entries_of(bundle)["protocols/psoas-stretch-glute-bridge.json"]
    # Self-contained: it validates where there is no library at all.
    assert run_protokit("validate", str(written)).code == 0
    assert all("ref" not in e for e in json.loads(written.read_text())["exercises"])

    again = run_protokit(
        "bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust)
    )
    assert again.code == 0
    assert again.stdout.startswith("unchanged psoas-stretch-glute-bridge 1.0.6")


def test_same_inputs_give_a_byte_identical_bundle(tmp_path):
    sources = copy_examples(tmp_path)
    key, _, _ = make_keys(tmp_path)
    first, second = tmp_path / "first.pkb", tmp_path / "second.pkb"
    create(sources, first, "--sign", str(key), "--fhir")
    # Touch every source: modification times must not leak into the bundle.
    for path in sources.rglob("*.json"):
        path.write_bytes(path.read_bytes())
    create(sources, second, "--sign", str(key), "--fhir")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
    assert all(i.extra == b"" and i.comment == b"" for i in infos)


def test_created_time_is_chosen_reproducibly(tmp_path):
    sources = copy_examples(tmp_path)

    def created(*extra, env=None):
        out = tmp_path / "b.pkb"
        result = run_protokit(
            "bundle", "create", str(sources), "-o", str(out), *PUBLISHER, "--force", *extra, env=env
        )
        assert result.code == 0, result.stderr
        return json.loads(entries_of(out)["manifest.json"])["created"]

    assert created() == "2026-12-04T00:00:00Z"  # the newest updated date
    assert created(env={"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14T22:13:20Z"
    assert created("--created", "2027-01-05T09:30:00+01:00") == "2027-01-05T08:30:00Z"
    bad = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "c.pkb"), *PUBLISHER,
        "--created", "yesterday",
    )  # fmt: skip
    assert bad.code == 2 and "--created 'yesterday': give a date" in bad.stderr


def test_manifest_lists_every_file_with_size_and_hash(tmp_path):
    bundle = tmp_path / "b.pkb"
    create(copy_examples(tmp_path), bundle)
    entries = entries_of(bundle)
    manifest = json.loads(entries["manifest.json"])
    assert manifest["format_version"] == 1
    assert manifest["generator"] == {"name": "protocol-kit", "version": __version__}
    assert manifest["publisher"] == {
        "name": "Northside Physio",
        "contact": "info@northside.example",
    }
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(entries) - {"manifest.json"}
    for name, item in listed.items():
        assert item["size"] == len(entries[name])
        assert item["sha256"] == hashlib.sha256(entries[name]).hexdigest()
    assert manifest["protocols"] == [
        {
            "id": "psoas-stretch-glute-bridge",
            "version": "1.0.6",
            "status": "draft",
            "title": "Lower back pain: hip flexor stretch and glute bridge",
            "path": "protocols/psoas-stretch-glute-bridge.json",
        }
    ]
    # The schemas the protocol was validated against travel with it.
    assert {n for n in entries if n.startswith("schemas/")} == {
        "schemas/protocol.schema.json",
        "schemas/common.schema.json",
        "schemas/exercise.schema.json",
        "schemas/pose.schema.json",
        "schemas/bundle-manifest.schema.json",
    }


def test_publisher_comes_from_the_clinic_configuration(tmp_path):
    sources = copy_examples(tmp_path)
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nname = "Riverside Clinic"\nemail = "desk@riverside.example"\n'
    )
    out = tmp_path / "b.pkb"
    result = run_protokit("bundle", "create", str(sources), "-o", str(out), cwd=tmp_path)
    assert result.code == 0, result.stderr
    manifest = json.loads(entries_of(out)["manifest.json"])
    assert manifest["publisher"] == {
        "name": "Riverside Clinic",
        "contact": "desk@riverside.example",
    }
    (tmp_path / "protokit.toml").write_text("")
    missing = run_protokit("bundle", "create", str(sources), "-o", str(out), cwd=tmp_path)
    assert missing.code == 2
    assert "pass --publisher-name, or set name in [clinic] in protokit.toml" in missing.stderr


def test_an_invalid_protocol_is_refused_and_nothing_is_written(tmp_path):
    sources = copy_examples(tmp_path)
    broken = sources / "broken.json"
    broken.write_text((CASES / "validate/invalid/wrong-enum-status/protocol.json").read_text())
    before = snapshot(tmp_path)
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER
    )
    assert result.code == 1
    assert '"approved" is not one of: draft, active, retired [/status]' in result.stdout
    assert result.stderr.strip().splitlines() == [
        "protokit: error: 1 of 4 files is invalid (see above): no bundle was written"
    ]
    assert snapshot(tmp_path) == before


def test_even_with_force_the_bundle_never_replaces_a_protocol_or_a_file_that_is_no_bundle(
    tmp_path,
):
    sources = copy_examples(tmp_path)
    protocol = sorted(sources.glob("*.json"))[0]
    (tmp_path / "notes.pkb").write_text("my notes", encoding="utf-8")
    before = snapshot(tmp_path)
    for output, says in (
        (protocol, "is one of the files that the bundle is made from"),
        (tmp_path / "notes.pkb", "exists and is not a bundle (a zip archive)"),
    ):
        result = run_protokit(
            "bundle", "create", str(sources), "-o", str(output), "--force", *PUBLISHER
        )
        assert result.code == 2
        assert result.stderr.startswith(f"protokit: error: {output}: {says}")
    assert snapshot(tmp_path) == before


def test_a_protocol_breaking_a_safety_rule_is_refused(tmp_path):
    sources = copy_examples(tmp_path)
    protocol = sources / "psoas-stretch-glute-bridge.json"
    data = json.loads(protocol.read_text())
    data["indications"][0]["code"] = "M54.55"  # well formed, but no such ICD-10-CM code
    protocol.write_text(json.dumps(data, indent=2))
    result = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "b.pkb"), *PUBLISHER
    )
    assert result.code == 1
    assert "error CODE001 M54.55 is not an ICD-10-CM code" in result.stdout
    assert not (tmp_path / "b.pkb").exists()


def test_prescriptions_are_never_bundled(tmp_path):
    sources = copy_examples(tmp_path)
    prescription = CASES / "validate/valid/prescription/rx.json"
    (sources / "rx.json").write_bytes(prescription.read_bytes())
    out = tmp_path / "b.pkb"
    result = run_protokit("bundle", "create", str(sources), "-o", str(out), *PUBLISHER)
    assert result.code == 0, result.stderr
    assert "1 prescriptions (patient data is never bundled)" in result.stderr
    patient = json.loads(prescription.read_text())["patient"]["name"]
    assert all(patient.encode() not in content for content in entries_of(out).values())


def test_library_exercise_is_inlined_in_the_protocols_languages(tmp_path):
    protocol = translated_library_case(tmp_path)
    out = tmp_path / "b.pkb"
    create(protocol, out)
    data = json.loads(entries_of(out)["protocols/back-basics.json"])
    plain, changed = data["exercises"]
    # The library's `en` texts serve the protocol's `en-GB`; French stays French.
    assert plain["name"] == {"en-GB": "Cat and cow", "fr": "FR Cat and cow"}
    assert plain["steps"][1]["fr"] == "FR Let your back sink slowly into a gentle arch."
    assert plain["dosage"] == {
        "sets": 2,
        "repetitions": 8,
        "side": "both",
        "sessions_per_day": 1,
        "days_per_week": 7,
        "intensity": {"en-GB": "Easy movement, no pain", "fr": "FR Easy movement, no pain"},
    }
    assert plain["x-library"] == {
        "ref": "cat-cow",
        "version": "2.1.0",
        "authors": [{"name": "Library Author", "credentials": "Physiotherapist"}],
    }
    assert changed["id"] == "cat-cow-more"
    assert changed["dosage"]["repetitions"] == 10 and changed["dosage"]["sets"] == 2
    assert changed["dosage"]["intensity"] == {
        "en-GB": "A little further, still no pain",
        "fr": "FR Further",
    }
    assert changed["x-library"]["dosage"]["repetitions"] == 10
    assert changed["x-library"]["note"] == "More repetitions for this group."
    for key in ("$schema", "version", "language", "translations", "authors"):
        assert key not in plain
    received = tmp_path / "received.json"
    received.write_bytes(entries_of(out)["protocols/back-basics.json"])
    assert run_protokit("validate", str(received)).code == 0


def test_images_travel_in_the_bundle_named_by_their_hash(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    protocol = json.loads((CASES / "validate/valid/minimal-protocol/protocol.json").read_text())
    (folder / "images").mkdir()
    (folder / "images" / "bridge.png").write_bytes(PNG)
    protocol["exercises"][0]["media"] = [
        {
            "kind": "image",
            "path": "images/bridge.png",
            "alt": "A person lying on their back with the hips lifted",
            "author": "Clinic photographer",
            "licence": "CC-BY-4.0",
        }
    ]
    (folder / "p.json").write_text(json.dumps(protocol))
    out = tmp_path / "b.pkb"
    create(folder, out)
    entries = entries_of(out)
    name = f"media/{hashlib.sha256(PNG).hexdigest()}.png"
    assert entries["protocols/" + name] == PNG
    bundled = json.loads(entries[f"protocols/{protocol['id']}.json"])
    assert bundled["exercises"][0]["media"][0]["path"] == name

    target = tmp_path / "target"
    target.mkdir()
    result = run_protokit("bundle", "import", str(out), "--into", str(target), "--allow-unsigned")
    assert result.code == 0, result.stderr
    assert (target / name).read_bytes() == PNG
    assert run_protokit("validate", str(target / f"{protocol['id']}.json")).code == 0

    (folder / "images" / "bridge.png").write_bytes(b"GIF89a not a png")
    wrong = run_protokit("bundle", "create", str(folder), "-o", str(tmp_path / "c.pkb"), *PUBLISHER)
    assert wrong.code == 1 and "is not a PNG image, though its name says so" in wrong.stderr


def test_a_bundle_written_says_the_warnings_of_its_protocols(tmp_path):
    # `build` prints a protocol's warnings; `bundle create` wrote the bundle without a word
    # of them (unusually many repetitions here), which each receiving clinic's `verify` then
    # showed.
    sources = copy_examples(tmp_path)
    exercise = sources / "library" / "glute-bridge.json"
    data = json.loads(exercise.read_text(encoding="utf-8"))
    data["dosage"]["repetitions"] = 60  # above the usual 30 of a strengthening exercise
    exercise.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = tmp_path / "b.pkb"
    result = run_protokit("bundle", "create", str(sources), "-o", str(out), *PUBLISHER,
                          cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.stderr
    assert out.exists()
    said = [line for line in result.stdout.splitlines() if " warning DOSE002 " in line]
    # At the protocol that uses it, and at the library file.
    assert [line.split(":")[0] for line in said] == [
        str(sources / "psoas-stretch-glute-bridge.json"),
        str(sources / "library" / "glute-bridge.json"),
    ]
    assert all("60 repetitions" in line for line in said)
