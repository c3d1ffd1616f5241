"""The engines' limit: read each file, parse it with orjson and check it with jsonschema-rs,
on one process per core. Nothing else: no strictness (duplicate keys, NaN, sizes), no library
references, no model, no rules, no messages. `bench_validate.py` times it on the same files
as `protokit validate` to show how close protokit comes to the engines it is built on.

    python benchmarks/engine_limit.py SCHEMA_FILE FILE...   # prints the number of valid files
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import jsonschema_rs
import orjson

_validator = None


def _start(schema_file: str) -> None:
    global _validator
    with open(schema_file, encoding="utf-8") as handle:
        _validator = jsonschema_rs.validator_for(json.load(handle))


def _chunk(paths: list[str]) -> int:
    valid = 0
    for path in paths:
        with open(path, "rb") as handle:
            raw = handle.read()
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        valid += _validator.is_valid(data)
    return valid


def main(argv: list[str]) -> None:
    schema_file, files = argv[0], argv[1:]
    jobs = os.cpu_count() or 1
    size = max(16, min(256, len(files) // (jobs * 32) or 1))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(jobs, initializer=_start, initargs=(schema_file,)) as pool:
        print(sum(pool.map(_chunk, chunks)))


if __name__ == "__main__":
    main(sys.argv[1:])
