"""The picture in words: alt text for readers who cannot see the illustration.

Written from the poses with the vocabulary's names, in each of the sheet's languages: the
starting posture and the angles the author changed, the end position (what changes from the
start), the equipment, the working side and where the picture is seen from. The author's own
`alt` text, when it has the language asked for, is used instead.

Sentences avoid grammatical agreement between words that come from different places ("right
knee: bent 90°"), so that they stay correct in every language without a grammar engine.
"""

from __future__ import annotations

from collections.abc import Mapping

from protocol_kit.errors import UsageError
from protocol_kit.illustration import vocabulary
from protocol_kit.illustration.placement import merged_angles
from protocol_kit.model import Exercise, Pose, Poses

Angles = Mapping[str, Mapping[str, float]]


def sheet_language(language: str) -> str:
    """The vocabulary's language for a tag (`en-GB` -> `en`); UsageError if it has none."""
    primary = language.split("-", 1)[0].lower()
    if primary not in vocabulary.languages():
        known = ", ".join(vocabulary.languages())
        raise UsageError(
            f"no illustration wording for language '{language}' (pictures are described in: "
            f"{known})"
        )
    return primary


def describe(exercise: Exercise, language: str) -> str:
    """The alt text of the exercise's picture in `language`; empty without poses."""
    from protocol_kit.illustration import drawn_poses

    poses = drawn_poses(exercise)
    if poses is None:
        return ""
    if poses.alt is not None and poses.alt.has(language):
        return poses.alt.get(language)
    return describe_poses(poses, sheet_language(language))


def describe_poses(poses: Poses, language: str) -> str:
    words = vocabulary.words(language)
    sentences = []
    start = poses.start
    start_angles = merged_angles(start.posture, start.joints)
    defaults = merged_angles(start.posture, {})
    start_text = _position(
        start, _changes(defaults, start_angles, language, start.posture), language
    )
    if poses.end is None:
        sentences.append(words["only"].format(description=start_text))
    else:
        sentences.append(words["start"].format(description=start_text))
        end = poses.end
        if end.posture == start.posture:
            end_angles = merged_angles(end.posture, end.joints, base=start_angles)
            changes = _changes(start_angles, end_angles, language, end.posture)
            if end.lean != start.lean:
                changes.append(_lean(end.lean, language))
            if changes:
                sentences.append(words["end_same"].format(changes=words["joints"].join(changes)))
        else:
            end_angles = merged_angles(end.posture, end.joints)
            own = _changes(merged_angles(end.posture, {}), end_angles, language, end.posture)
            sentences.append(words["end"].format(description=_position(end, own, language)))
    equipment = _equipment(poses, language)
    if equipment:
        sentences.append(words["equipment"].format(props=equipment))
    sentences.append(words["working"][poses.side])
    sentences.append(words["view"][_view_key(poses)])
    text = " ".join(sentences)
    for before, after in words["contractions"]:
        text = text.replace(before, after)
    return text


def _position(pose: Pose, changes: list[str], language: str) -> str:
    words = vocabulary.words(language)
    posture = vocabulary.postures()[pose.posture]["names"][language]
    if pose.lean:
        changes = [*changes, _lean(pose.lean, language)]
    if not changes:
        return posture
    return words["with"].format(posture=posture, changes=words["joints"].join(changes))


def _lean(lean: float, language: str) -> str:
    words = vocabulary.words(language)
    key = "lean_forwards" if lean > 0 else "lean_backwards"
    return words[key].format(d=_degrees(abs(lean)))


def _changes(before: Angles, after: Angles, language: str, posture: str) -> list[str]:
    """Each joint whose angles differ between `before` and `after`, as words; a pair of
    joints that change alike ("both knees bent 90°") said once. Lying on the back, the mid and
    lower back turning read as the hips and knees rolling the other way, as a patient sees it."""
    words = vocabulary.words(language)
    data = vocabulary.load("joints")
    joints = vocabulary.joints()
    changed = [j for j in joints if _axes_changed(j, before, after)]
    out: list[str] = []
    done: set[str] = set()
    if vocabulary.postures()[posture]["reference"]["segment"] == "thorax":
        roll = _roll(before, after, language)
        if roll:
            out.append(roll)
            done.update(("lumbar", "thoracic"))
    for joint in changed:
        if joint in done:
            continue
        spec = joints[joint]
        name = spec["names"][language]
        axes = _axes_changed(joint, before, after)
        if spec.get("side") == "left":
            twin = "right" + joint[4:]
            if (
                twin in changed
                and _axes_changed(twin, before, after) == axes
                and dict(after.get(twin, {})) == dict(after.get(joint, {}))
            ):
                name = data["both"][spec["kind"]][language]
                done.add(twin)
        movements = _movements(joint, after.get(joint, {}), axes, language)
        text = words["and"].join(movements) if movements else data["neutral"][language]
        out.append(words["joint"].format(joint=name, movements=text))
    return out


def _axes_changed(joint: str, before: Angles, after: Angles) -> list[int]:
    """The indexes of the joint's axes whose angle differs between the two."""
    old, new = before.get(joint, {}), after.get(joint, {})
    axes = vocabulary.joints()[joint]["axes"]
    return [i for i, axis in enumerate(axes) if any(old.get(m, 0) != new.get(m, 0) for m in axis)]


def _roll(before: Angles, after: Angles, language: str) -> str | None:
    """Lying on the back, the turn of the lower and mid back as the knees rolling."""

    def turn(angles: Angles) -> float:
        return sum(
            angles.get(j, {}).get("rotation_left", 0) - angles.get(j, {}).get("rotation_right", 0)
            for j in ("lumbar", "thoracic")
        )

    change = turn(after) - turn(before)
    if not change:
        return None
    # The chest stays on the floor, so the spine turning left is the pelvis turning right.
    key = "roll_right" if change > 0 else "roll_left"
    return vocabulary.words(language)[key].format(d=_degrees(abs(change)))


def _movements(
    joint: str, values: Mapping[str, float], axes: list[int], language: str
) -> list[str]:
    spec = vocabulary.joints()[joint]
    generic = vocabulary.movement_names()
    out = []
    for index in axes:
        for movement in spec["axes"][index]:  # the vocabulary's order, not the file's
            value = values.get(movement)
            if value:
                names = spec["movements"][movement].get("names", generic[movement])
                out.append(names[language].format(d=_degrees(value)))
    return out


def _degrees(value: float) -> str:
    return str(int(round(value)))


def _equipment(poses: Poses, language: str) -> str:
    """The props, each once: where the end position has it when it has it (the picture shows
    the end position's props)."""
    words = vocabulary.words(language)
    props = vocabulary.props()
    positions = vocabulary.prop_positions()
    landmarks = vocabulary.landmarks()
    placed: dict[str, tuple[str | None, str]] = {}
    for pose in (poses.start, poses.end):
        if pose is None:
            continue
        posture_props = vocabulary.postures()[pose.posture].get("props", ())
        for prop, at, position in [
            (p["prop"], p.get("at"), p.get("position", "under")) for p in posture_props
        ] + [(p.prop, p.at, p.position) for p in pose.props]:
            placed[prop] = (at, position)
    items: list[str] = []
    for prop, (at, position) in placed.items():
        name = props[prop]["names"][language]
        if at is None:
            items.append(name)
        else:
            place = landmarks[at]["place"][language]
            items.append(positions[position][language].format(prop=name, place=place))
    return words["list"].join(items)


def _view_key(poses: Poses) -> str:
    pose = poses.start
    view = pose.view or vocabulary.postures()[pose.posture]["view"]
    superior = vocabulary.postures()[pose.posture]["reference"]["superior"]
    if view == "front" and superior == "backwards":
        return "front_lying"  # the front camera sees a body lying head away from its feet
    if view == "front" and superior == "forwards":
        return "front_head"
    return view
