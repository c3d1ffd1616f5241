"""Validate FHIR files with fhircraft, FHIRPath invariants included. Run in its own process by
the tests (fhir_helpers): it imports fhircraft first (tens of seconds), then reads RELEASE=FILE
lines from standard input until it is closed, and writes a JSON object FILE -> [problems]
to standard output."""

import json
import os
import sys
import warnings

# Its import alone is about 20 seconds of CPU, while both xdist workers run tests on a
# 2-core machine: at a lower priority it takes what they leave idle (waiting for a browser or
# a subprocess) rather than slowing them, and its test, which waits for it, runs last.
os.nice(10)

from fhircraft.fhir.resources.datatypes.R4.core import Bundle as BundleR4  # noqa: E402
from fhircraft.fhir.resources.datatypes.R4B.core import Bundle as BundleR4B  # noqa: E402

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
