"""protocol-kit: validate, lint and publish exercise protocols.

The package is a small core of plain functions over data (`loading`, `validation`, `model`,
`findings`, `report`) with the command line in `cli/` as a thin shell over it.
"""

__version__ = "0.1.0"
