"""Files and folders a message names, as the workbench's pages name them.

The core's messages name a file or folder from the working folder of the process
(`findings.shown_path`), which is right for `protokit validate` in a terminal. The workbench's
lists name every file from the folder it serves: started as `protokit serve clinic/` from the
folder above, a message read "(searched: clinic/library)" or "in clinic/library/x.json" where
Browse lists "library/x.json", and from anywhere else it gave the server's whole path (H1196).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A word of a message with a "/" in it: a path, or a JSON pointer ("[/dosage/sets]") that
# names no file and is left as it is. Quotes, brackets, commas and semicolons end a word;
# a full stop or colon at its end is the sentence's.
_WORD_WITH_SLASH = re.compile(r"[^\s,;()\[\]'\"]*/[^\s,;()\[\]'\"]*")
_SENTENCE_END = ".:"
# A text the message quotes from the file ("TODO: see clinic/library"): the author's words,
# never changed (a path that happens to be written in a patient's text stays as written).
_QUOTED = re.compile(r'("(?:[^"\\]|\\.)*")')


def in_folder_words(message: str, name_in_folder: Callable[[str], str | None]) -> str:
    """`message` with each file or folder of the served folder it names from the working
    folder named as the workbench names it. `name_in_folder` (`Folder.name_of`) gives that
    name, or None for a word that names nothing inside the folder (left as written)."""
    parts = _QUOTED.split(message)
    for index in range(0, len(parts), 2):  # the odd parts are the quoted texts
        parts[index] = _WORD_WITH_SLASH.sub(
            lambda match: _renamed(match.group(), name_in_folder), parts[index]
        )
    return "".join(parts)


def _renamed(word: str, name_in_folder: Callable[[str], str | None]) -> str:
    path = word.rstrip(_SENTENCE_END)
    named = name_in_folder(path) if path else None
    return word if named is None else named + word[len(path) :]
