"""Which picture an exercise card shows: the one place that chooses.

A clinic's own photo or drawing (`media`, kind image) comes first, as the format promises.
An exercise without one gets the drawing protocol-kit makes from its poses
(`protocol_kit.illustration`): the PDF draws `Picture.scene`
(`protocol_kit.render.illustration.picture_flowable`), the HTML inlines the
`drawing_svg` of that scene. An
exercise with neither has no picture.

The card's layout and the page budgets assume a picture 58 mm wide and 30 to 40 mm tall.
"""

from __future__ import annotations

from collections.abc import Callable

from protocol_kit.model import Exercise, Media, Text
from protocol_kit.sheet.document import Picture
from protocol_kit.sheet.text import TextError


def exercise_picture(
    exercise: Exercise, language: str, text: Callable[[Text], str] | None = None
) -> Picture | None:
    """The picture printed beside the exercise's steps, its alt text and caption in
    `language` (read through `text`, which checks them; by default `Text.get`)."""
    read = text or (lambda value: value.get(language))
    image = first_image(exercise)
    if image is not None:
        return clinic_picture(image, read)
    return drawn_picture(exercise, language)


def drawn_picture(exercise: Exercise, language: str) -> Picture | None:
    """The drawing of the exercise's poses with its alt text in `language`, or None when the
    exercise has no poses."""
    from protocol_kit.illustration import alt_text, scene_for

    scene = scene_for(exercise)
    if scene is None:
        return None
    alt = alt_text(exercise, language)
    where = f"{exercise.origin.path}: {exercise.origin.child('poses').pointer}"
    return Picture(alt=alt, scene=scene, where=where)


def drawing_svg(picture: Picture, element_id: str, name: str | None = None) -> str:
    """The drawing's scene as SVG with its alt text as the description and `name` (the
    exercise's, as its card is headed) as the title, so that a screen reader does not read the
    description twice; its ids its own (`element_id`: a screen reader names each picture of a
    page by them), written once per process: a library exercise's drawing is on every sheet
    that uses it (`scene_for` keeps the scene, so its id stays its own while the entry
    lives). Only the HTML needs it; the PDF draws the scene."""
    scene, alt = picture.scene, picture.alt
    key = (id(scene), alt, element_id, name)
    found = _SVG.get(key)
    if found is not None and found[0] is scene:
        return found[1]
    from protocol_kit.illustration.svg import to_svg

    if len(_SVG) >= 512:
        _SVG.clear()
    svg = to_svg(scene, alt, title=name, element_id=element_id)
    _SVG[key] = (scene, svg)
    return svg


_SVG: dict[tuple[int, str, str, str | None], tuple[object, str]] = {}


def first_image(exercise: Exercise) -> Media | None:
    return next((m for m in exercise.media if m.kind == "image" and m.file), None)


def clinic_picture(image: Media, read: Callable[[Text], str]) -> Picture:
    assert image.alt is not None  # the schema requires an image's alt text
    if image.outside is not None:
        raise TextError(image.origin.child("path"), image.outside)
    return Picture(
        alt=read(image.alt),
        caption=read(image.caption) if image.caption is not None else None,
        file=image.file,
        where=f"{image.origin.path}: {image.origin.child('path').pointer}",
    )
