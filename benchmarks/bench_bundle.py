"""Benchmark: create and verify bundles of 10, 100 and 1,000 protocols.

    python benchmarks/bench_bundle.py [--sizes 10 100 1000] [--repeat 3]

The protocols are generated from the repository's examples (each a copy of an example protocol
under its own id, with its library references), so creating a bundle includes validating the
sources, resolving and inlining the library, checking the self-contained result and signing.
Verifying includes reading the archive within its limits, checking the canonical form, every
SHA-256 and the signature, and validating every protocol.

For verify, the time is also split: "unpack + hash" is `open_bundle` alone (archive, manifest,
hashes, canonical form); the rest is the signature and validating the protocols. Verification
should be dominated by validation. Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from protocol_kit.app.bundle import (  # noqa: E402
    CreateOptions,
    VerifyOptions,
    create_bundle,
    verify_bundle,
)
from protocol_kit.bundle.manifest import Publisher  # noqa: E402
from protocol_kit.bundle.reader import open_bundle  # noqa: E402
from protocol_kit.bundle.signing import (  # noqa: E402
    generate_key_pair,
    load_signing_key,
    trust_entry,
)


def make_sources(folder: Path, count: int) -> Path:
    """`count` protocols (copies of the examples under new ids) and the shared library."""
    sources = folder / "protocols"
    shutil.copytree(REPO / "protocols" / "library", sources / "library")
    examples = sorted((REPO / "protocols").glob("*.json"))
    for number in range(count):
        data = json.loads(examples[number % len(examples)].read_text(encoding="utf-8"))
        data["id"] = f"{data['id'][:50]}-{number:05d}"
        (sources / f"{data['id']}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return sources


def median_time(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(count: int, repeat: int, folder: Path) -> dict[str, float]:
    sources = make_sources(folder, count)
    pair = generate_key_pair()
    key_file = folder / "bench.key"
    key_file.write_bytes(pair.private_pem)
    key = load_signing_key(key_file, lambda: None)
    trust = folder / "trust.toml"
    trust.write_text(trust_entry("Bench clinic", pair.public), encoding="utf-8")
    bundle = folder / "bench.pkb"
    options = CreateOptions(
        output=bundle,
        publisher=Publisher("Bench clinic", "bench@clinic.example"),
        signing_key=key,
        force=True,
    )
    create_seconds, created = median_time(lambda: create_bundle([str(sources)], options), repeat)
    assert created.ok, "the generated protocols must be valid"
    verify_options = VerifyOptions(trust=trust)
    verify_seconds, verification = median_time(
        lambda: verify_bundle(bundle, verify_options), repeat
    )
    assert verification.ok, verification.problems
    open_seconds, _ = median_time(lambda: open_bundle(bundle), repeat)
    size = bundle.stat().st_size
    unpacked = sum(f.size for f in verification.bundle.manifest.files)
    return {
        "protocols": count,
        "bundle_mb": size / 1e6,
        "unpacked_mb": unpacked / 1e6,
        "create_s": create_seconds,
        "create_mbps": size / 1e6 / create_seconds,
        "verify_s": verify_seconds,
        "verify_mbps": size / 1e6 / verify_seconds,
        "open_s": open_seconds,
        "validation_share": max(0.0, verify_seconds - open_seconds) / verify_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, median of {args.repeat}")
    print()
    print(
        "| protocols | bundle | create | create MB/s | verify | verify MB/s "
        "| unpack + hash | validation share of verify |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as temporary:
            row = run(count, args.repeat, Path(temporary))
        print(
            f"| {row['protocols']:,} | {row['bundle_mb']:.2f} MB | {row['create_s']:.2f} s "
            f"| {row['create_mbps']:.1f} | {row['verify_s']:.2f} s | {row['verify_mbps']:.1f} "
            f"| {row['open_s']:.3f} s | {row['validation_share']:.0%} |"
        )


if __name__ == "__main__":
    main()
