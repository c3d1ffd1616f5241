"""The transaction Bundles go into a FHIR server and come back the same.

The server is Medplum's FHIR REST engine (@medplum/fhir-router, the code behind the REST API
of Medplum's server) over its in-memory repository, with Medplum's validator checking every
resource written (tests/tools/fhir_server.mjs): not a deployed server with a database, but the
same handling of transactions, conditional updates, search and validation. Each example (and a
signed-off protocol) is exported with `protokit export fhir --bundle-type transaction`, posted,
read back by its canonical URL, compared with what was sent, imported back into a protocol
equal in every clinical field, then exported and posted again: the server updates what it holds
rather than adding copies."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from fhir_helpers import EXPORTED, SIGNED, clinical_view, load, resources

from conftest import HANG_SECONDS, REPO, NodeTools, run_protokit

SERVER = REPO / "tests" / "tools" / "fhir_server.mjs"
PUBLISHER = ("--publisher-name", "Example Physiotherapy Clinic",
             "--publisher-contact", "examples@clinic.invalid")  # fmt: skip
# @medplum/fhir-router 4.5.2 runs on Node.js 20.19 and later (its package says so).
NODE_AT_LEAST = (20, 19)


@dataclass
class FhirServer:
    base: str

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """The HTTP status and the JSON body of one request."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=HANG_SECONDS) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as refused:
            return refused.code, json.load(refused)

    def post(self, bundle: dict) -> tuple[int, dict]:
        return self.call("POST", "", bundle)

    def search(self, kind: str, **parameters: str) -> list[dict]:
        query = "&".join(f"{name}={quote(value, safe='')}" for name, value in parameters.items())
        status, found = self.call("GET", f"{kind}?{query}")
        assert status == 200 and found["type"] == "searchset", found
        return [entry["resource"] for entry in found.get("entry", ())]

    def the_one(self, resource: dict) -> dict:
        """The resource the server holds for an exported one: found by its canonical URL (and
        version), or for one without a URL, by its identifier."""
        if "url" in resource:
            criteria = {"url": resource["url"]}
            if "version" in resource:
                criteria["version"] = resource["version"]
        else:
            [identifier] = resource["identifier"]
            criteria = {"identifier": f"{identifier['system']}|{identifier['value']}"}
        found = self.search(resource["resourceType"], **criteria)
        # The in-memory repository matches a URI by substring: keep the exact match.
        exact = [r for r in found if r.get("url") == resource.get("url")]
        assert len(exact) == 1, (resource["resourceType"], criteria, len(exact))
        return exact[0]

    def history(self, resource: dict) -> list[dict]:
        status, found = self.call("GET", f"{resource['resourceType']}/{resource['id']}/_history")
        assert status == 200 and found["type"] == "history", found
        return [entry["resource"] for entry in found["entry"]]


def node_version(node: str) -> tuple[int, ...]:
    printed = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    return tuple(int(part) for part in printed.stdout.strip().lstrip("v").split(".")[:2])


@pytest.fixture(scope="module")
def server(node_tools: NodeTools):
    """The server, started once for this module; it ends when its standard input closes."""
    if node_version(node_tools.node) < NODE_AT_LEAST:
        needed = "Node.js {}.{} or later".format(*NODE_AT_LEAST)
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {needed} for Medplum's FHIR router (.ci/run)")
        pytest.skip(f"Medplum's FHIR router needs {needed}")
    process = subprocess.Popen(
        [node_tools.node, str(node_tools.folder / SERVER.name)],
        cwd=node_tools.folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Ready when it says where it listens (or ended, if it could not start).
        with selectors.DefaultSelector() as waiting:
            waiting.register(process.stdout, selectors.EVENT_READ)
            assert waiting.select(HANG_SECONDS), "the FHIR server never said it was listening"
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), process.stderr.read()[-3000:]
        yield FhirServer(line.split()[-1])
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=HANG_SECONDS)
        finally:
            process.kill()
            process.stdout.close()
            process.stderr.close()


def exported(path: Path, folder: Path, *options: str, bundle_type: str = "transaction") -> dict:
    """`protokit export fhir --bundle-type transaction`, as a user runs it (R4, the default)."""
    name = path.parent.name if path.name == "protocol.json" else path.stem
    target = folder / f"{name}.{bundle_type}.json"
    result = run_protokit(
        "export", "fhir", str(path), "--bundle-type", bundle_type, *PUBLISHER, *options,
        "-o", str(target), "--force",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return json.loads(target.read_text("utf-8"))


def stored_as_sent(stored: dict) -> dict:
    """A resource as the server holds it, without what the server adds (its id and meta)."""
    return {key: value for key, value in stored.items() if key not in ("id", "meta")}


def posted(server: FhirServer, bundle: dict, status: str) -> list[str]:
    """Post a transaction or a batch; every entry must answer `status`. The stored resources'
    locations."""
    code, answer = server.post(bundle)
    assert code == 200 and answer["type"] == f"{bundle['type']}-response", answer
    assert len(answer["entry"]) == len(bundle["entry"])
    statuses = [entry["response"]["status"] for entry in answer["entry"]]
    assert statuses == [status] * len(bundle["entry"]), statuses
    return [entry["response"]["location"] for entry in answer["entry"]]


@pytest.fixture(scope="module")
def examples(server, tmp_path_factory):
    """Every export, posted twice: what was sent, what the server held after each post, and
    the protocol imported from what was read back after the first."""
    folder = tmp_path_factory.mktemp("fhir-server")
    loaded = {}
    for path in EXPORTED:
        sent = exported(path, folder)
        created = posted(server, sent, "201")
        first = [server.the_one(resource) for resource in resources(sent)]
        again = exported(path, folder)
        updated = posted(server, again, "200")
        second = [server.the_one(resource) for resource in resources(again)]
        back = imported(server, first, folder / path.stem)
        loaded[path] = {
            "sent": sent, "again": again, "created": created, "updated": updated,
            "first": first, "second": second, "imported": back,
        }  # fmt: skip
    return loaded


def imported(server: FhirServer, stored: list[dict], folder: Path) -> Path:
    """`protokit import fhir` of a Bundle of the resources read back from the server: the plan,
    and each activity it names, found by the canonical its action gives."""
    [plan] = [r for r in stored if r["resourceType"] == "PlanDefinition"]
    activities = []
    for action in plan["action"]:
        url, _, version = action["definitionCanonical"].partition("|")
        [activity] = [r for r in server.search("ActivityDefinition", url=url, version=version)
                      if r["url"] == url]  # fmt: skip
        activities.append(activity)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"{server.base}{r['resourceType']}/{r['id']}", "resource": r}
            for r in (plan, *activities)
        ],
    }
    folder.mkdir()
    (folder / "read-back.json").write_text(json.dumps(bundle), "utf-8")
    back = folder / "protocol.json"
    result = run_protokit("import", "fhir", str(folder / "read-back.json"), "-o", str(back))
    assert result.code == 0, result.stderr
    return back


def test_every_entry_of_every_transaction_is_created_then_updated(examples):
    for path, done in examples.items():
        assert len(done["created"]) == len(done["sent"]["entry"]) >= 3, path.name
        kinds = [location.split("/")[0] for location in done["created"]]
        assert kinds == [r["resourceType"] for r in resources(done["sent"])], path.name
        # The second post changed the same resources: the same locations, nothing added.
        assert done["updated"] == done["created"], path.name


def test_what_the_server_holds_is_what_was_sent(examples):
    for path, done in examples.items():
        for sent, stored in zip(resources(done["sent"]), done["first"], strict=True):
            assert stored_as_sent(stored) == sent, (path.name, sent["resourceType"])
            assert done["created"][done["first"].index(stored)] == (
                f"{stored['resourceType']}/{stored['id']}"
            )


def test_posting_again_updates_rather_than_duplicates(server, examples):
    for path, done in examples.items():
        for first, second in zip(done["first"], done["second"], strict=True):
            what = (path.name, first["resourceType"], first.get("url"))
            # One resource per canonical URL and version, the same id, a new version of it.
            assert second["id"] == first["id"], what
            assert second["meta"]["versionId"] != first["meta"]["versionId"], what
            versions = [r["meta"]["versionId"] for r in server.history(second)]
            assert versions == [second["meta"]["versionId"], first["meta"]["versionId"]], what
            assert stored_as_sent(second) == stored_as_sent(first), what


def test_what_is_read_back_imports_as_the_same_protocol(examples):
    for path, done in examples.items():
        back = done["imported"]
        validated = run_protokit("validate", "--no-lint", str(back))
        assert validated.code == 0, validated.stdout
        assert clinical_view(load(back)) == clinical_view(load(path)), path.name


def test_a_new_version_is_stored_beside_the_old(server, examples, tmp_path):
    data = json.loads(SIGNED.read_text("utf-8"))
    old = examples[SIGNED]["first"]
    data["version"] = "9.0.0"
    newer = tmp_path / "protocol.json"
    newer.write_text(json.dumps(data), "utf-8")
    sent = exported(newer, tmp_path)
    posted(server, sent, "201")
    [plan] = resources(sent, "PlanDefinition")
    held = server.search("PlanDefinition", url=plan["url"])
    assert sorted(r["version"] for r in held if r["url"] == plan["url"]) == sorted(
        [data["version"], next(r["version"] for r in old if r["resourceType"] == "PlanDefinition")]
    )


def test_the_definitions_go_in_as_a_batch_and_update(server, tmp_path):
    def definitions(bundle_type: str) -> dict:
        target = tmp_path / f"definitions.{bundle_type}.json"
        result = run_protokit(
            "export", "fhir-definitions", "--bundle-type", bundle_type, "-o", str(target)
        )
        assert result.code == 0, result.stderr
        return json.loads(target.read_text("utf-8"))

    # Medplum takes at most 8 entries in a transaction with conditional updates (a limit of
    # its server, which this router applies), and there are more definitions than that.
    transaction = definitions("transaction")
    assert len(transaction["entry"]) > 8
    code, refused = server.post(transaction)
    assert code == 400 and "too many entries" in refused["issue"][0]["details"]["text"]
    # The same conditional updates as a batch, one by one.
    sent = definitions("batch")
    assert [e["request"] for e in sent["entry"]] == [e["request"] for e in transaction["entry"]]
    assert {r["resourceType"] for r in resources(sent)} == {"StructureDefinition", "CodeSystem"}
    created = posted(server, sent, "201")
    stored = [server.the_one(resource) for resource in resources(sent)]
    assert [stored_as_sent(r) for r in stored] == resources(sent)
    assert posted(server, sent, "200") == created


def test_an_r4_batch_of_a_protocol_goes_in_too(server, tmp_path):
    sent = exported(SIGNED, tmp_path, "--canonical-base", "https://fhir.batch.example")
    sent["type"] = "batch"
    batch = exported(SIGNED, tmp_path, "--canonical-base", "https://fhir.batch.example",
                     bundle_type="batch")  # fmt: skip
    assert batch == sent  # the same requests; only the bundle's type differs
    created = posted(server, batch, "201")
    assert posted(server, batch, "200") == created


def test_medplums_validator_finds_nothing_to_say(server, examples, tmp_path):
    """Every resource, the extensions included, passes Medplum's validator without an error or
    a warning; and the validator refuses what it should, so that this means something."""
    written = run_protokit("export", "fhir-definitions")
    assert written.code == 0, written.stderr
    definitions = json.loads(written.stdout)
    everything = [*(r for done in examples.values() for r in resources(done["sent"])),
                  *resources(definitions)]  # fmt: skip
    for resource in everything:
        status, outcome = server.call("POST", f"{resource['resourceType']}/$validate", resource)
        assert status == 200
        assert [issue["severity"] for issue in outcome["issue"]] == ["information"], (
            resource["resourceType"], resource.get("url"), outcome["issue"][:3],
        )  # fmt: skip

    broken = json.loads(json.dumps(resources(examples[SIGNED]["sent"], "ActivityDefinition")[0]))
    broken["extension"][0]["extension"] = [{"url": "part", "valueString": "both"}]  # ext-1
    del broken["text"]["div"]
    status, outcome = server.call("POST", "ActivityDefinition/$validate", broken)
    assert sorted(issue["expression"][0] for issue in outcome["issue"]) == [
        "ActivityDefinition.extension[0]", "ActivityDefinition.text.div",
    ]  # fmt: skip


def test_a_transaction_with_an_invalid_resource_is_refused(server, tmp_path):
    sent = exported(SIGNED, tmp_path, "--canonical-base", "https://fhir.refused.example")
    del resources(sent, "ActivityDefinition")[0]["status"]  # required
    code, outcome = server.post(sent)
    assert code == 400 and outcome["resourceType"] == "OperationOutcome", outcome
    assert [(i["severity"], i["expression"]) for i in outcome["issue"]] == [
        ("error", ["ActivityDefinition.status"])
    ]
