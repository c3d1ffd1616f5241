"""The second round of the thirty-second sitting's clinical review: an adversary's reading of
SAFE012's new negation (docs/safety/clinical-review.md, "Adversarial review (s38-clinical2)";
hazards H1445-H1449). A negation governs its clause only: a comma that does not go on as a
list starts a new instruction (H1445); a limit or a time after the negated movement is the
movement done up to the limit or from that time (H1446); a negation right after another is a
double negative (H1447); the impact words of a new hip or knee are read by that one negation,
not by their own "not before" (H1448); the cues and the progression are read as well as the
steps (H1449). Falls and a blur: a faintness told further on in the blur's clause is read
with it (H1450); "do not try to get up" is not the getting-up advice that relaxes a fall
(H1451). The cases s38-clinical made quiet stay quiet."""

from __future__ import annotations

import pytest
from lint_helpers import BACK_CODING as _BACK
from lint_helpers import FALLS_CODING as _FALLS
from lint_helpers import HIP_REPLACEMENT_CODING as _HIP_REPLACEMENT
from lint_helpers import KNEE_REPLACEMENT_CODING as _KNEE_REPLACEMENT
from lint_helpers import OSTEOPOROSIS_CODING as _OSTEOPOROSIS
from lint_helpers import PREGNANCY_CODING as _PREGNANCY
from lint_helpers import advice_routing, exercise, lint, only


def _exercise(condition, *steps, cues=(), progression=None):
    def change(data):
        data["indications"].append(condition)
        body = exercise(data)
        body["name"], body["starting_position"], body["steps"] = (
            "Practice",
            "Stand tall.",
            list(steps),
        )
        if cues:
            body["cues"] = list(cues)
        if progression is not None:
            body["progression"] = progression

    return change


def _movement(tmp_path, change):
    return only(lint(tmp_path, change), "SAFE012")


@pytest.mark.parametrize(
    ("condition", "step"),
    [
        # H1445: a comma alone, or a comma and "and", after the negated word and not going on
        # as a list: what follows is a new instruction.
        (_KNEE_REPLACEMENT, "Do not hop, jump with both feet instead."),
        (_KNEE_REPLACEMENT, "Don't hop, and jump onto the step with both feet."),
        # H1446: a limit after the negated movement: the movement, up to the limit.
        (_HIP_REPLACEMENT, "Never jump more than 10 times."),
        (_KNEE_REPLACEMENT, "Do not jump higher than 10 cm."),
        (_KNEE_REPLACEMENT, "Don't hop too fast."),
        (_HIP_REPLACEMENT, "Do not jog for longer than 5 minutes."),
        (_KNEE_REPLACEMENT, "No jumping more than twice a day."),
        (_KNEE_REPLACEMENT, "Do not jump any higher than ankle height."),
        (_OSTEOPOROSIS, "Do not bend forwards more than halfway."),
        (_PREGNANCY, "Do not lie on your back for more than a few minutes."),
        (_PREGNANCY, "Do not lie on your back for longer than 5 minutes."),
        # H1446: a time after the negated movement: the movement, from that time.
        (_KNEE_REPLACEMENT, "Do not jog until week 8."),
        (_HIP_REPLACEMENT, "No jumping until week 12."),
        (_KNEE_REPLACEMENT, "Don't hop before week 10."),
        (_HIP_REPLACEMENT, "Avoid jumping for 6 weeks."),
        # H1447: a double negative is the movement.
        (_KNEE_REPLACEMENT, "Don't avoid jumping."),
        (_HIP_REPLACEMENT, "You can't do this without hopping."),
        # Read on both trees, kept: another negation's words, a "but", a question, the
        # sentence before.
        (_HIP_REPLACEMENT, "Do not jump until week 6, then add 10 jumps."),
        (_HIP_REPLACEMENT, "No hopping for now; from stage 2 hop on the spot 10 times."),
        (_KNEE_REPLACEMENT, "Don't rush: hop gently 10 times."),
        (_KNEE_REPLACEMENT, "Not too high: jump onto the step."),
        (_HIP_REPLACEMENT, "Never hop on the operated leg, jump with both feet."),
        (_KNEE_REPLACEMENT, "Never forget to jump."),
        (_KNEE_REPLACEMENT, "Do not stop jumping."),
        (_KNEE_REPLACEMENT, "Don't be afraid to jump."),
        (_KNEE_REPLACEMENT, "Don't hop on the bad leg, but hop on the good one."),
        (_HIP_REPLACEMENT, "Do not hop but jump."),
        (_PREGNANCY, "Can you lie on your back? Stay there 30 seconds."),
        (_KNEE_REPLACEMENT, "Do not jump. Jump only when your leg feels strong."),
        (_OSTEOPOROSIS, "Never twist; bend forwards to the floor."),
        (_PREGNANCY, "Do not lie on your side; lie on your back."),
        (_FALLS, "Do not hold on, stand on one leg."),
    ],
)
def test_a_movement_outside_its_negation_is_the_exercise_doing_it(tmp_path, condition, step):
    [found] = _movement(tmp_path, _exercise(condition, step))
    assert "names no precaution or contraindication" in found.message


@pytest.mark.parametrize(
    ("condition", "change"),
    [
        (_KNEE_REPLACEMENT, {"progression": "From week 6, add 10 jumps."}),
        (_HIP_REPLACEMENT, {"progression": "Progress to hopping on the spot."}),
        (_KNEE_REPLACEMENT, {"cues": ("Land softly as you jump.",)}),
        (_PREGNANCY, {"progression": "Then lie on your back and lift your hips."}),
    ],
)
def test_the_cues_and_progression_are_read_where_the_steps_say_not_to(tmp_path, condition, change):
    # H1449: the steps' "do not jump yet" is the negation; the progression is the exercise.
    step = "Step up onto the stair; do not jump or lie down yet."
    [found] = _movement(tmp_path, _exercise(condition, step, **change))
    assert "names no precaution or contraindication" in found.message


@pytest.mark.parametrize(
    ("condition", "step"),
    [
        (_HIP_REPLACEMENT, "Do not hop or jump off the step."),
        (_KNEE_REPLACEMENT, "Step up onto the stair. No hopping or jumping yet."),
        (_KNEE_REPLACEMENT, "Avoid hopping, jumping or jogging."),
        (_KNEE_REPLACEMENT, "Avoid hopping, jumping, and jogging."),
        (_KNEE_REPLACEMENT, "Step up; don't jog or run on the spot until your surgeon agrees."),
        (_PREGNANCY, "Do not lie flat on your back."),
        (_PREGNANCY, "Lie on your side, not on your back."),
        (_PREGNANCY, "Lie on your left side; do not lie on your back after 16 weeks."),
        (_HIP_REPLACEMENT, "Never jump, hop or skip with a rope."),
        (_OSTEOPOROSIS, "Bend your knees to lift; do not bend forwards or twist."),
        (_FALLS, "Hold the back of the chair. Do not stand on one leg or close your eyes."),
        (
            _KNEE_REPLACEMENT,
            "Step up and down slowly; do not jump down, and keep your knee over your toes.",
        ),
        (_KNEE_REPLACEMENT, "Step up; do not jump, hop or jog, and hold the rail."),
        (_HIP_REPLACEMENT, "Walk on the spot; do not jump or hop, then rest."),
        (_KNEE_REPLACEMENT, "Do not hop and do not jump."),
        (_HIP_REPLACEMENT, "Step up, then step down; no jumping, no hopping."),
        (_KNEE_REPLACEMENT, "Do not jump or hop, but step up slowly."),
        (_HIP_REPLACEMENT, "Don't hop or jump: step down slowly."),
        (_KNEE_REPLACEMENT, "Step up; no jumping for now."),
    ],
)
def test_a_movement_told_not_to_do_stays_quiet(tmp_path, condition, step):
    assert _movement(tmp_path, _exercise(condition, step)) == []


def test_a_cue_that_tells_not_to_stays_quiet(tmp_path):
    change = _exercise(_KNEE_REPLACEMENT, "Step up onto the stair.", cues=("Do not jump down.",))
    assert _movement(tmp_path, change) == []


@pytest.mark.parametrize(
    ("condition", "text", "needs"),
    [
        # H1450: the faintness is in the blur's clause, 42 characters on.
        (
            _PREGNANCY,
            "If your vision goes blurry when you stand up and you feel dizzy and faint, sit down "
            "and tell us next time.",
            "needs 'maternity'",
        ),
        # H1451: told not to get up is not the getting-up advice; the fall is put off.
        (
            _BACK,
            "If you fall, do not try to get up. Tell us at your next session.",
            "needs 'urgent'",
        ),
        (_BACK, "If you fall, don't get up; tell us next time.", "needs 'urgent'"),
        # Read on both trees, kept: a second fall, a fall with a knock told after it.
        (
            _BACK,
            "If you fall, roll onto your side and get up slowly. If you fall again, tell us next "
            "session.",
            "needs 'urgent'",
        ),
        (
            _BACK,
            "If you fall, get up slowly. If you fall and bang your head, tell us next session.",
            "needs 'urgent'",
        ),
    ],
)
def test_a_sign_beside_the_relaxations_is_still_read(tmp_path, condition, text, needs):
    [found] = advice_routing(tmp_path, condition, text)
    assert needs in found.message


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (_BACK, "If you fall, do not panic. Roll onto your side and get up slowly."),
        (_BACK, "If you fall, do not get up too quickly: roll onto your side first."),
        (_BACK, "If you fall, stay calm. Then roll onto your side and get up slowly."),
        (
            _PREGNANCY,
            "If your vision blurs for a moment when you stand up, sit down until it clears.",
        ),
    ],
)
def test_the_relaxations_themselves_stay_quiet(tmp_path, condition, text):
    assert advice_routing(tmp_path, condition, text) == []
