"""`protokit import fhir` reads an export back into a protocol that validates and says the same
in every clinical field: dosages, safety statements, texts in every language, exercise details,
delivery, pictures."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from fhir_helpers import BUNDLE_TYPES, EXAMPLES, SIGNED, clinical_view, export, load

from conftest import CASES, run_protokit

TRANSLATED = CASES / "validate" / "valid" / "translated-protocol" / "protocol.json"
MINIMAL = CASES / "validate" / "valid" / "minimal-protocol" / "protocol.json"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def round_trip(path, tmp_path, release="R4", bundle_type="collection"):
    exported = tmp_path / f"export-{release}-{bundle_type}.json"
    exported.write_text(json.dumps(export(path, release, bundle_type)), "utf-8")
    back = tmp_path / f"back-{release}-{bundle_type}" / "protocol.json"
    back.parent.mkdir()
    result = run_protokit("import", "fhir", str(exported), "-o", str(back))
    assert result.code == 0, result.stderr
    validated = run_protokit("validate", "--no-lint", str(back))
    assert validated.code == 0, validated.stdout
    return back


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_comes_back_the_same(path, tmp_path):
    original = clinical_view(load(path))
    for release in ("R4", "R4B"):
        for bundle_type in BUNDLE_TYPES:
            back = round_trip(path, tmp_path, release, bundle_type)
            assert clinical_view(load(back)) == original, (release, bundle_type)


def test_sign_off_codings_covers_and_poses_come_back(tmp_path):
    # An active protocol in two languages: who signed it off, a WHO ICD-10 coding beside the
    # ICD-10-CM one, the red flags' covers, and poses with a lean, a prop's gap and an alt text.
    original = load(SIGNED)
    assert original.sign_off is not None and original.exercises[1].poses.alt is not None
    for release in ("R4", "R4B"):
        for bundle_type in BUNDLE_TYPES:
            back = round_trip(SIGNED, tmp_path, release, bundle_type)
            assert clinical_view(load(back)) == clinical_view(original), (release, bundle_type)
            data = json.loads(back.read_text("utf-8"))
            source = json.loads(SIGNED.read_text("utf-8"))
            for key in ("status", "sign_off", "updated", "indications"):
                assert data[key] == source[key], key
            assert [f.get("covers") for f in data["safety"]["red_flags"]] == [
                f.get("covers") for f in source["safety"]["red_flags"]
            ]
            assert data["exercises"][1]["poses"] == source["exercises"][1]["poses"]


def test_a_translated_protocol_keeps_every_language(tmp_path):
    original = clinical_view(load(TRANSLATED))
    for release in ("R4", "R4B"):
        back = round_trip(TRANSLATED, tmp_path, release)
        assert clinical_view(load(back)) == original
        data = json.loads(back.read_text("utf-8"))
        assert data["translations"] == ["fr"] and data["title"]["fr"] == "Les bases du dos"


def test_text_that_looks_like_markup_comes_back_exactly(tmp_path):
    data = json.loads(MINIMAL.read_text("utf-8"))
    odd = "1. Lie *slowly* on <b>your</b> back & breathe \\ [x](y) `z`"
    data["summary"] = "# not a heading\n- not a list\n  two  spaces, a \\ backslash"
    data["exercises"][0]["steps"] = [odd, "> not a quote", "<script>alert(1)</script>"]
    data["licence"] = "CC-BY-4.0"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), "utf-8")
    back = round_trip(path, tmp_path)
    again = json.loads(back.read_text("utf-8"))
    assert again["exercises"][0]["steps"] == data["exercises"][0]["steps"]
    assert again["summary"] == data["summary"].replace("\n  two", "\ntwo")  # leading blanks
    assert clinical_view(load(back)).exercises == clinical_view(load(path)).exercises


def test_pictures_come_back_byte_for_byte(tmp_path):
    data = json.loads(MINIMAL.read_text("utf-8"))
    data["exercises"][0]["media"] = [
        {"kind": "image", "path": "images/lie.png", "alt": "Lying down", "caption": "Start",
         "author": "A. Artist", "licence": "CC0-1.0", "source": "https://example.org/p"},
        {"kind": "video", "url": "https://example.org/v.mp4", "alt": "Video", "author": "B",
         "licence": "CC-BY-4.0"},
    ]  # fmt: skip
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "lie.png").write_bytes(PNG)
    path = tmp_path / "pictures.json"
    path.write_text(json.dumps(data), "utf-8")
    back = round_trip(path, tmp_path, "R4B")
    media = json.loads(back.read_text("utf-8"))["exercises"][0]["media"]
    assert (back.parent / media[0]["path"]).read_bytes() == PNG
    assert media[1]["url"] == "https://example.org/v.mp4"
    before, after = clinical_view(load(path)), clinical_view(load(back))
    assert [(m.kind, m.caption, m.alt, m.author, m.licence, m.source, m.url) for m in
            after.exercises[0].media] == [(m.kind, m.caption, m.alt, m.author, m.licence,
            m.source, m.url) for m in before.exercises[0].media]  # fmt: skip


def test_what_is_not_a_protocol_kit_export_is_refused(tmp_path):
    definitions = tmp_path / "definitions.json"
    assert run_protokit("export", "fhir-definitions", "-o", str(definitions)).code == 0
    result = run_protokit("import", "fhir", str(definitions))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"protokit: error: {definitions}: not a protocol-kit export of one protocol: "
        "0 protocol-kit PlanDefinitions in the bundle"
    )
    broken = export(EXAMPLES[0])
    plan = broken["entry"][0]["resource"]
    plan["extension"] = [e for e in plan["extension"] if not e["url"].endswith("protocol-details")]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = run_protokit("import", "fhir", str(path), "-o", str(tmp_path / "out.json"))
    assert result.code == 2 and "protocol-details is missing" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_a_text_that_is_an_object_is_named_in_the_refusal(tmp_path):
    """H1423: a PlanDefinition whose title is an object was refused as "not a protocol-kit
    export that can be read back (no "")", naming neither the element nor what is wrong."""
    broken = export(EXAMPLES[0])
    broken["entry"][0]["resource"]["title"] = {"a": 1}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = run_protokit("import", "fhir", str(path), "-o", str(tmp_path / "out.json"))
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"protokit: error: {path}: not a protocol-kit export that can be read back (title is "
        "not a text)"
    )
    assert not (tmp_path / "out.json").exists()


def test_an_existing_file_is_not_replaced_without_force(tmp_path):
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export(EXAMPLES[0])))
    target = tmp_path / "protocol.json"
    target.write_text("keep me")
    result = run_protokit("import", "fhir", str(exported), "-o", str(target))
    assert result.code == 2 and target.read_text() == "keep me"
    # --force replaces an earlier protocol, not a file that is no protocol (H226).
    forced = run_protokit("import", "fhir", str(exported), "-o", str(target), "--force")
    assert forced.code == 2 and target.read_text() == "keep me"
    shutil.copy(EXAMPLES[1], target)
    assert run_protokit("import", "fhir", str(exported), "-o", str(target), "--force").code == 0


def test_a_foreign_fhir_resource_is_refused_saying_what_it_is(tmp_path):
    """H421: a standard PlanDefinition or ActivityDefinition from another tool was refused
    as "not a FHIR Bundle" (sent on its own) or "0 protocol-kit PlanDefinitions" (in a
    bundle), which did not tell the receiving clinic that it is a FHIR file protokit does not
    read back, nor why it is not imported in part."""
    plan = {
        "resourceType": "PlanDefinition",
        "status": "active",
        "title": "Low back programme",
        "action": [{"title": "Bridge", "description": "Lift your hips"}],
    }
    alone = tmp_path / "plan.json"
    alone.write_text(json.dumps(plan))
    result = run_protokit("import", "fhir", str(alone), "-o", str(tmp_path / "a.json"))
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert 'not a FHIR Bundle but one "PlanDefinition" resource on its own' in result.stderr
    bundled = tmp_path / "bundle.json"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": plan}]}
    bundled.write_text(json.dumps(bundle))
    result = run_protokit("import", "fhir", str(bundled), "-o", str(tmp_path / "b.json"))
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert (
        f'{bundled}: not a protocol-kit export: its PlanDefinition "Low back programme" was '
        "written by another tool" in result.stderr
    )
    assert not (tmp_path / "a.json").exists() and not (tmp_path / "b.json").exists()


def _refusal(bundle, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    out = tmp_path / "out.json"
    result = run_protokit("import", "fhir", str(path), "-o", str(out))
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert not out.exists()
    return result.stderr


def test_an_entry_or_statement_the_protocol_would_not_carry_is_refused_not_dropped(tmp_path):
    """H660: entries that were not objects were skipped, and a contraindication or warning
    whose subject was not in the bundle (or an exercise no action named) was left out of the
    imported protocol without a word: a sheet printed from it would lack a safety statement."""
    bundle = export(EXAMPLES[0], "R4B")
    assert "Bundle.entry[2] is not an object" in _refusal(
        {**bundle, "entry": [*bundle["entry"][:2], "a note", *bundle["entry"][2:]]}, tmp_path
    )
    numbered = json.loads(json.dumps(bundle))
    numbered["entry"][0]["fullUrl"] = 5
    assert "Bundle.entry[0].fullUrl is not a text" in _refusal(numbered, tmp_path)
    assert "Bundle.entry is not a list" in _refusal({**bundle, "entry": "abc"}, tmp_path)

    orphaned = json.loads(json.dumps(bundle))
    uses = [
        e["resource"]
        for e in orphaned["entry"]
        if e["resource"]["resourceType"] == "ClinicalUseDefinition"
    ]
    uses[-1]["subject"] = [{"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}]
    assert "ClinicalUseDefinition" in _refusal(orphaned, tmp_path)
    assert "importing would drop it" in _refusal(orphaned, tmp_path)

    unnamed = json.loads(json.dumps(bundle))
    plan = unnamed["entry"][0]["resource"]
    plan["action"] = plan["action"][:-1]
    assert "ActivityDefinition" in _refusal(unnamed, tmp_path)


@pytest.mark.parametrize("release", ["R4", "R4B"])
def test_a_maternity_red_flag_comes_back_as_the_maternity_unit(tmp_path, release):
    # Twenty-third sitting (H946): a pregnancy's sign for the midwife is exported with its own
    # code and read back as `maternity`, not as the urgent box's "see a doctor ... 111".
    data = json.loads(MINIMAL.read_text("utf-8"))
    flag = {"text": "Fluid leaking from your vagina.", "action": "maternity"}
    data["safety"]["red_flags"].append(flag)
    path = tmp_path / "maternity.json"
    path.write_text(json.dumps(data), "utf-8")
    codes = json.dumps(export(path, release))
    assert '"red-flag-maternity"' in codes
    back = json.loads(round_trip(path, tmp_path, release).read_text("utf-8"))
    assert back["safety"]["red_flags"][-1] == flag
