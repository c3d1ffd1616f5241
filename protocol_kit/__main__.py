"""`python -m protocol_kit` runs the `protokit` command."""

from protocol_kit.cli.main import main

main()
