"""What a therapist types into a new protocol's form, field by field (by JSON pointer), to
take `protokit new`'s template to a valid protocol: a short knee programme."""

from __future__ import annotations

from typing import Any

TEXTS = {
    "/title": "Knee pain: a gentle start to moving your knee",
    "/summary": "One stretch for adults with knee pain, to keep the knee moving at home.",
    "/authors/0/name": "Sam Example",
    "/authors/0/credentials": "Physiotherapist",
    "/indications/0/display": "Stiffness of right knee, not elsewhere classified",
    "/safety/contraindications/0/description": "A knee that is hot, red and swollen.",
    "/safety/red_flags/0/text": "Chest pain or tightness, or sudden severe breathlessness.",
    "/safety/stop_criteria/0": "Stop if the pain becomes sharp or spreads down your leg.",
    "/safety/stop_criteria/1": "Stop if you feel dizzy or faint.",
    "/safety/pain_guide/green": "Pain 0 to 3: carry on as planned.",
    "/safety/pain_guide/amber": "Pain 4 to 5: do fewer and go more gently.",
    "/safety/pain_guide/red": "Pain 6 to 10: stop and call the clinic.",
    "/safety/general_advice/0": "Move slowly and breathe normally throughout.",
    "/delivery/provider/qualifications": "Registered physiotherapist",
    "/delivery/starting_level": "The physiotherapist sets the first hold time at the visit.",
    "/delivery/tailoring": "The hold time and the number of sets.",
    "/delivery/adherence/description": "The patient ticks the log after each session.",
    "/delivery/education/0": "Keeping the knee moving helps it recover.",
    "/exercises/0/name": "Heel slide",
    "/exercises/0/purpose": "Helps the knee bend further without strain.",
    "/exercises/0/targets/muscles/0": "hamstrings",
    "/exercises/0/starting_position": "Lie on your back with both legs straight.",
    "/exercises/0/steps/0": "Slide the heel of your sore leg towards your bottom.",
    "/exercises/0/steps/1": "Hold, then slide it back until the leg is straight.",
    "/exercises/0/cues/0": "Keep your heel on the bed.",
    "/exercises/0/common_mistakes/0": "Lifting your hip off the bed.",
    "/exercises/0/dosage/intensity": "A gentle stretch at the front of the knee, never pain.",
    "/exercises/0/progression": "Hold a little longer.",
    "/exercises/0/regression": "Slide the heel a shorter way.",
}
# Values the template sets that the therapist changes too (GOV007: not left as written).
CHOICES = {
    "/indications/0/code": "M25.661",  # knee stiffness: no red-flag set (knee pain has, H1640)
    "/exercises/0/targets/regions/0": "knee",
    "/exercises/0/dosage/hold_seconds": 20,
}


def filled(template: dict[str, Any]) -> dict[str, Any]:
    """The template with every text and choice above set (what the browser test types)."""
    import copy

    data = copy.deepcopy(template)
    for pointer, value in {**TEXTS, **CHOICES}.items():
        *parents, last = pointer.split("/")[1:]
        node = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value
    return data
