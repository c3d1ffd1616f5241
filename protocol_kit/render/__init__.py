"""PDF prescription sheets. The only package that imports reportlab (inside its modules, which
only `protokit render` and `protokit build` import)."""

import sys
import types

# reportlab, when first imported, looks for a module named `reportlab_mods` and, failing that,
# runs the file ~/.reportlab_mods as Python. A home folder that is a file, or that file being a
# folder or holding a mistake, made every sheet an internal error; a file left there changed
# reportlab's settings, so that the same inputs no longer gave the same sheet (and ran code no
# protocol-kit user asked for). An empty module in its place: reportlab's defaults, always.
sys.modules.setdefault("reportlab_mods", types.ModuleType("reportlab_mods"))
