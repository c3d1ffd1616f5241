from __future__ import annotations

from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import Context, Problem, Rule, library_where
from protocol_kit.model import Media, Protocol
from protocol_kit.untrusted.files import read_file


def image_problem(media: Media) -> str | None:
    """Why an image cannot be printed (missing, not a regular file, not a complete PNG or
    JPEG, too many pixels), or None. Read from the file's structure, never decoded."""
    path = media.file
    if path is None:
        return None
    if media.outside is not None:
        return media.outside
    # Imported for a file that names an image (with its colour profiles' checks): not at every
    # start-up of a file without one (issue 17).
    from protocol_kit.untrusted.images import MAX_IMAGE_FILE
    from protocol_kit.untrusted.images import image_problem as untrusted_image_problem

    try:
        content = read_file(path, MAX_IMAGE_FILE)
    except FileNotFoundError:
        return f"the image {shown(media.path)} does not exist"
    except OSError as error:
        return f"the image {shown(media.path)} cannot be read ({error.strerror or error})"
    problem = untrusted_image_problem(content)
    if problem is not None:
        return f"the image {shown(media.path)} {problem}"
    return None


class MediaMissing(Rule):
    """An image named in the protocol is missing or is not a PNG or JPEG file.

    Pictures show the patient the starting position and the movement; the sheet cannot be
    printed without them, and a wrong file would print a wrong picture or none. Image paths
    are relative to the file that names them (the protocol, or the library exercise).

    Bad:

        "media": [{"kind": "image", "path": "img/bridge.png", ...}]   (no such file)

    Good: the same entry with `img/bridge.png` beside the file.
    """

    code = "LINK001"
    reads_beyond_the_file = True  # the image files: never kept with the file
    name = "media-missing"
    default_severity = Severity.ERROR
    exercise_rule = True
    summary = "an image file named in the protocol is missing or not PNG/JPEG"

    def check(self, protocol: Protocol, context: Context) -> Iterator[Problem]:
        for exercise in protocol.exercises:
            for media in exercise.media:
                problem = image_problem(media)
                if problem is None:
                    continue
                if exercise.library is None:
                    yield Problem(media.origin.child("path").pointer, problem)
                else:
                    where, place = library_where(exercise, media.origin.pointer)
                    yield Problem(
                        exercise.library.entry.pointer, f"{problem}{where}", in_library=place
                    )
