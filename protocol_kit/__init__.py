"""protocol-kit: validate, lint and publish exercise protocols.

The package is a small core of plain functions over data (`loading`, `validation`, `model`,
`findings`, `report`) with the command line in `cli/` as a thin shell over it.
"""


def __getattr__(name: str) -> str:
    """`__version__`: the version in pyproject.toml, its one source, as the installer recorded
    it (`cache.package_version`: the `.dist-info` folder's name, found without importing
    importlib.metadata). Every sitting shipped a version written here too, and never raised
    either, so "made by a newer protokit" could not fire between two of them."""
    if name != "__version__":
        raise AttributeError(f"module 'protocol_kit' has no attribute {name!r}")
    from protocol_kit.cache import package_version

    global __version__
    __version__ = package_version("protocol-kit", "protocol_kit")
    return __version__
