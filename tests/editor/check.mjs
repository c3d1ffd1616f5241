// Validate a document the way VS Code does, with vscode-json-languageservice (the library behind
// VS Code's JSON support), using the settings `protokit schemas --vscode` prints. Network access
// is refused, so the schemas must come from the settings alone.
// Usage: node check.mjs SETTINGS.json DOCUMENT.json  -> one "line:column message" per problem
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import fs from 'fs';
import path from 'path';

const [settingsFile, file] = process.argv.slice(2);
const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
const service = getLanguageService({
  schemaRequestService: async (uri) => { throw new Error('network request refused: ' + uri); },
});
service.configure({
  validate: true,
  schemas: settings['json.schemas'].map((entry) => ({ uri: entry.url, schema: entry.schema })),
});
const text = fs.readFileSync(file, 'utf8');
const doc = TextDocument.create('file://' + path.resolve(file), 'json', 1, text);
const parsed = service.parseJSONDocument(doc);
const problems = await service.doValidation(doc, parsed, { schemaValidation: 'error', schemaRequest: 'error' });
for (const p of problems) console.log(`${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`);
