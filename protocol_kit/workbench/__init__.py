"""The therapist's workbench (`protokit serve FOLDER`): a local web application over a folder
of protocols, a thin shell over the same core the command line uses (validation and lint,
the sheet renderer, the canonical formatter, the illustrations, the code lists).

The files stay the single source of truth: the workbench has no database, and patient data is
kept only in the prescription files the user saves. `app.py` builds the ASGI application;
`guard.py` is what keeps it to its user (token, Host and Origin checks); `folder.py` reads and
writes the folder's files; `forms.py` turns the published schemas into the schemas the form
library draws.
"""
