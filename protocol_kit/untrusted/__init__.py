"""The boundary with what protokit did not write: files, names and texts from users and strangers.

- `files`: opening a path that must be a regular file (never a pipe, device or socket),
  walking folders without skipping the ones that cannot be read, and the folders above one
  up to a ceiling (`PROTOKIT_CEILING_DIRECTORIES`);
- `text`: escaping untrusted text for every output (terminal lines, XML, shell commands);
- `images`: an image's format and size read from its header, before anything decodes it;
- `identity`: publisher names compared as people read them;
- `telephone`: a number to dial read as the patient reads it (a letter touching its digits).
"""
