"""A prescription checked against the protocol it prescribes: the checks `protokit render`
makes before it prints a sheet, made by `protokit validate` as well (with line and column),
from one function, so that the two can never disagree."""
