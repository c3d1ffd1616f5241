"""Imported first by `protocol_kit.cli.main`, before the command's own modules (issue 17): no
cyclic collection while they are imported, and protocol_kit's own modules found and loaded by
the short way (`lean_imports.own_modules`). A one-file `protokit validate` imports some 140 of
the package's modules and 60 others; the collector went over their objects about ten times
before the file was read, once over all of them (a full collection, about 10 million
instructions of `python -m protocol_kit validate FILE`)."""

import gc

from protocol_kit.lean_imports import own_modules

_COLLECTING = gc.isenabled()
gc.disable()
own_modules.install()


def over() -> None:
    """The imports are over (`cli.main`'s last): the collector as it was. What they made
    (functions, classes, tables: kept until the end) goes to the oldest generation, as the
    collections it was spared would have moved it, and the count of new objects starts at
    nought: else the first new object after this started a young collection over all of
    them. Not where objects are frozen already (`gc.freeze`, a program's own): `unfreeze`
    would take its objects out of the permanent generation too."""
    if _COLLECTING:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
