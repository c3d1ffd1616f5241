"""The parts of a sheet that fit it to one patient: their goals and the next re-test (on the
patient's pages), each stage's dosage on the exercise cards and in the log, and the screening
answers and outcome measures on the clinician's page. Functions of the sheet's builder
(`content._Builder`: `text`, `plain`, `word`), so every string is read in the sheet's
language and checked against the font like the rest."""

from __future__ import annotations

from typing import Any

from protocol_kit.loading import number_text
from protocol_kit.model import Exercise, Stage
from protocol_kit.prescribing.measures import measure_of, risk_group
from protocol_kit.prescribing.stages import stage_dosage
from protocol_kit.sheet.document import (
    Block,
    DosageGrid,
    Items,
    Labelled,
    LogGrid,
    Para,
    Section,
    Span,
    plain,
)
from protocol_kit.sheet.dosage import dosage_grid, log_sessions

DASH = "\u2013"


def goals_section(b: Any) -> list[Section]:
    """The patient's goals in their words, with their dates, and when their progress is
    next checked (the earliest re-test of any measure)."""
    prescription = b.request.prescription
    if prescription is None:
        return []
    blocks: list[Block] = []
    if prescription.goals:
        lines = []
        for goal in prescription.goals:
            text = b.text(goal.text)
            lines.append(
                plain(b.word("goal_by", goal=text, date=goal.by.isoformat()) if goal.by else text)
            )
        blocks.append(Items(tuple(lines)))
    retest = next_retest(prescription)
    if retest is not None:
        day, records = retest
        what = ", ".join(dict.fromkeys(_short(b, r) for r in records))
        blocks.append(Para(plain(b.word("next_check", date=day.isoformat(), what=what))))
    if not blocks:
        return []
    heading = b.word("your_goals") if prescription.goals else b.word("outcome_measures")
    return [Section("goals", heading, tuple(blocks))]


def next_retest(prescription: Any) -> tuple[Any, list[Any]] | None:
    """The first re-test date of the prescription and the measures taken then."""
    dates = sorted({d for m in prescription.measures for d in m.retests})
    if not dates:
        return None
    first = dates[0]
    return first, [m for m in prescription.measures if first in m.retests]


def _short(b: Any, record: Any) -> str:
    """What the patient knows a measure as, in the sheet's language: the sheet's wording
    names each standard measure; a clinic's own measure goes by the name the clinic gave."""
    measure = measure_of(record)
    if measure is not None and measure.code is not None:
        return b.word(f"measure_short_{_key(measure.code)}")
    name = measure.name if measure is not None else record.code or ""
    return b.plain(name, record.origin)


def _key(code: str) -> str:
    return code.replace("-", "_")


# -- stages ----------------------------------------------------------------------------------


def stage_label(b: Any, stage: Stage) -> str:
    return weeks_label(b, stage.first_week, stage.last_week)


def weeks_label(b: Any, first: int, last: int) -> str:
    if first == last:
        return b.word("week", n=str(first))
    return b.word("stage_heading", first=str(first), last=str(last))


def card_stages(b: Any, exercise: Exercise) -> tuple[DosageGrid | None, list[Labelled]]:
    """For a staged programme: the card's grid for the first stage (its weeks as the first
    note) and a labelled grid for every later stage where this exercise's dosage changes, with
    its entry rule. Stages in a row that give this exercise the same dosage are one grid with
    their weeks together: the same grid and rule are never printed twice on a card."""
    stages = b.protocol.stages
    if not stages:
        return None, []
    runs: list[tuple[list[Stage], DosageGrid]] = []
    feel = b.text(exercise.dosage.intensity)  # the card's "How it should feel"
    for stage in stages:
        dosage = stage_dosage(exercise, stage, b.protocol.language)
        grid = dosage_grid(dosage, b.words)
        stage_feel = b.text(dosage.intensity)
        if stage_feel != feel:
            # A stage's own intensity, said with its grid: it was printed nowhere (H1245).
            grid = DosageGrid(grid.cells, (*grid.notes, f"{b.word('intensity')}: {stage_feel}"))
        if runs and runs[-1][1] == grid:
            runs[-1][0].append(stage)
        else:
            runs.append(([stage], grid))
    grids = []
    for run, grid in runs:
        weeks = weeks_label(b, run[0].first_week, run[-1].last_week)
        notes = tuple(n for n in grid.notes if not n.startswith(weeks))
        grids.append((run[0], weeks, DosageGrid(grid.cells, (weeks, *notes))))
    later = []
    for stage, weeks, grid in grids[1:]:
        blocks: list[Block] = []
        if stage.entry is not None:
            blocks.append(Para(plain(b.word("stage_entry", rule=b.text(stage.entry)))))
        blocks.append(grid)
        later.append(Labelled(weeks, tuple(blocks)))
    return grids[0][2], later


def stage_logs(b: Any, make_grid: Any) -> list[Block]:
    """One log grid per stage: its weeks, and a box for every session its dosages prescribe
    (the most sessions a day and days a week of any exercise in that stage)."""
    out: list[Block] = []
    language = b.protocol.language
    for stage in b.protocol.stages:
        per_day, days = log_sessions(stage_dosage(e, stage, language) for e in b.protocol.exercises)
        weeks = range(stage.first_week, stage.last_week + 1)
        grid: LogGrid = make_grid(per_day, days, weeks)
        heading: tuple[Span, ...] = (Span(stage_label(b, stage), strong=True),)
        if stage.entry is not None:
            # Said as the rule for moving on, as on the card: "Weeks 3–4: 8 bridges ... feel
            # easy" read as the dosage of weeks 3-4.
            rule = b.word("stage_entry", rule=b.text(stage.entry))
            heading += (Span(" "), Span(rule))
        # A heading line and the grid, both direct parts of the log section.
        out += [Para(heading), grid]
    return out


# -- the clinician's page ------------------------------------------------------------------------


def clinician_blocks(b: Any) -> list[Block]:
    """The screening answers and the outcome measures' baselines, targets and re-tests."""
    prescription = b.request.prescription
    if prescription is None:
        return []
    blocks: list[Block] = []
    protocol = b.protocol
    answers = []
    for question in protocol.screening:
        answer = prescription.screening.get(question.id)
        if answer is None:
            continue
        word = b.word("answer_yes" if answer == "yes" else "answer_no")
        answers.append(plain(f"{b.text(question.question)} {DASH} {word}"))
    if answers:
        blocks.append(Labelled(b.word("screening_answers"), (Items(tuple(answers)),)))
    measures = []
    for record in prescription.measures:
        measure = measure_of(record)
        if measure is None:
            continue
        name = b.plain(measure.name, record.origin)
        if measure.unit:
            b.plain(measure.unit, record.origin)  # printed after each score (Measure.shown)
        if record.activity is not None:
            name = f"{name} ({b.text(record.activity)})"
        day = (record.baseline_date or prescription.date).isoformat()
        fields = {"name": name, "baseline": measure.shown(record.baseline), "date": day}
        if record.target is not None:
            target = measure.shown(record.target)
            if record.target_by is not None:
                target = f"{target} ({record.target_by.isoformat()})"
            line = b.word("measure_line", target=target, **fields)
        else:
            line = b.word("measure_no_target", **fields)
        if record.subscore is not None and measure.subscore is not None:
            subscore = b.word(f"subscore_{_key(measure.code or '')}")
            line += f" ({subscore} {number_text(record.subscore)})"
        group = risk_group(measure, record.baseline, record.subscore)
        if group is not None:
            line += f"; {b.word('risk_group', group=b.word(f'risk_{group}'))}"
        if record.retests:
            dates = ", ".join(d.isoformat() for d in record.retests)
            line += f"; {b.word('retests', dates=dates)}"
        measures.append(plain(line))
    if measures:
        blocks.append(Labelled(b.word("outcome_measures"), (Items(tuple(measures)),)))
    return blocks
