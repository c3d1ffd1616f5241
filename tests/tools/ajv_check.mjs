// Check protocol-kit's schemas and documents with ajv, JSON Schema 2020-12, every strict
// option on. Usage: node ajv_check.mjs SCHEMA_DIR [--no-formats] [FILE...]
// Prints one JSON object: {"schemaErrors": [...], "warnings": [...], "files": {FILE: [errors]}}.
// With --no-formats, `format` is an annotation only (as the 2020-12 default has it), so that
// only the patterns judge dates.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fs from 'fs';
import path from 'path';

const [schemaDir, ...rest] = process.argv.slice(2);
const noFormats = rest.includes('--no-formats');
const files = rest.filter((a) => a !== '--no-formats');
const warnings = [];
const logger = { log() {}, warn: (...m) => warnings.push(m.join(' ')), error: (...m) => warnings.push(m.join(' ')) };
const ajv = new Ajv2020({
  strict: true,
  strictSchema: true,
  strictNumbers: true,
  strictTypes: true,
  strictTuples: true,
  strictRequired: true,
  allErrors: true,
  validateFormats: !noFormats,
  logger,
});
if (!noFormats) addFormats(ajv);
const schemaErrors = [];
const schemas = {};
for (const name of fs.readdirSync(schemaDir).filter((n) => n.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8'));
  schemas[schema.$id] = schema;
  try { ajv.addSchema(schema); } catch (e) { schemaErrors.push(`${name}: ${e.message}`); }
}
for (const id of Object.keys(schemas)) {
  try { ajv.getSchema(id); } catch (e) { schemaErrors.push(`${id}: ${e.message}`); }
}
const results = {};
for (const file of files) {
  const document = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));  // a byte-order mark is allowed
  let validate;
  try { validate = ajv.getSchema(document.$schema); } catch (e) { results[file] = [`compile: ${e.message}`]; continue; }
  if (!validate) { results[file] = [`no schema ${document.$schema}`]; continue; }
  results[file] = validate(document) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
}
console.log(JSON.stringify({ schemaErrors, warnings, files: results }));
