"""protocol-kit: validate, lint and publish exercise protocols.

The package is a small core of plain functions over data (`loading`, `validation`, `model`,
`findings`, `report`) with the command line in `cli/` as a thin shell over it.
"""

from os.path import dirname as _dirname
from time import time as _time

# When this process first imported protocol_kit: the code it runs is its files as they were
# then. A one-file run's lint answer is kept with the files' state only when every file was
# left alone since a while before (`lint.one_file`, `lint.code_state.settled_before`).
STARTED = _time()

from protocol_kit.lean_imports.installed import dist_info_version as _dist_info_version  # noqa: E402

# The version in pyproject.toml, its one source, as the installer recorded it (the name of the
# `.dist-info` folder beside this package, or in site-packages for an editable install). Every
# sitting shipped a version written here too, and never raised either, so "made by a newer
# protokit" could not fire between two of them. Read at import: a module `__getattr__` that
# read it when first asked cost every `protokit validate` 3 % more instructions.
__version__ = _dist_info_version("protocol-kit", (_dirname(_dirname(__file__)),))
