"""Benchmark: what an exercise's illustration costs, drawn and put into a PDF.

    python benchmarks/bench_illustration.py [--repeat 20]

In one process, CPU time (median of REPEAT runs) for every exercise of the example library:

- *cold*: nothing cached (the vocabulary files are read already): placing both poses, drawing
  the scene, and writing the PDF operators of the picture flowable; also the pose checks of the
  lint (POSE001/POSE002) and the SVG;
- *warm*: the same exercise again in the same process, as on every further sheet that uses a
  library exercise (`protokit build`, or a clinic printing many prescriptions): the scene and
  its PDF operators are kept.

The machine is shared: each table waits (up to two minutes) for other programs to quiet down,
and the ratios in the last columns compare numbers taken side by side in one run.

Then, per example protocol, the CPU time of its sheet as rendered today (`render_sheet`), the
cold cost of the pictures of its exercises, and a PDF holding only those pictures (the
flowables laid out by reportlab), side by side in one run. Prints Markdown tables for
docs/performance.md (## Illustrations).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import step, wait_until_quiet  # noqa: E402

from protocol_kit import illustration  # noqa: E402
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol  # noqa: E402
from protocol_kit.app.render import RenderOptions, clinic_profile, sheet_request  # noqa: E402
from protocol_kit.config import load_config  # noqa: E402
from protocol_kit.illustration import alt_text, body, pose_request, scene_for  # noqa: E402
from protocol_kit.illustration.checks import check  # noqa: E402
from protocol_kit.illustration.svg import to_svg  # noqa: E402
from protocol_kit.render import illustration as pictures  # noqa: E402
from protocol_kit.render.sheet import render_sheet  # noqa: E402


def forget() -> None:
    """Drop every in-process cache of drawn pictures (not the vocabulary)."""
    illustration._SCENES.clear()
    body._POSED.clear()
    pictures._OPERATORS.clear()


def cpu(action, repeat: int, cold: bool) -> float:
    """Median CPU seconds of `action()`, caches dropped before each run when `cold`."""
    action()  # warm-up: imports, vocabulary
    times = []
    for _ in range(repeat):
        if cold:
            forget()
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def picture(exercise) -> None:
    """What a sheet does for one exercise: the scene, its alt text, the flowable's operators."""
    scene = scene_for(exercise)
    alt_text(exercise, "en")
    pictures.pdf_operators(scene)


def checks(exercise) -> None:
    poses = exercise.poses
    requests = {"start": pose_request(poses.start)}
    if poses.end is not None:
        requests["end"] = pose_request(poses.end, poses.start)
    check(requests)


def per_exercise(exercises, repeat: int) -> list[str]:
    lines = [
        "| exercise | cold: scene + PDF operators (ms) | warm (ms) | SVG (ms) | "
        "pose checks, cold (ms) | primitives |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    cold_all, warm_all = [], []
    wait_until_quiet()
    for exercise in exercises:
        cold = cpu(lambda e=exercise: picture(e), repeat, cold=True)
        warm = cpu(lambda e=exercise: picture(e), repeat, cold=False)
        scene = scene_for(exercise)
        svg = cpu(lambda s=scene: to_svg(s, "alt"), repeat, cold=False)
        lint = cpu(lambda e=exercise: checks(e), repeat, cold=True)
        cold_all.append(cold)
        warm_all.append(warm)
        lines.append(
            f"| {exercise.id} | {cold * 1000:.1f} | {warm * 1000:.2f} | {svg * 1000:.1f} | "
            f"{lint * 1000:.1f} | {len(scene.primitives)} |"
        )
    lines.append(
        f"| **median** | **{statistics.median(cold_all) * 1000:.1f}** | "
        f"**{statistics.median(warm_all) * 1000:.2f}** | | | |"
    )
    return lines


def per_sheet(repeat: int) -> list[str]:
    from io import BytesIO

    from reportlab.platypus import SimpleDocTemplate

    lines = [
        "| protocol | exercises | sheet today (ms) | its pictures, cold (ms) | "
        "a PDF of only its pictures, cold (ms) | pictures / sheet |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    checker = FileChecker(CheckOptions())
    # Every sheet prints the clinic's numbers, never guessed: the repository's example clinic
    # (its protokit.toml), wherever the benchmark is run from.
    options = RenderOptions(clinic=clinic_profile(load_config(start=REPO)))
    wait_until_quiet()
    for path in sorted((REPO / "protocols").glob("*.json")):
        protocol = load_protocol(str(path), checker)
        request = sheet_request(protocol, options, None, checker)
        sheet = cpu(lambda r=request: render_sheet(r), repeat, cold=False)
        drawn = [e for e in protocol.exercises if e.poses is not None]

        def all_pictures(drawn=drawn) -> None:
            for exercise in drawn:
                picture(exercise)

        def pdf(drawn=drawn) -> None:
            story = [
                pictures.picture_flowable(scene_for(e), 170.0, alt_text(e, "en")) for e in drawn
            ]
            SimpleDocTemplate(BytesIO(), invariant=1).build(story)

        cost = cpu(all_pictures, repeat, cold=True)
        document = cpu(pdf, repeat, cold=True)
        lines.append(
            f"| {protocol.id} | {len(drawn)} | {sheet * 1000:.1f} | {cost * 1000:.1f} | "
            f"{document * 1000:.1f} | {cost / sheet:.2f} |"
        )
    return lines


def lint_cost(repeat: int) -> list[str]:
    """`protokit validate` of the example protocols and library, in one process, with every
    rule, and with every rule but the two pose rules (which place each distinct set of poses
    once a run)."""
    from protocol_kit.app.check import check_paths
    from protocol_kit.lint.engine import Linter, LintSettings

    paths = [str(REPO / "protocols")]
    lines = [
        "| `validate protocols/` (17 files), one process | CPU (ms) |",
        "|---|---:|",
    ]
    results = {}
    wait_until_quiet()
    for name, settings in (
        ("every rule", LintSettings()),
        ("every rule but POSE001/POSE002", LintSettings(ignore=("POSE",))),
    ):

        def run(settings=settings) -> None:
            forget()
            check_paths(paths, CheckOptions(hooks=(Linter(settings),), jobs=1))

        results[name] = cpu(run, repeat, cold=True)
        lines.append(f"| {name} | {results[name] * 1000:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    import json

    from protocol_kit.illustration import vocabulary
    from protocol_kit.model import Origin, build_exercise

    exercises = []
    for path in sorted((REPO / "protocols" / "library").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        exercises.append(build_exercise(data, data["language"], Origin(str(path))))
    for name in vocabulary.FILES:
        vocabulary.load(name)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}\n")
    step("per exercise")
    print("\n".join(per_exercise(exercises, args.repeat)))
    print()
    step("per sheet")
    print("\n".join(per_sheet(args.repeat)))
    print()
    step("lint")
    print("\n".join(lint_cost(args.repeat)))


if __name__ == "__main__":
    main()
