"""Canonical identities from the publisher, transaction bundles a server can take, and a
narrative with the safety statements on every resource."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from urllib.parse import parse_qs, urlsplit

from fhir_helpers import EXAMPLES, SIGNED, export, resources

from conftest import REPO, run_protokit
from protocol_kit.fhir.definitions import definitions_bundle

EXAMPLE = REPO / "protocols" / "psoas-stretch-glute-bridge.json"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_two_clinics_never_share_an_identity():
    northside = export(EXAMPLE, publisher="Northside Physio", contact="n@northside.example")
    southside = export(EXAMPLE, publisher="Southside Physio", contact="s@southside.example")
    again = export(EXAMPLE, publisher="Northside Physio", contact="n@northside.example")
    urls = [{r["url"] for r in resources(d) if "url" in r} for d in (northside, southside, again)]
    assert urls[0].isdisjoint(urls[1]) and urls[0] == urls[2]
    assert all(url.startswith("urn:uuid:") for url in urls[0])


def test_a_canonical_base_from_the_configuration(tmp_path):
    (tmp_path / "protokit.toml").write_text(
        '[clinic]\nname = "Northside Physio"\ncontact = "info@northside.example"\n'
        '[fhir]\ncanonical_base = "https://fhir.northside.example/"\n'
    )
    result = run_protokit("export", "fhir", str(EXAMPLE), cwd=tmp_path)
    assert result.code == 0, result.stderr
    [plan] = resources(json.loads(result.stdout), "PlanDefinition")
    assert plan["url"] == "https://fhir.northside.example/PlanDefinition/psoas-stretch-glute-bridge"
    (tmp_path / "protokit.toml").write_text('[fhir]\ncanonical_base = "fhir.northside.example"\n')
    refused = run_protokit("export", "fhir", str(EXAMPLE), cwd=tmp_path)
    assert refused.code == 2 and "canonical_base" in refused.stderr
    assert "must be an http(s) URL" in refused.stderr


def test_without_a_publisher_the_export_is_refused(tmp_path):
    result = run_protokit("export", "fhir", str(EXAMPLE), cwd=tmp_path)  # no configuration
    assert result.code == 2 and result.stdout == ""
    assert "a FHIR export is identified by its publisher" in result.stderr


def test_r4_is_the_default():
    result = run_protokit("export", "fhir", str(EXAMPLE))
    document = json.loads(result.stdout)
    assert resources(document, "ClinicalUseDefinition") == []
    assert document["type"] == "collection"


def test_a_transaction_updates_by_canonical_identity():
    document = export(EXAMPLE, "R4B", "transaction")
    assert document["type"] == "transaction"
    full_urls = [entry["fullUrl"] for entry in document["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    for entry in document["entry"]:
        resource, request = entry["resource"], entry["request"]
        assert "id" not in resource and request["method"] == "PUT"
        kind, _, query = request["url"].partition("?")
        assert kind == resource["resourceType"]
        search = parse_qs(query)
        if "url" in resource:
            assert search == {"url": [resource["url"]], "version": [resource["version"]]}
        else:
            [identifier] = resource["identifier"]
            assert search == {"identifier": [f"{identifier['system']}|{identifier['value']}"]}
    # References between the entries use the entries' fullUrls, which the server rewrites.
    for use in resources(document, "ClinicalUseDefinition"):
        assert use["subject"][0]["reference"] in full_urls
    assert export(EXAMPLE, "R4B", "transaction") == document  # the same identity every time


def test_the_definitions_load_as_a_transaction_too():
    document = definitions_bundle("4.0.1", "transaction")
    for entry in document["entry"]:
        url = urlsplit(entry["request"]["url"])
        assert entry["request"]["method"] == "PUT"
        assert parse_qs(url.query)["url"] == [entry["resource"]["url"]]


def divs(document):
    for resource in resources(document):
        text = resource["text"]
        assert text["status"] == "generated"
        root = ElementTree.fromstring(text["div"])
        assert root.tag == f"{XHTML}div"
        allowed = {"div", "h2", "h3", "h4", "p", "ul", "ol", "li", "b"}
        assert {element.tag.removeprefix(XHTML) for element in root.iter()} <= allowed
        yield resource, "".join(root.itertext())


def test_every_resource_has_a_narrative_with_its_safety_statements():
    for release in ("R4", "R4B"):
        for path in EXAMPLES:
            document = export(path, release)
            for resource, text in divs(document):
                assert text.strip(), resource["resourceType"]
    plan, text = next(divs(export(EXAMPLE, "R4")))
    assert "Suspected or confirmed cauda equina syndrome" in text
    # The reviewed examples (issue 12): chest pain is an emergency, dizziness a stop criterion.
    emergency = "Red flag: call the emergency number or go to an emergency department"
    assert f"{emergency}: Chest pain or tightness, or sudden severe breathlessness." in text
    assert "Stop this session if: Dizziness, feeling faint, or feeling much more out of" in text
    assert "approved" not in text  # a draft: nobody has signed it off
    # A signed-off protocol's narrative says who approved it, with the registration to check.
    _, signed = next(divs(export(SIGNED, "R4")))
    assert (
        "approved for patients by A. Reviewer, physiotherapist (HCPC PH100001), on 2026-01-10"
        in signed
    )


def test_text_in_a_narrative_is_never_markup(tmp_path):
    data = json.loads(
        (REPO / "tests/cases/validate/valid/minimal-protocol/protocol.json").read_text()
    )
    data["title"] = 'Back </div><script>alert("x")</script> & more'
    data["exercises"][0]["steps"] = ["<b>bold</b> & \u0007 bell"]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data))
    texts = [text for _, text in divs(export(path, "R4B"))]
    assert any('Back </div><script>alert("x")</script> & more' in t for t in texts)
    assert any("<b>bold</b> & \\u0007 bell" in t for t in texts)


BASE = "https://schemas.protocol-kit.org/fhir/StructureDefinition/"


def test_definitions_cover_every_extension_and_code_system_the_export_uses():
    definitions = definitions_bundle("4.0.1")
    defined = {r["url"] for r in resources(definitions)}
    used = set()

    def collect(node):
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url.startswith("https://schemas.protocol-kit.org/fhir/"):
                used.add(url)
            system = node.get("system")
            if isinstance(system, str) and "/fhir/CodeSystem/" in system:
                used.add(system)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in [*EXAMPLES, SIGNED]:
        for resource in resources(export(path, "R4")) + resources(export(path, "R4B")):
            collect({k: v for k, v in resource.items() if k != "url"})
    assert used and used <= defined, used - defined
    assert {f"{BASE}sign-off", f"{BASE}exercise-poses", f"{BASE}red-flag-covers"} <= used
    result = run_protokit("export", "fhir-definitions", "--fhir-version", "R4B")
    r4b = json.loads(result.stdout)
    assert not any(r["id"] == "clinical-use" for r in resources(r4b))  # R4 only


def test_a_batch_has_the_transactions_requests_in_r4_only(tmp_path):
    # For servers that limit transactions (Medplum: 8 entries with conditional updates).
    transaction = export(EXAMPLE, "R4", "transaction")
    batch = export(EXAMPLE, "R4", "batch")
    assert batch["type"] == "batch" and batch["entry"] == transaction["entry"]
    definitions = definitions_bundle("4.0.1", "batch")
    assert definitions["entry"] == definitions_bundle("4.0.1", "transaction")["entry"]
    # In R4B, ClinicalUseDefinitions refer to other entries, which only a transaction resolves.
    target = tmp_path / "back.json"
    refused = run_protokit(
        "export", "fhir", str(EXAMPLE), "--fhir-version", "R4B", "--bundle-type", "batch",
        "--publisher-name", "Northside Physio", "-o", str(target),
    )  # fmt: skip
    assert refused.code == 2 and not target.exists()
    assert refused.stderr.count("\n") == 1 and "use --bundle-type transaction" in refused.stderr


def test_a_contact_is_a_link_only_when_it_is_a_plain_address_number_or_web_address():
    """H1187: the publisher's contact is free text, and its `system` was guessed from one
    character: `javascript:` went out as a `phone` (a digit), a web address with a user name
    as an `email` (an `@`), and one holding markup as a `url`, each for a receiver's viewer to
    make a link of."""
    systems = {
        contact: {
            point["system"]
            for resource in resources(export(EXAMPLE, contact=contact))
            for detail in resource.get("contact", ())
            for point in detail["telecom"]
        }
        for contact in (
            "info@northside.example",
            "ünï@northside.example",
            "01632 960000 (reception)",
            "Tel: +44 1632 960000",
            "https://northside.example/contact",
            "Reception desk",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://nhs.example@evil.example",
            'http://northside.example/"><script>alert(1)</script>',
            'a@northside.example"><svg onload=alert(1)>',
            "01632 960000 <script>",
        )
    }
    assert systems == {
        "info@northside.example": {"email"},
        "ünï@northside.example": {"email"},
        "01632 960000 (reception)": {"phone"},
        "Tel: +44 1632 960000": {"phone"},
        "https://northside.example/contact": {"url"},
        "Reception desk": {"other"},
        "javascript:alert(1)": {"other"},
        "data:text/html,<script>alert(1)</script>": {"other"},
        "https://nhs.example@evil.example": {"other"},
        'http://northside.example/"><script>alert(1)</script>': {"other"},
        'a@northside.example"><svg onload=alert(1)>': {"other"},
        "01632 960000 <script>": {"other"},
    }
