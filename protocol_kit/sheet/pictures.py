"""Which picture an exercise card shows: the one place that chooses.

A clinic's own photo or drawing (`media`, kind image) comes first, as the format promises.
The drawings protocol-kit makes from an exercise's poses (`protocol_kit.illustration`) come
in here, for exercises without one; until then such an exercise has no picture. They plug in
at the end of `exercise_picture`, and both writers already take them: the PDF draws
`Picture.scene` with `protocol_kit.render.illustration.picture_flowable(scene, width)`, the
HTML inlines `Picture.svg`:

    scene = scene_for(exercise)
    if scene is None:
        return None
    alt = alt_text(exercise, language)
    return Picture(alt=alt, svg=to_svg(scene, alt), scene=scene, where=...)

The card's layout and the page budgets assume a picture 58 mm wide and 30 to 40 mm tall.
"""

from __future__ import annotations

from collections.abc import Callable

from protocol_kit.model import Exercise, Media, Text
from protocol_kit.sheet.document import Picture


def exercise_picture(
    exercise: Exercise, language: str, text: Callable[[Text], str] | None = None
) -> Picture | None:
    """The picture printed beside the exercise's steps, its alt text and caption in
    `language` (read through `text`, which checks them; by default `Text.get`)."""
    read = text or (lambda value: value.get(language))
    image = first_image(exercise)
    if image is None:
        return None
    return clinic_picture(image, read)


def first_image(exercise: Exercise) -> Media | None:
    return next((m for m in exercise.media if m.kind == "image" and m.file), None)


def clinic_picture(image: Media, read: Callable[[Text], str]) -> Picture:
    assert image.alt is not None  # the schema requires an image's alt text
    return Picture(
        alt=read(image.alt),
        caption=read(image.caption) if image.caption is not None else None,
        file=image.file,
        where=f"{image.origin.path}: {image.origin.child('path').pointer}",
    )
