"""HL7 FHIR for protocol-kit: plain dictionaries, no FHIR library at run time.

The pieces any export builds on (the prescription's patient-level export uses them too):

- `identity.Publisher`: canonical URLs, identifiers and transaction `fullUrl`s, all built from
  the publisher (a canonical base URL, else a UUID of the clinic's name and contact);
- `narrative.narrative(...)`: `Resource.text` (generated XHTML, every text escaped) from plain
  blocks, one section per language;
- `bundles.make_bundle(...)`: a `collection`, or a `transaction` of conditional PUTs on each
  resource's canonical identity;
- `extensions` and `definitions`: protocol-kit's extensions, read and written from
  `definitions.toml`, and their StructureDefinitions and CodeSystem;
- `text`: patient text in markdown elements (escaped) and translations.

`export.protocol_bundle` builds a protocol's Bundle and `importer.read_bundle` reads one back.
docs/fhir.md documents every mapping. The tests validate the output with independent
implementations (HL7's R4 JSON Schema, fhir.resources, fhircraft).
"""
