"""Check: this tree's sheets are byte for byte another checkout's (a change for speed only).

    git worktree add ../protocol-kit-main main
    python benchmarks/compare_bytes.py ../protocol-kit-main

Both trees render, each in its own process with this environment's packages and
SOURCE_DATE_EPOCH set, every example protocol (protocols/*.json) in standard and large
print, with and without the clinician's page, with a PNG on every card (as
`bench_render.py` makes them), each `docs/examples/prescription-*.json` with its protocol,
and the HTML twin of each; every sheet once with its texts new to the process and once
rendered again. Prints one line per sheet that differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run inside each tree: sheet name -> sha256 of its bytes.
RENDER = r"""
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, "benchmarks")
from bench_render import CLINIC, with_pictures
from protocol_kit.app.check import CheckOptions, FileChecker, load_protocol
from protocol_kit.app.render import RenderOptions, sheet_request
from protocol_kit.render.sheet import render_sheet
from protocol_kit.sheet.content import build_sheet
from protocol_kit.sheet.html import write_html
from protocol_kit.render.sheet import font_check
try:
    from protocol_kit.render.laid_out import forget
except ImportError:
    def forget():
        pass
folder = Path(sys.argv[1])
keep = Path(sys.argv[2]) if len(sys.argv) > 2 else None  # where to write each PDF, if asked
checker = FileChecker(CheckOptions())
out = {}
def sheet(name, path, rx=None, **options):
    protocol = load_protocol(str(path), checker)
    request = sheet_request(protocol, RenderOptions(clinic=CLINIC, source_date_epoch="1733000000",
                                                    **options), rx, checker)
    for again in ("", " again"):
        pdf = render_sheet(request).pdf
        out[name + again] = hashlib.sha256(pdf).hexdigest()
        if keep is not None and not again:
            (keep / (name + ".pdf")).write_bytes(pdf)
    html = write_html(build_sheet(request, font_check())).encode()
    out[name + " html"] = hashlib.sha256(html).hexdigest()
for path in sorted(Path("protocols").glob("*.json")):
    forget()
    for large in (False, True):
        size = " large" if large else ""
        sheet(path.stem + size, path, large_print=large)
        sheet(path.stem + size + " clinician", path, large_print=large, clinician=True)
        sheet(path.stem + size + " pictures", with_pictures(path, folder), large_print=large)
for rx in sorted(Path("docs/examples").glob("prescription-*.json")):
    protocol = json.loads(rx.read_text())["protocol"]["id"]
    for large in (False, True):
        forget()
        sheet(rx.stem + (" large" if large else ""), Path(f"protocols/{protocol}.json"), str(rx),
              large_print=large)
print(json.dumps(out))
"""


def digests(tree: Path, keep: Path | None = None) -> dict[str, str]:
    """Each sheet's sha256, rendered by `tree`; with `keep`, each PDF written there too."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": "1733000000"}
        extra = [str(keep)] if keep is not None else []
        run = subprocess.run([sys.executable, "-c", RENDER, folder, *extra], cwd=tree, env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path, help="another checkout of protocol-kit")
    args = parser.parse_args()
    other, this = digests(args.other.resolve()), digests(REPO)
    differ = [name for name in this if other.get(name) != this[name]]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(this) - len(differ)} of {len(this)} sheets the same bytes")
    sys.exit(1 if differ or other.keys() != this.keys() else 0)


if __name__ == "__main__":
    main()
