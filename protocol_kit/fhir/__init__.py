"""HL7 FHIR export of protocols: plain dictionaries, no FHIR library at run time.

`export.protocol_bundle(protocol, ...)` builds the Bundle; `codes` holds every code system and
extension URL; `text` keeps patient text exact (markdown escaped, translations kept). The tests
validate the output with an independent implementation (fhir.resources' R4B models).
"""
