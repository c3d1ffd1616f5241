"""protocol-kit: validate, lint and publish exercise protocols.

The package is a small core of plain functions over data (`loading`, `validation`, `model`,
`findings`, `report`) with the command line in `cli/` as a thin shell over it.
"""

from os.path import dirname as _dirname

from protocol_kit.lean_imports.installed import dist_info_version as _dist_info_version

# The version in pyproject.toml, its one source, as the installer recorded it (the name of the
# `.dist-info` folder beside this package, or in site-packages for an editable install). Every
# sitting shipped a version written here too, and never raised either, so "made by a newer
# protokit" could not fire between two of them. Read at import: a module `__getattr__` that
# read it when first asked cost every `protokit validate` 3 % more instructions.
__version__ = _dist_info_version("protocol-kit", (_dirname(_dirname(__file__)),))
