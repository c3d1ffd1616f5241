"""Validate FHIR files with fhircraft, FHIRPath invariants included. Run in its own process by
the tests (fhir_helpers): it imports fhircraft first (tens of seconds), then reads RELEASE=FILE
lines from standard input until it is closed, and writes a JSON object FILE -> [problems]
to standard output."""

import json
import sys
import warnings

# Not at a lower priority: on two busy cores a process at `nice 10` got about a tenth of a core
# while both workers ran, so most of its 40 s of CPU was left to the end of the run, one core
# working on it and the other idle while its test waited (a 140 s wait at the end of a loaded
# run, thirtieth sitting, docs/performance.md). At the workers' priority it takes its share
# from the start.
from fhircraft.fhir.resources.datatypes.R4.core import Bundle as BundleR4
from fhircraft.fhir.resources.datatypes.R4B.core import Bundle as BundleR4B

MODELS = {"R4": BundleR4, "R4B": BundleR4B}
results = {}
for argument in sys.stdin.read().splitlines():
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
