"""The `protokit` command line: a click group with one small module per subcommand.

Only this package imports click. Subcommand modules are imported when their command runs, so
that `protokit validate` never loads the PDF or bundle code.
"""
