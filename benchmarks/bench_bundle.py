"""Benchmark: create and verify bundles of 1,000 and 10,000 protocols (issue 17: linear), and
the memory of inspecting and importing them.

    python benchmarks/bench_bundle.py [--sizes 1000 10000] [--repeat 3]

The protocols are generated from the repository's examples (each a copy of an example protocol
under its own id, with its library references), so creating a bundle includes validating the
sources, resolving and inlining the library, checking the self-contained result and signing.
Verifying includes reading the archive within its limits, checking the canonical form, every
SHA-256 and the signature, and validating every protocol.

For verify, the time is also split: "unpack + hash" is `open_bundle` alone (archive, manifest,
hashes, canonical form); the rest is the signature and validating the protocols. Verification
should be dominated by validation. CPU time counts this process and any workers it started,
so "cores" (CPU / wall) shows whether both cores were used. Each round runs in a process
forked from the benchmark's, so that the peak resident memory of its largest process (the
command's own or a worker's, from `wait4`) is that round's alone. Prints a Markdown table for
docs/performance.md, then issue 17's ratios: the time at the largest size against the time at
each smaller one, next to the ratio of the sizes (linear: at most 1.1 times that ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
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
    ImportOptions,
    VerifyOptions,
    create_bundle,
    import_bundle,
    inspect_bundle,
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


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_time(action, repeat: int) -> tuple[float, object, float, float]:
    """Median wall seconds, the last result, the median CPU seconds and the largest peak RSS
    (MB) of any one process: each round runs in a process of its own, forked from this one, so
    that the peak is that round's alone (its worker processes included: `wait4` gives the
    largest of the process and the children it waited for). `action` returns what is kept of
    its result, small and picklable."""
    times, cpus, peaks, result = [], [], [], None
    for _ in range(repeat):
        wall, cpu, peak, result = _forked(action)
        times.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(times), result, statistics.median(cpus), max(peaks)


def _forked(action) -> tuple[float, float, float, object]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send back the times and the result, and leave
        code = 0
        try:
            os.close(reader)
            cpu, start = _cpu(), time.perf_counter()
            result = action()
            timing = (time.perf_counter() - start, _cpu() - cpu, result)
            with os.fdopen(writer, "wb") as stream:
                pickle.dump(timing, stream)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        payload = stream.read()
    _, status, usage = os.wait4(pid, 0)
    if status != 0 or not payload:
        raise SystemExit("a benchmark round failed (its error is above)")
    wall, cpu, result = pickle.loads(payload)
    return wall, cpu, usage.ru_maxrss / 1024, result


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
    create_seconds, created, create_cpu, create_peak = median_time(
        lambda: create_bundle([str(sources)], options).ok, repeat
    )
    assert created, "the generated protocols must be valid"
    verify_options = VerifyOptions(trust=trust)

    def verify() -> tuple[list[str], int]:
        verification = verify_bundle(bundle, verify_options)
        return verification.problems, sum(f.size for f in verification.bundle.manifest.files)

    verify_seconds, (problems, unpacked), verify_cpu, verify_peak = median_time(verify, repeat)
    assert not problems, problems
    open_seconds, _, _, _ = median_time(lambda: open_bundle(bundle).sha256, repeat)
    # What a receiver runs besides verify: `inspect`, and `import --dry-run` into an empty
    # folder (every check of a real import, the plan included, without writing 10,000 files).
    _, reviews, _, inspect_peak = median_time(lambda: len(inspect_bundle(bundle).reviews), repeat)
    assert reviews == count, reviews
    target = folder / "received"
    target.mkdir()
    dry_run = ImportOptions(verify=verify_options, dry_run=True)
    _, refused, _, import_peak = median_time(
        lambda: len(import_bundle(bundle, target, dry_run).plan.refused), repeat
    )
    assert refused == 0, refused
    size = bundle.stat().st_size
    return {
        "protocols": count,
        "bundle_mb": size / 1e6,
        "unpacked_mb": unpacked / 1e6,
        "create_s": create_seconds,
        "create_cpu": create_cpu,
        "verify_cpu": verify_cpu,
        "create_cores": create_cpu / create_seconds,
        "verify_cores": verify_cpu / verify_seconds,
        "create_mbps": size / 1e6 / create_seconds,
        "verify_s": verify_seconds,
        "verify_mbps": size / 1e6 / verify_seconds,
        "open_s": open_seconds,
        "validation_share": max(0.0, verify_seconds - open_seconds) / verify_seconds,
        "create_peak": create_peak,
        "verify_peak": verify_peak,
        "inspect_peak": inspect_peak,
        "import_peak": import_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, median of {args.repeat}; "
        f"load average at the start {os.getloadavg()[0]:.1f}"
    )
    print()
    print(
        "| protocols | bundle | create | create CPU | create cores | verify | verify CPU "
        "| verify cores | unpack + hash | validation share of verify | create: largest process "
        "| verify: largest process | inspect: largest process "
        "| import --dry-run: largest process |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as temporary:
        # Not shown: the first run with a new user cache (PROTOKIT_CACHE_DIR) fills it, and
        # peaked at 246 MB where a later run of the same size took 49.
        run(20, 1, Path(temporary))
    rows = []
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as temporary:
            row = run(count, args.repeat, Path(temporary))
        rows.append(row)
        print(
            f"| {row['protocols']:,} | {row['bundle_mb']:.2f} MB | {row['create_s']:.2f} s "
            f"| {row['create_cpu']:.2f} s | {row['create_cores']:.2f} | {row['verify_s']:.2f} s "
            f"| {row['verify_cpu']:.2f} s | {row['verify_cores']:.2f} "
            f"| {row['open_s']:.3f} s | {row['validation_share']:.0%} "
            f"| {row['create_peak']:.0f} MB | {row['verify_peak']:.0f} MB "
            f"| {row['inspect_peak']:.0f} MB | {row['import_peak']:.0f} MB |",
            flush=True,
        )
    largest = rows[-1]
    print()
    for row in rows[:-1]:
        sizes = largest["protocols"] / row["protocols"]
        for step in ("create", "verify"):
            ratio = largest[f"{step}_s"] / row[f"{step}_s"]
            cpu_ratio = largest[f"{step}_cpu"] / row[f"{step}_cpu"]
            verdict = "met" if ratio <= 1.1 * sizes else "not met"
            print(
                f"{step}: {largest['protocols']:,} protocols take {ratio:.1f}x the time of "
                f"{row['protocols']:,} ({cpu_ratio:.1f}x the CPU; {sizes:.0f}x the protocols; "
                f"issue 17: at most {1.1 * sizes:.0f}x): {verdict}"
            )
        for step in ("create", "verify", "inspect", "import"):
            growth = largest[f"{step}_peak"] / row[f"{step}_peak"]
            print(
                f"{step}: the largest process's peak at {largest['protocols']:,} protocols is "
                f"{growth:.2f}x that at {row['protocols']:,} (flat: 1x)"
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
