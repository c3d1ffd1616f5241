from __future__ import annotations

import functools
from collections.abc import Iterator

from protocol_kit.findings import Severity, shown
from protocol_kit.lint.base import (
    Context,
    Problem,
    Rule,
    remembered,
)
from protocol_kit.lint.rules._red_flags import (
    FREE_KINDS,
    Routed,
    exercise_routed,
    own_routed,
    own_routed_key,
    read_language,
)
from protocol_kit.model import Coding, Exercise, Origin, Protocol
from protocol_kit.record import replace
from protocol_kit.redflags import (
    ACTION_RANK,
    RedFlagSets,
    most_needed,
    reaches,
    red_flag_sets,
    routing_words,
)


class RedFlagRouting(Rule):
    """A sign sent to a lower level of care than it needs.

    Chest pain during exercise may be a heart attack: a sheet that lists it under "stop and
    contact your therapist" sends the patient to a phone call with the physiotherapist when
    they need the emergency number. The same holds for a new inability to pass urine (cauda
    equina syndrome) filed as `urgent`. Every red flag, stop criterion and piece of patient
    advice is matched against the red-flag sets (see SAFE005); a text that names an item must
    send the patient at least as far as the item needs: `emergency` above `urgent` above
    `clinician` (stop criteria and advice). A pregnancy's sign for the maternity unit is sent
    right by `maternity` or `emergency`, never by `urgent` or the clinician, and any other
    sign in the `maternity` box is an error (the midwife does not see chest pain). A red
    flag's `covers` counts as naming the item.
    A red flag's words misspelt as a patient still reads them ("nock your hed", "trouble
    passing urin") are read as meant (`protocol_kit/redflags/misspellings.json`).
    General advice, education, the pain guide's bands, the summary, warm-up, cool-down, the
    stages' rules for moving on and an exercise's purpose, starting position, steps, tips,
    what to avoid, easier version and harder version (printed on the clinician's copy, read
    to the patient at the review that moves them on) are read too: such a text
    sends the patient where its words say ("call 999", "see a doctor today"), and nowhere
    beyond the clinician when they say nothing; words after a negation
    ("this is not an emergency", "no need to call 999") do not count, nor urgent words in a
    text that puts the sign off to the next appointment. A red flag in the emergency or urgent
    box whose own words say it can wait ("mention it at your next appointment"), or send the
    patient somewhere lower ("see your GP" in the emergency box, "ring your physiotherapist"),
    is reported too: the patient would read two instructions. So is a red flag in those boxes,
    or any text naming a sign that needs them, whose words play the sign down ("this is
    rarely an emergency", "usually nothing to worry about", "probably your muscles", "wait to
    see if it settles", "try resting first", "it is very unlikely, but"; not "do not wait to
    see if it settles"). An item
    may have words of its own: chest pain that waits for rest to fail ("chest pain that does
    not go away after rest": NICE CG95, or an inhaler to try first) plays it down, where the
    same words are the night-pain red flag itself. A sign usual with the sheet's conditions
    (`typical_signs` of its families: night pain that wakes the patient, with a frozen
    shoulder or a rotator cuff problem) does not name the item by itself in any text of a
    sheet whose only families declare it: "shoulder pain at
    night is common" in a shoulder sheet's advice is advice, not a red flag; pain at night
    that is constant or not eased by rest still is, and on a sheet also coded for the back
    any night pain is. A family may send an item elsewhere on its sheets (`item_actions`): on
    a pregnancy sheet a fever or feeling unwell needs the maternity unit (or 999), in every
    text, an exercise's too, whatever the sheet's other conditions, so a pregnancy sheet
    coded for back pain has one place for a fever, not two. And a family may read a sign
    by itself (`signs_alone`): on a pregnancy sheet a bad headache or a sudden swelling of the
    face, hands or feet names pre-eclampsia, and heavy bleeding the pregnancy's emergency,
    though the text does not say "pregnant" ("if you get a bad headache, rest and take
    paracetamol" sends the patient nowhere beyond the clinician).

    Bad:

        "stop_criteria": ["Dizziness, chest pain or unusual shortness of breath."]

    Good:

        "stop_criteria": ["Dizziness or feeling faint."],
        "red_flags": [{"text": "Chest pain, pressure or tightness, or sudden severe
          breathlessness.", "action": "emergency"}]
    """

    code = "SAFE006"
    name = "red-flag-routing"
    default_severity = Severity.ERROR
    summary = "a sign is routed to a lower action than it needs (chest pain to the clinician)"
    ignorable = False  # keeps the patient safe: never turned off

    # Of an exercise, reads its texts and precautions and the protocol's language (in its
    # `exercises_text_key`), none of its dosage: a library exercise used with other numbers
    # (most references of a clinic's files) is judged once, not once per dosage (issue 17).
    exercise_part = True
    about_texts = True
    outside_part = True  # `outside`: the safety section, delivery, summary, stages
    # `around`, how the sheet's conditions change the reading, is ((), ()) on nearly every sheet:
    # the exercises' answers stay with the other rules' that read the exercise alone.
    around_seldom = True

    def outside(self, protocol: Protocol, context: Context) -> tuple[Problem, ...]:
        # Each text is judged on its own: the protocol's own texts are shared by files with
        # the same ones, each exercise's by files with the same exercise, however combined.
        readings = self.around(protocol, context)
        return remembered(
            context,
            (self.code, own_routed_key(protocol, context), *readings),
            lambda: self._check(own_routed(protocol, readings[2]), *readings),
        )

    def around(self, protocol: Protocol, context: Context) -> tuple:
        # How the sheet's conditions change the reading, in every text, an exercise's too:
        # the signs usual with them (night pain on a shoulder sheet, H1005, H1034), where
        # they send an item other than its own (a fever on a pregnancy sheet, H1032) and the
        # signs that name an item by themselves on them (a bad headache on a pregnancy sheet,
        # H1214). All () on nearly every sheet (`around_seldom`).
        return _sheet_readings(_conditions(protocol))

    def about_exercise(
        self, exercise: Exercise, index: int, protocol: Protocol, context: Context
    ) -> list[Problem]:
        readings = self.around(protocol, context)
        return self.kept_about(
            protocol,
            context,
            index,
            lambda exercise: self._check(
                exercise_routed(exercise, protocol.language, readings[2]), *readings
            ),
            key=(readings,),
            dosage=False,
        )

    def _check(
        self,
        texts: Iterator[Routed],
        typical: tuple = (),
        actions: tuple = (),
        alone: tuple = (),
    ) -> Iterator[Problem]:
        sets = red_flag_sets()
        for routed in texts:
            if alone and routed.kind == "red flag" and read_language(routed.language):
                # The red flags are read once a file for every rule (`red_flag_texts`), by their
                # words alone; the other texts were read with the sheet's signs already.
                named = sets.with_signs_alone(routed.named, routed.value, routed.language, alone)
                routed = replace(routed, named=named) if named != routed.named else routed
            if typical:
                named = sets.not_typical(routed.named, routed.value, routed.language, typical)
                routed = replace(routed, named=named) if named != routed.named else routed
            if (
                routed.kind == "red flag"
                and routed.level != "clinician"
                and read_language(routed.language)
                and routing_words().waits(routed.value)
            ):
                yield Problem(
                    routed.pointer,
                    f"red flag {shown(routed.value)} is in the '{routed.level}' box "
                    f"({sets.actions[routed.level]}), but its words tell the patient it can "
                    "wait or is not urgent: the sheet would say both; take those words out",
                )
                continue
            lower = (
                routing_words().sends_lower(routed.value, routed.level)
                if routed.kind == "red flag"
                and routed.level != "clinician"
                and read_language(routed.language)
                else None
            )
            if lower is not None:
                yield Problem(
                    routed.pointer,
                    f"red flag {shown(routed.value)} is in the '{routed.level}' box "
                    f"({sets.actions[routed.level]}), but its words send the patient to "
                    f"'{lower}' ({sets.actions[lower]}): the sheet would say both; take those "
                    "words out",
                )
                continue
            needed = [
                (sets.items[i], sets.needed(i, actions))
                for i in dict.fromkeys((*routed.named, *routed.covers))
                if i in sets.items and not reaches(routed.level, sets.needed(i, actions))
            ]
            if not needed:
                # Sent to the right place, but told it can probably wait (H393).
                played_down = _played_down(routed, sets, actions)
                if played_down is not None:
                    yield played_down
                continue
            worst, action = max(needed, key=lambda pair: ACTION_RANK[pair[1]])
            if routed.kind == "red flag":
                sends = f"action '{routed.level}'"
                fix = f"set the action to '{action}'"
            elif routed.kind.startswith(FREE_KINDS):
                # Advice, education, the pain guide, a step or cue: no box says where to go.
                sends = (
                    "nothing more than the clinician"
                    if routed.level == "clinician"
                    else f"only '{routed.level}'"
                )
                fix = (
                    f"say in the text where to go ({sets.actions[action]}), or move the "
                    f"sign to the red flags with action '{action}'"
                )
            else:
                sends = "'stop and contact your therapist'"
                fix = f"move it to the red flags with action '{action}'"
            yield Problem(
                routed.pointer,
                f"{routed.kind} {shown(routed.value)} names {worst.summary}, which needs "
                f"'{action}' ({sets.actions[action]}){_on_this_sheet(worst.id, actions)}, but "
                f"the sheet says {sends}: {fix}",
                in_library=routed.in_library,
            )


def _conditions(protocol: Protocol) -> tuple[tuple[str, str], ...]:
    return tuple((c.system, c.code) for c in protocol.indications)


@functools.lru_cache(maxsize=256)
def _sheet_readings(conditions: tuple[tuple[str, str], ...]) -> tuple[tuple, tuple, tuple]:
    """The `RedFlagSets.typical_signs`, `RedFlagSets.item_actions` and
    `RedFlagSets.signs_alone` of a sheet with these conditions (system, code), all () on
    nearly every sheet: asked for each file, so kept by the conditions (a clinic's files
    share a few)."""
    sets = red_flag_sets()
    codings = [Coding(system, code, "", Origin("", "")) for system, code in conditions]
    families = sets.families_for(codings)
    return sets.typical_signs(families), sets.item_actions(families), sets.signs_alone(families)


def _on_this_sheet(item_id: str, actions: tuple) -> str:
    """Why an item needs another action than its own here: the family that says so."""
    if not any(overridden == item_id for overridden, _ in actions):
        return ""
    sets = red_flag_sets()
    titles = [f.title for f in sets.families if item_id in f.item_actions]
    return f" on a sheet for {titles[0]}" if titles else ""


def _played_down(routed: Routed, sets: RedFlagSets, actions: tuple = ()) -> Problem | None:
    """A red flag in the emergency or urgent box, or a text naming a sign that needs one of
    them, whose words play the sign down (H393): English words only."""
    if not read_language(routed.language):
        return None
    serious = [
        sets.items[i]
        for i in dict.fromkeys((*routed.named, *routed.covers))
        if i in sets.items and sets.needed(i, actions) != "clinician"
    ]
    if routed.kind == "red flag":
        if routed.level == "clinician":
            return None
        needs = routed.level
    else:
        if not serious:
            return None
        needs = most_needed(sets.needed(item.id, actions) for item in serious)
    words = routing_words().played_down(routed.value)
    negation = routing_words().plays_down_negation
    if words is None and serious:
        # The patterns the items share, each searched once (H690); each item skips those
        # whose words the text lacks (`Item.played_down`: most texts hold none of them).
        # Only the serious items' patterns are asked about: a first pass over every pattern
        # of every item (H722) asked again what the items ask, ~13 % of SAFE006 on a clinic's
        # own texts (H736, issue 17).
        searched: set[int] = set()
        for item in serious:  # an item's own words ("chest pain that does not ease with rest")
            words = words or item.played_down(routed.value, routed.language, negation, searched)
    if words is None:
        return None
    return Problem(
        routed.pointer,
        f"{routed.kind} {shown(routed.value)} names a sign that needs '{needs}' "
        f"({sets.actions[needs]}), but {shown(words)} plays it down: the patient would read a "
        "reason to wait; take those words out",
        in_library=routed.in_library,
    )
