"""Validate FHIR files with fhircraft, FHIRPath invariants included: RELEASE=FILE arguments in,
a JSON object FILE -> [problems] out. Run in its own process by the tests (fhir_helpers)."""

import json
import sys
import warnings

from fhircraft.fhir.resources.datatypes.R4.core import Bundle as BundleR4
from fhircraft.fhir.resources.datatypes.R4B.core import Bundle as BundleR4B

MODELS = {"R4": BundleR4, "R4B": BundleR4B}
results = {}
for argument in sys.argv[1:]:
    release, _, path = argument.partition("=")
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            MODELS[release].model_validate(document)
        except Exception as error:  # pydantic's ValidationError: every problem, one message
            problems.append(str(error))
    problems += [str(w.message) for w in caught if "FhirValidation" in type(w.message).__name__]
    results[path] = problems
json.dump(results, sys.stdout)
