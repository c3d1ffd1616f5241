"""The engine's loops over a file's answers (issue 17, thirty-third sitting): `_Plan.answering`
and `Linter._answers` go through the codes a file's answers hold, not every rule of the plan,
and must give what going through the whole plan gave, in the plan's order (H1490)."""

from __future__ import annotations

import random

from lint_helpers import TODAY

from protocol_kit.lint import engine
from protocol_kit.lint.engine import Linter, LintSettings


def _plan():
    return Linter(LintSettings(today=TODAY))._plan()


def _by_the_whole_plan(plan, kept):
    """The steps the plan's loop went through for a file's kept answers (the code before)."""
    return [step for step in plan if step[1].reads_beyond_the_file or step[0] in kept]


def test_answering_is_the_plans_loop_in_its_order():
    plan = _plan()
    codes = [step[0] for step in plan]
    beyond = [step[0] for step in plan if step[1].reads_beyond_the_file]
    assert beyond, "the plan holds rules that read beyond the file"
    chosen = random.Random(1490)
    for _ in range(300):
        kept = chosen.sample(codes, chosen.randint(1, 8))
        if chosen.random() < 0.3:
            kept.append(chosen.choice(beyond))  # a beyond rule's code is called, not read
        if chosen.random() < 0.2:
            kept.append("NOPE001")  # a code no rule of the plan has: passed over
        chosen.shuffle(kept)  # kept answers' order is not the plan's (read from a file)
        answers = {code: ("a problem",) for code in kept}
        assert plan.answering(answers) == _by_the_whole_plan(plan, answers)


def _answers_by_the_whole_plan(steps, called, part, exercises, may, check, outside):
    """`Linter._answers`' loop as it was: every step of `steps`, each as the plan says."""
    answers = {}
    for code, _, _, asked in steps if part or exercises else called:
        if asked is engine._CHECKED or (type(asked) is int and may & asked):
            problems = check(code)
        elif type(asked) is int:
            continue
        elif asked is engine._FROM_PART:
            if code not in part:
                continue
            problems = part[code]
        else:
            if asked is engine._OUTSIDE_AND_EXERCISES:
                problems = outside(code)
            elif asked is engine._PART_AND_EXERCISES and code in part:
                problems = part[code]
            else:
                problems = ()
            if code in exercises:
                problems = (*problems, *exercises[code])
        if problems:
            answers[code] = problems
    return answers


class _Rule:
    """A rule whose `check` and `outside` give the problems a table holds for its code."""

    def __init__(self, code, found, outside):
        self.code, self.found, self.found_outside = code, found, outside

    def check(self, protocol, context):
        return self.found.get(self.code, ())

    def outside(self, protocol, context):
        return self.found_outside.get(self.code, ())


class _Context:
    options = None


def test_answers_are_the_whole_plans(monkeypatch):
    plan = _plan()
    codes = [step[0] for step in plan]
    how = {step[0]: step[3] for step in plan}
    answered = {engine._FROM_PART, engine._PART_AND_EXERCISES, engine._EXERCISES}
    assert answered <= set(how.values())
    called_codes = {step[0] for step in plan.called}
    chosen = random.Random(1491)
    linter = Linter(LintSettings(today=TODAY))
    for _ in range(300):
        part = {c: (f"{c} part",) for c in chosen.sample(codes, chosen.randint(0, 6))}
        exercises = {c: [f"{c} exercise"] for c in chosen.sample(codes, chosen.randint(0, 6))}
        may = chosen.getrandbits(len(plan.by_place) + 1)
        found = {c: (f"{c} checked",) for c in codes if chosen.random() < 0.3}
        outside = {c: (f"{c} outside",) for c in codes if chosen.random() < 0.5}
        steps = [(c, _Rule(c, found, outside), options, asked) for c, _, options, asked in plan]
        called = [step for step in steps if step[0] in called_codes]
        monkeypatch.setattr(engine, "part_answer", lambda *args, p=part: p)
        monkeypatch.setattr(linter, "_exercise_answers", lambda *args, e=exercises: e)
        monkeypatch.setattr(linter, "_may_find", lambda *args, m=may: m)
        got = linter._answers(None, _Context(), plan, steps, called)
        want = _answers_by_the_whole_plan(
            steps,
            called,
            part,
            exercises,
            may,
            lambda code, f=found: tuple(f.get(code, ())),
            lambda code, o=outside: tuple(o.get(code, ())),
        )
        assert got == want
        assert all(type(problems) is tuple for problems in got.values())
