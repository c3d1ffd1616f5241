"""Running the rules: configuration, severities, in-file suppressions.

`LintSettings` is the lint part of the configuration, checked against the registry;
`Linter` is the hook `protokit validate` installs (`CheckOptions.hooks`). It is picklable:
worker processes receive the settings and build their own state.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence

from protocol_kit.config import config_key, config_place, entry_place, key_error
from protocol_kit.dosage import DEFAULT_BOUNDS
from protocol_kit.errors import ConfigError, Place, UsageError
from protocol_kit.findings import Finding, Severity
from protocol_kit.jsontext.pointers import pointer_tokens
from protocol_kit.lean_imports import TYPE_CHECKING
from protocol_kit.lean_imports.dates import dt
from protocol_kit.lint.base import (
    EXERCISE_FACTS,
    KEPT_BY,
    TEXTS,
    WHOLE,
    Context,
    Problem,
    Rule,
    RunMemo,
    _answers,
    _keep,
    _placed,
    at_place,
    exercise_place,
    exercises_key,
    exercises_text_key,
    file_text_bits,
    kept_answer,
    part_answer,
    part_digest,
    token,
)
from protocol_kit.lint.history import GitHistory
from protocol_kit.lint.registry import RULES, RULES_BY_CODE, SUPPRESSION_RULES
from protocol_kit.model import (
    ANY_FILE,
    Delivery,
    Exercise,
    Origin,
    PainGuide,
    Protocol,
    Safety,
    Suppression,
    Text,
    build_suppressions,
)
from protocol_kit.record import Record, init, replace
from protocol_kit.untrusted.text import quoted

if TYPE_CHECKING:
    from typing import Any

    from protocol_kit.lint.across_runs import AcrossRuns

# The rule that compares a file with its committed version (`Context.previous`).
_ASKS_GIT = "GOV004"
# What the answers of the rules about the protocol's shared part (`Rule.protocol_part`) are
# kept under in the part's table (`part_answer`).
_PART_ANSWERS = "protocol-part-answers"
# The answer of those rules for a part where none of them finds anything (most): one object.
_NOTHING: Mapping[str, tuple[Problem, ...]] = {}
# What the numbers of what the rules about each exercise read of a protocol's shared part
# (`Rule.around`) are kept under in the part's table, and the memo tables of their answers,
# one for each number.
_EXERCISE_AROUND = "exercise-around"
_EXERCISE_ANSWERS = "exercise-answers"
# How `Linter.lint` answers each rule (`Linter._plan`).
_FROM_PART = "from the part's answers"
_PART_AND_EXERCISES = "from the part's answers and the exercises'"
_OUTSIDE_AND_EXERCISES = "its outside, and the exercises' answers"
_EXERCISES = "from the exercises' answers alone"
_CHECKED = "its check"
# What the rules asked by place (`Rule.asked_by_place`) may find of a protocol's shared part,
# kept in the part's table, and of each exercise, with the values of `Rule.exercise_fact`, in
# the memo's table by its number (`Linter._may_find`).
_MAY_FIND = "may-find"
# Seconds in an hour and a day (`Linter._today`).
_HOUR = 3600.0
_DAY = 24 * _HOUR


class _Plan(list):
    """The rules in order as `Linter.lint` answers them (`Linter._plan`), and `called`: those
    of them it calls for each file (`_CHECKED`, `_OUTSIDE_AND_EXERCISES`, a bit), in order.
    Where answers are kept with the file (`lint.across_runs`): `kept`, the rules whose answers
    are, and `kept_called` those of them called for each file; `beyond`, the others
    (`Rule.reads_beyond_the_file`), called for every file. The rules asked by place
    (`Rule.asked_by_place`), whose step is answered by their bit (an int, for `_may_find`):
    `by_place` (bit, rule, options) for each, `own` those whose `may_find_in_own` is their
    own, `texts` (bit, `Rule.may_find_in_texts`) those with texts' bits, and `everyone`
    every bit. `facts`: the rules with a `Rule.exercise_fact`, and `fact_at` each one's place
    among an exercise's values (`EXERCISE_FACTS`). `from_answers`: how each rule answered
    from the part's or the exercises' answers alone is (`_FROM_PART`, `_PART_AND_EXERCISES`,
    `_EXERCISES`), by code; `at`: each rule's place in the plan and its step, by code, for
    the rules whose answers are kept with the file, and `beyond_at` the same pairs of the
    others (`answering`)."""

    __slots__ = (
        "called",
        "from_answers",
        "at",
        "beyond_at",
        "kept",
        "kept_called",
        "beyond",
        "by_place",
        "own",
        "texts",
        "everyone",
        "facts",
        "fact_at",
    )

    def __init__(self) -> None:
        super().__init__()
        self.called: list[tuple[str, Rule, dict[str, Any], str]] = []
        self.from_answers: dict[str, str] = {}
        self.at: dict[str, tuple[int, tuple[str, Rule, dict[str, Any], Any]]] = {}
        self.beyond_at: list[tuple[int, tuple[str, Rule, dict[str, Any], Any]]] = []
        self.kept: list[tuple[str, Rule, dict[str, Any], str]] = []
        self.kept_called: list[tuple[str, Rule, dict[str, Any], str]] = []
        self.beyond: list[tuple[str, Rule, dict[str, Any], str]] = []
        self.by_place: list[tuple[int, Rule, dict[str, Any]]] = []
        self.own: list[tuple[int, Rule, dict[str, Any]]] = []
        self.texts: list[tuple[int, int]] = []
        self.everyone = 0
        self.facts: list[Rule] = []
        self.fact_at: dict[str, int] = {}

    def answering(self, kept: Mapping[str, Any]) -> list[tuple[str, Rule, dict[str, Any], Any]]:
        """The steps, in the plan's order, that give a file's findings from `kept` (the
        answers kept with it, by code): those of the codes `kept` holds, and every rule that
        reads beyond the file (called each time). A file's answers name a few rules of the
        fifty or more: going through the whole plan for each file asked every rule's
        attribute and `kept` (issue 17, thirty-third sitting)."""
        at = self.at
        steps = [at[code] for code in kept if code in at]
        if not steps:
            return [step for _, step in self.beyond_at]
        steps += self.beyond_at
        steps.sort(key=_first)
        return [step for _, step in steps]


class LintSettings(Record):
    """Which rules run, how severe each is, and their options.

    `select` and `ignore` hold codes or code prefixes (`DOSE`, `DOSE00`, `ALL`), as in ruff;
    `severity` maps a code to `error` or `warning`; `options` maps a code to option values.
    """

    __slots__ = ("select", "ignore", "severity", "options", "bounds", "today")
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    severity: Mapping[str, str]
    options: Mapping[str, Mapping[str, Any]]
    bounds: Mapping[str, Any]
    today: dt.date | None

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        severity: Mapping[str, str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        bounds: Mapping[str, Any] | None = None,
        today: dt.date | None = None,
    ) -> None:
        init(self, "select", select)
        init(self, "ignore", ignore)
        init(self, "severity", {} if severity is None else severity)
        init(self, "options", {} if options is None else options)
        init(self, "bounds", {} if bounds is None else bounds)
        init(self, "today", today)

    def enabled(self, code: str) -> bool:
        """Whether the rule runs. A rule that keeps the patient safe (`ignorable = False`)
        always does: `select` chooses among the others, and `ignore` cannot name it (the
        configuration and the command line are refused before a settings object is made;
        this holds for settings made in code too)."""
        rule = RULES_BY_CODE.get(code)
        if rule is not None and not rule.ignorable:
            return True
        selected = self.select is None or any(_matches(code, p) for p in self.select)
        return selected and not any(_matches(code, p) for p in self.ignore)

    def severity_of(self, rule: Rule) -> Severity:
        configured = self.severity.get(rule.code)
        if not configured or (not rule.ignorable and configured == Severity.WARNING.value):
            return rule.default_severity  # a safety rule's error is never made a warning
        return Severity(configured)

    def options_of(self, rule: Rule) -> dict[str, Any]:
        return {**rule.options, **self.options.get(rule.code, {})}


_KINDS = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}


def _protocol_of(exercise: Exercise, data: Mapping[str, Any]) -> Protocol:
    """A stand-in protocol that holds one library exercise and nothing else, for the rules
    about each exercise. Its other parts are empty: there is nothing for those rules there."""
    from protocol_kit.starter.texts import starting_pain_bands

    origin = Origin(exercise.origin.path, "/-")  # names no place in the file
    nothing = Text({}, origin)
    # A library exercise has no pain guide: a pain score in its texts is judged against the
    # starting guide's bands, which most protocols keep (stop bands of 0 made every score
    # an error, "stop above 0", where the same text passed in each protocol using it: H655).
    bands = starting_pain_bands()
    guide = PainGuide(bands["green_max"], bands["amber_max"], nothing, nothing, nothing, origin)
    return Protocol(
        id=exercise.id,
        version=data["version"],
        title=nothing,
        summary=nothing,
        status="draft",
        language=data["language"],
        translations=tuple(data.get("translations", ())),
        authors=(),
        reviewer=None,
        sign_off=None,
        updated=dt.date.min,
        next_review=dt.date.max,
        licence="",
        references=(),
        indications=(),
        safety=Safety((), (), (), (), guide, ()),
        delivery=Delivery((), "", "", "", "", 0, "", "", "", "", ()),
        exercises=(exercise,),
        suppressions=build_suppressions(data),
        origin=Origin(exercise.origin.path),
    )


def _matches(code: str, pattern: str) -> bool:
    return pattern == "ALL" or code.startswith(pattern)


def settings_from_config(section: Mapping[str, Any], where: str) -> LintSettings:
    """Settings from the validated `lint` configuration section; raises ConfigError naming the
    file and key for codes and options the registry does not know."""
    for key in ("select", "ignore"):
        for pattern in section.get(key) or ():
            dotted = f"lint.{key}"
            check_pattern(pattern, config_key(where, dotted), config_place(where, dotted))
    for pattern in section.get("ignore") or ():
        locked = locked_rules(pattern)
        if locked:
            place = entry_place(where, "lint.ignore", pattern)
            said = f"{config_key(where, 'lint.ignore')}: {_cannot_ignore(pattern, locked)}"
            raise ConfigError(said, place)
    for code, level in section.get("severity", {}).items():
        rule = _check_code(code, where, f"lint.severity.{code}")
        if not rule.ignorable and level == "warning" and rule.default_severity is Severity.ERROR:
            dotted = f"lint.severity.{code}"
            raise ConfigError(
                f"{config_key(where, dotted)}: {code} ({rule.name}) keeps the patient safe: its "
                "errors cannot be made warnings (a warning lets the sheet print); remove this "
                "line",
                entry_place(where, dotted, code),
            )
    options = section.get("options", {})
    for code, values in options.items():
        rule = _check_code(code, where, f"lint.options.{code}")
        for name, value in values.items():
            dotted = f"lint.options.{code}.{name}"
            if name not in rule.options:
                known = ", ".join(rule.options) or "none"
                said = f"unknown option (options of {code}: {known})"
                raise key_error(where, dotted, said, at="key")
            default = rule.options[name]
            if (
                isinstance(default, float)
                and isinstance(value, int)
                and not isinstance(value, bool)
            ):
                value = float(value)
            if type(value) is not type(default):
                kind = _KINDS.get(type(default), type(default).__name__)
                raise key_error(where, dotted, f"must be {kind}, like {default!r}")
    for exercise_type, fields in section.get("bounds", {}).items():
        for name, values in fields.items():
            low, high, limit = values
            present = [v for v in (low, high, limit) if v is not None]
            dotted = f"lint.bounds.{exercise_type}.{name}"
            if present != sorted(present):
                raise key_error(
                    where,
                    dotted,
                    "must be [usual minimum, usual maximum, safe limit] in increasing order",
                )
            safe = DEFAULT_BOUNDS[exercise_type].get(name, (None, None, None))[2]
            if safe is not None and (limit is None or limit > safe):
                # DOSE001 cannot be switched off (H245); a limit raised without end would do
                # the same. A supervised exception is one finding suppressed in its file, with
                # the reason a reviewer signs off.
                raise key_error(
                    where,
                    dotted,
                    f"the safe limit may be lowered, not raised above protocol-kit's {safe:g}; "
                    "for one supervised exercise, suppress DOSE001 in its file with the reason",
                )
    select = section.get("select")
    if select is not None and not select:
        raise key_error(
            where,
            "lint.select",
            "is empty, which would turn every lint rule off (every file 'valid'); remove it to "
            "run every rule, or name the rules to run",
        )
    return LintSettings(
        select=tuple(select) if select is not None else None,
        ignore=tuple(section.get("ignore", ())),
        severity=dict(section.get("severity", {})),
        options={code: dict(values) for code, values in options.items()},
        bounds=section.get("bounds", {}),
    )


def run_settings(
    section: Mapping[str, Any],
    where: str,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintSettings:
    """The configuration's settings with the command line's `--select` (replaces the
    configuration's) and `--ignore` (adds to it). Raises ConfigError for the configuration,
    UsageError for the command line, when a code matches no rule."""
    settings = settings_from_config(section, where)
    for option, patterns in (("--select", select or ()), ("--ignore", ignore)):
        for pattern in patterns:
            try:
                check_pattern(pattern, option)
            except ConfigError as error:
                raise UsageError(str(error)) from None
    for pattern in ignore:
        locked = locked_rules(pattern)
        if locked:
            raise UsageError(f"--ignore: {_cannot_ignore(pattern, locked)}")
    if select is not None:
        if not select:
            # `--select "$RULES"` with RULES unset or "," would run no rule and pass every file.
            raise UsageError(
                "--select names no rule, which would turn every lint rule off: name codes or "
                "prefixes (DOSE,SAFE001), or use --no-lint to check the schemas only"
            )
        settings = replace(settings, select=tuple(select))
    return replace(settings, ignore=settings.ignore + tuple(ignore))


def check_pattern(pattern: str, named: str, place: Place | None = None) -> None:
    """Raise ConfigError when a select/ignore entry matches no rule: `named`, the key or the
    command line's option it was given with, at `place` in the configuration file."""
    if pattern != "ALL" and not any(rule.code.startswith(pattern) for rule in RULES):
        said = f"{named}: {quoted(pattern)} matches no rule (see: protokit rules)"
        raise ConfigError(said, place)


def locked_rules(pattern: str) -> list[Rule]:
    """The rules that keep the patient safe (`ignorable = False`) an ignore entry names."""
    return [rule for rule in RULES if not rule.ignorable and _matches(rule.code, pattern)]


def _cannot_ignore(pattern: str, locked: list[Rule]) -> str:
    codes = ", ".join(rule.code for rule in locked)
    return (
        f"{quoted(pattern)} would turn off {codes}, which "
        f"{'keeps' if len(locked) == 1 else 'keep'} "
        "the patient safe (red flags, the stop box, contraindications, safe dose limits, text "
        "no check can read) and "
        "cannot be turned off; name only rules that can be (protokit rules lists them)"
    )


def _check_code(code: str, where: str, dotted: str) -> Rule:
    """The rule `code` that the configuration's key `dotted` names, in the file `where`."""
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        raise key_error(where, dotted, f"no rule {quoted(code)} (see: protokit rules)", at="key")
    return rule


class Linter:
    """The lint hook: `(protocol, document) -> findings`, with the settings applied."""

    def __init__(
        self,
        settings: LintSettings = LintSettings(),  # noqa: B008 (frozen)
        history: GitHistory | None = None,
    ) -> None:
        self.settings = settings
        # What git holds, for the version rule (`Context.previous`): made at the first file
        # when not given (a one-file run's is one that says what was asked, `lint.one_file`).
        self._history = history
        self._memo: dict[Any, Any] = RunMemo()
        # Today's date and the clock's times between which it is surely today (`_today`).
        self._day: tuple[float, float, dt.date] = (0.0, 0.0, dt.date.min)
        # The answers kept between runs (`lint.across_runs`), in `validate`'s runs of more
        # than one file alone (`expect`).
        self._across: AcrossRuns | None = None

    def __getstate__(self) -> dict[str, Any]:
        # A git process does not cross into a worker; whether answers are kept does.
        return {"settings": self.settings, "across": self._across is not None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])
        if state.get("across"):
            self._keep_across_runs()

    def beyond_the_file(self) -> list[str]:
        """The codes of the rules that run and read beyond the file
        (`Rule.reads_beyond_the_file`: today's date, git, the images it names)."""
        return [rule.code for rule, _ in self._active() if rule.reads_beyond_the_file]

    def _keep_across_runs(self) -> None:
        from protocol_kit.lint.across_runs import AcrossRuns

        self._across = AcrossRuns(self.settings)

    def expect(self, paths: Sequence[str]) -> None:
        """Told the files of the run before they are checked: for a single file whose rules
        ask git about it, git is started now (`GitHistory.expect`), not on the first
        question. A run over many files starts nothing early (workers ask their own git).
        The answers about parts and exercises are kept between `validate`'s runs (the one
        caller) over more than one file (`lint.across_runs`): not for one named file, whose
        start-up would pay for the module."""
        if self._across is None and (len(paths) > 1 or any(map(os.path.isdir, paths))):
            self._keep_across_runs()
        if len(paths) == 1 and any(rule.code == _ASKS_GIT for rule, _ in self._active()):
            if self._history is None:
                self._history = GitHistory()
            self._history.expect(paths[0])

    def __call__(self, protocol: Protocol, document: Any) -> list[Finding]:
        return self.lint(protocol, document.data, document.text)

    def lint(self, protocol: Protocol, data: Mapping[str, Any], source: str) -> list[Finding]:
        context = self._context(data, source)
        path = protocol.origin.path
        plan = self._plan()
        across = self._across
        kept = None
        if across is not None:
            # Kept between `validate`'s runs with the file (`lint.across_runs`): a file checked
            # before is one look-up, and only the rules that read beyond it are called.
            kept = across.file_answers(
                protocol, source, self._kept_with_the_file, protocol, context, plan
            )
        findings: list[Finding] = []
        if kept is None:
            answers = self._answers(protocol, context, plan, plan, plan.called)
            for code, rule, _, _ in plan.answering(answers) if answers else ():
                problems = answers.get(code)
                if problems:
                    findings += [self._finding(path, rule, p) for p in problems]
        else:
            # A rule that reads beyond the file (`Rule.reads_beyond_the_file`) called, every
            # other's from the answers kept with the file. Where none was kept (nearly every
            # file), only those called are gone through.
            for code, rule, options, _ in plan.answering(kept) if kept else plan.beyond:
                if rule.reads_beyond_the_file:
                    context.options = options
                    problems = rule.check(protocol, context)
                else:
                    problems = kept.get(code, ())
                for problem in problems:
                    findings.append(self._finding(path, rule, problem))
        return self._apply_suppressions(path, protocol.suppressions, data, findings)

    def _kept_with_the_file(
        self, protocol: Protocol, context: Context, plan: _Plan
    ) -> dict[str, tuple[Problem, ...]]:
        """The problems of the rules whose answers are kept with the file (`_Plan.kept`), by
        code, for the rules that find some."""
        return self._answers(protocol, context, plan, plan.kept, plan.kept_called)

    def _answers(
        self,
        protocol: Protocol,
        context: Context,
        plan: _Plan,
        steps: list[tuple[str, Rule, dict[str, Any], Any]],
        called: list[tuple[str, Rule, dict[str, Any], Any]],
    ) -> dict[str, Sequence[Problem]]:
        """The problems of each rule of `steps` (a `_Plan`'s) that finds some, by code, each
        answered as the plan says; `called` are those of `steps` called for each file. One
        loop, not a generator: a generator's resumption for each rule of each file was a
        twentieth of a first run's lint (issue 17). The dictionary's order is not the plan's:
        its readers go by the plan (`Linter.lint`, `_Plan.answering`)."""
        # The rules about the protocol's shared part, answered together: one look-up for a
        # file whose part an earlier file had (`_part_answers`), in the table kept with the
        # part that the rules' own answers about it are in (`part_answer`: found once a
        # file by the part's safety section, which is made anew with the part and held by
        # every protocol built from it, `model.protocol_part_anchor`).
        part = part_answer(
            protocol, context, _PART_ANSWERS, self._part_answers_of, protocol, context
        )
        # The rules about each exercise, answered together: one look-up for each exercise
        # seen before (`_exercise_answers`).
        exercises = self._exercise_answers(protocol, context)
        # The rules asked by place that may find something in the file, by their bits; each
        # exercise's values for the rules that read it through one (`Rule.exercise_fact`).
        may = self._may_find(protocol, context, plan) if plan.everyone or plan.facts else 0
        answers: dict[str, Sequence[Problem]] = {}
        # The rules called for each file (`_plan`): the rules about the whole file, and those
        # with an `outside` of their own, whose exercises' answers follow its problems.
        for code, rule, options, asked in called:
            # A rule asked by place (its step an int, its bit) is called as one about the
            # whole file when a place of the file may hold what it finds, else not at all.
            if asked is _CHECKED or (type(asked) is int and may & asked):
                context.options = options
                problems = tuple(rule.check(protocol, context))
            elif type(asked) is int:
                continue
            else:  # _OUTSIDE_AND_EXERCISES
                context.options = options
                problems = tuple(rule.outside(protocol, context))
                if code in exercises:
                    problems = (*problems, *exercises[code])
            if problems:
                answers[code] = problems
        # The others from the part's and the exercises' answers, by the codes these hold (a
        # few, most files none), not by going through every rule of the plan. A code the
        # plan answers otherwise, or not at all, is passed over as the plan's loop did.
        if not part and not exercises:
            return answers
        from_answers = plan.from_answers
        for code, problems in part.items():
            asked = from_answers.get(code)
            if asked is _PART_AND_EXERCISES and code in exercises:
                problems = (*problems, *exercises[code])
            elif asked is not _FROM_PART and asked is not _PART_AND_EXERCISES:
                continue
            if problems:
                answers[code] = problems
        for code, problems in exercises.items():
            asked = from_answers.get(code)
            if (asked is _EXERCISES or (asked is _PART_AND_EXERCISES and code not in part)) and (
                problems
            ):
                answers[code] = tuple(problems)
        return answers

    def _plan(self) -> _Plan:
        """The active rules in order, each with its code, options and how `lint` answers it:
        from the part's answers (`_FROM_PART`), from them and the exercises' answers
        (`_PART_AND_EXERCISES`), by calling its `outside` and from the exercises' answers
        (`_OUTSIDE_AND_EXERCISES`), from the exercises' answers alone (`_EXERCISES`), or by
        calling its `check` (`_CHECKED`). Worked out once
        for the settings, not read from each rule's class for every file."""
        key = ("active-rules", "plan")
        if key in self._memo:  # asked for every file: `in`, not a call of `get`
            return self._memo[key]
        plan = _Plan()
        for rule, options in self._active():
            if rule.protocol_part:
                asked = _FROM_PART
            elif rule.exercise_part and rule.outside_part:
                asked = _PART_AND_EXERCISES
            elif rule.exercise_part:
                # A rule whose `outside` is the base's finds nothing outside the exercises:
                # not called for each file.
                outside = type(rule).outside is not Rule.outside
                asked = _OUTSIDE_AND_EXERCISES if outside else _EXERCISES
            elif rule.asked_by_place and not rule.reads_beyond_the_file:
                asked = bit = 1 << len(plan.by_place)
                plan.by_place.append((bit, rule, options))
                if type(rule).may_find_in_own is not Rule.may_find_in_own:
                    plan.own.append((bit, rule, options))
                if rule.may_find_in_texts:
                    plan.texts.append((bit, rule.may_find_in_texts))
                plan.everyone |= bit
            else:
                asked = _CHECKED
            if type(rule).exercise_fact is not Rule.exercise_fact:
                plan.fact_at[rule.code] = len(plan.facts)
                plan.facts.append(rule)
            plan.append((rule.code, rule, options, asked))
        answered = (_FROM_PART, _PART_AND_EXERCISES, _EXERCISES)
        plan.called = [step for step in plan if step[3] not in answered]
        plan.from_answers = {step[0]: step[3] for step in plan if step[3] in answered}
        for place, step in enumerate(plan):
            rule = step[1]
            if not rule.reads_beyond_the_file:
                plan.at[step[0]] = (place, step)
            else:
                plan.beyond_at.append((place, step))
        for step in plan:
            rule = step[1]
            if not rule.reads_beyond_the_file:
                plan.kept.append(step)
            elif step[3] is not _CHECKED:  # its part's or exercises' answers are kept
                raise TypeError(
                    f"{rule.code} reads beyond the file: it must be a rule about the whole "
                    "file, whose answers are never kept with a part or an exercise"
                )
            else:
                plan.beyond.append(step)
        plan.kept_called = [s for s in plan.called if not s[1].reads_beyond_the_file]
        found = self._memo[key] = plan
        return found

    def _may_find(self, protocol: Protocol, context: Context, plan: _Plan) -> int:
        """The bits of the rules asked by place (`Rule.asked_by_place`) one of whose places
        of the protocol may hold something: its shared part (kept with the part,
        `part_answer`), its own fields, its patient texts (the shared pass, `file_text_bits`),
        and each exercise, whose bits for every such rule together are kept for the run by
        its number (`exercises_key`: its content, its entry as written, the language): one
        look-up an exercise for all of them. With them, each exercise's values of the rules
        that read it through one (`Rule.exercise_fact`, which reads no more of it), left for
        those rules in the file's `Context.per_file` (`EXERCISE_FACTS`, `exercise_facts`):
        the same look-up (issue 17, thirty-first sitting: SAFE010 and DOSE004 each looked
        every exercise up in a table of their own)."""
        may = (
            part_answer(
                protocol, context, _MAY_FIND, _bits_of, plan, context, "may_find_in_part", protocol
            )
            if plan.everyone
            else 0
        )
        everyone = plan.everyone
        for bit, rule, options in plan.own:
            if not may & bit:
                context.options = options
                if rule.may_find_in_own(protocol, context):
                    may |= bit
        if plan.texts and may != everyone:
            verdicts = file_text_bits(protocol, context)
            for bit, bits in plan.texts:
                if verdicts & bits:
                    may |= bit
        facts = plan.facts
        if (facts or may != everyone) and protocol.exercises:
            table = _answers(context.memo, (_MAY_FIND,))
            values: list[Any] = [None] * len(protocol.exercises)  # set in place: no call each
            for index, number in enumerate(exercises_key(protocol, context)):
                if number in table:
                    found = table[number]
                else:
                    exercise = protocol.exercises[index]
                    found = (
                        _bits_of(plan, context, "may_find_in_exercise", exercise, index, protocol),
                        tuple([rule.exercise_fact(exercise, protocol, context) for rule in facts]),
                    )
                    _keep(context.memo, table, number, found)
                may |= found[0]
                values[index] = found[1]
            if facts:
                context.per_file[EXERCISE_FACTS] = (plan.fact_at, values)
        return may

    def _part_answers_of(
        self, protocol: Protocol, context: Context
    ) -> Mapping[str, tuple[Problem, ...]]:
        """`_part_answers`, for a part whose object is new to the run: kept for the run by the
        part's content (`part_digest`), when the schema check wrote it, so that a part the
        part tables let go and built again, as a new object, is not judged again (issue 17,
        twenty-fourth sitting: on copies of a clinic's files, whose parts outnumber the 32 the
        tables keep, 282 of 324 parts judged in 10,000 files had been judged before)."""
        # Only a part built by `validate`'s part tables (its places name no file) is built from
        # the data as written alone; one made otherwise (by hand, in a test) keeps its own.
        shared = protocol.safety.pain_guide.origin.path == ANY_FILE
        digest = part_digest(context) if shared else None
        if digest is None:
            # Kept in the part's table alone, which lives as long as the part and is not
            # charged to the run memo (`part_answer`).
            return self._part_answers(protocol, context)
        return kept_answer(
            context.memo,
            (_PART_ANSWERS,),
            digest,
            self._part_answers_kept,
            protocol,
            context,
            digest,
        )

    def _part_answers_kept(
        self, protocol: Protocol, context: Context, digest: bytes
    ) -> Mapping[str, tuple[Problem, ...]]:
        """`_part_answers` of the part of digest `digest`, kept between runs where `validate`
        keeps them (`lint.across_runs`)."""
        across = self._across
        if across is None:
            return self._part_answers(protocol, context)
        return across.part_answers(digest, context, self._part_answers, protocol, context)

    def _part_answers(
        self, protocol: Protocol, context: Context
    ) -> Mapping[str, tuple[Problem, ...]]:
        """The problems of the rules about the protocol's shared part (`Rule.protocol_part`),
        and those outside the exercises of the rules about each exercise whose `outside` reads
        only that part (`Rule.outside_part`), by code, for the rules that find some. Kept for
        the run with the part (`part_answer`) and by its content (`_part_answers_of`): those
        rules read nothing else of the file there, and the settings are the run's."""
        answers: dict[str, tuple[Problem, ...]] = {}
        for rule, options in self._active():
            if rule.protocol_part or rule.outside_part:
                context.options = options
                if rule.protocol_part:
                    problems = tuple(rule.check(protocol, context))
                else:
                    problems = tuple(rule.outside(protocol, context))
                if problems:
                    answers[rule.code] = problems
        return answers or _NOTHING

    def _exercise_answers(
        self, protocol: Protocol, context: Context
    ) -> Mapping[str, list[Problem]]:
        """The problems of the rules about each exercise (`Rule.exercise_part`) in the
        protocol's exercises, by code, for the rules that find some: for each exercise, one
        look-up of every such rule's answer together, kept for the run by the exercise's
        number (`exercises_key`) in a table for what the rules read of the rest of the
        protocol (each group's `Rule.around`, whose numbers are kept with the protocol's
        shared part, `part_answer`), and moved to the exercise's place in this file (`at_place`).
        An exercise not found there is answered group by group (`_by_groups`), whose tables
        find an exercise met before under other numbers or with another part; one whose
        messages name its place is worked out again for each place (H371)."""
        groups = self._exercise_groups()
        if not groups or not protocol.exercises:
            return _NOTHING
        # Kept with the shared part, in its table (`part_answer`, as in `Linter.lint`).
        arounds = part_answer(
            protocol, context, _EXERCISE_AROUND, self._arounds, protocol, context, groups
        )
        table = _answers(context.memo, (_EXERCISE_ANSWERS, arounds))
        found: dict[str, list[Problem]] = {}
        across = self._across
        for index, number in enumerate(exercises_key(protocol, context)):
            if number in table:
                kept = table[number]
            else:
                by_groups = (groups, arounds, index, protocol, context)
                if across is None:
                    codes, problems = self._by_groups(*by_groups)
                else:  # kept between runs too, where `validate` keeps them (`across_runs`)
                    codes, problems = across.exercise_answers(
                        protocol, context, index, self._by_groups, *by_groups
                    )
                exercise = protocol.exercises[index]
                kept = _placed(exercise, problems) + (codes,) if problems else ()
                _keep(context.memo, table, number, kept)
            if not kept:  # most: no rule about the exercise finds anything
                continue
            codes, problems = kept[3], at_place(kept, exercise_place(protocol.exercises[index]))
            if problems is None:
                codes, problems = self._by_groups(groups, arounds, index, protocol, context)
            for code, problem in zip(codes, problems, strict=True):
                found.setdefault(code, []).append(problem)
        return found

    def _by_groups(
        self,
        groups: list[tuple[Any, bool, list[tuple[Rule, dict[str, Any]]]]],
        arounds: tuple[int, ...],
        index: int,
        protocol: Protocol,
        context: Context,
    ) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
        """The problems about the protocol's exercise at `index`, at its place, and each
        one's code: each group of the rules about each exercise (`_exercise_groups`) keeps
        its answers for the run by the exercise's number (`exercises_key`, or
        `exercises_text_key` for rules that read its texts alone), in a table for what the
        group reads of the rest of the protocol (its number in `arounds`)."""
        codes: list[str] = []
        problems: list[Problem] = []
        per_file = context.per_file
        try:
            for (name, texts, rules), around in zip(groups, arounds, strict=True):
                if texts:
                    number = exercises_text_key(protocol, context)[index]
                else:
                    number = exercises_key(protocol, context)[index]
                table = _answers(context.memo, (_EXERCISE_ANSWERS, name, around))
                kept = table.get(number)
                # The rules keep no answer of their own by the number the group's table is
                # keyed by (`each_exercise_remembered`): it just missed here.
                per_file[KEPT_BY] = TEXTS if texts else WHOLE
                if kept is None:
                    kept = self._kept(rules, index, number, protocol, context, table)
                if kept:
                    _place(kept, rules, index, number, protocol, context, table, codes, problems)
        finally:
            per_file.pop(KEPT_BY, None)
        return tuple(codes), tuple(problems)

    def _kept(
        self,
        rules: list[tuple[Rule, dict[str, Any]]],
        index: int,
        number: int,
        protocol: Protocol,
        context: Context,
        table: dict[Any, Any],
    ) -> tuple:
        """The answer of `rules` about the protocol's exercise at `index`, kept in `table`
        under its `number`: `()`, or its place, problems, whether they can be moved, and each
        problem's code."""
        exercise = protocol.exercises[index]
        codes, problems = _about(rules, index, protocol, context)
        kept = _placed(exercise, problems) + (codes,) if problems else ()
        _keep(context.memo, table, number, kept)
        return kept

    def _arounds(
        self,
        protocol: Protocol,
        context: Context,
        groups: list[tuple[Any, bool, list[tuple[Rule, dict[str, Any]]]]],
    ) -> tuple[int, ...]:
        """For each group of the rules about each exercise, the number of what its rules read
        of the protocol's shared part (`Rule.around`)."""
        numbers = []
        for name, _, rules in groups:
            around = []
            for rule, options in rules:
                context.options = options
                around.append(rule.around(protocol, context))
            numbers.append(token(context, (_EXERCISE_AROUND, name, *around)))
        return tuple(numbers)

    def _exercise_groups(self) -> list[tuple[Any, bool, list[tuple[Rule, dict[str, Any]]]]]:
        """The active rules about each exercise (`Rule.exercise_part`) in groups whose answers
        are kept together: those that read nothing of the protocol outside the exercise, by
        whether they read its texts alone (`Rule.about_texts`), and each that reads more
        (`Rule.around`) on its own, so that a file whose advice or pain guide differs from
        an earlier one's still finds the other rules' answers (rules that read the same more,
        `Rule.around_group`, in one group); but one whose `around` is ()
        on nearly every sheet (`Rule.around_seldom`) stays in its group, keyed by it. Each
        group as (its name, whether it is keyed by the texts alone, its rules)."""
        key = ("active-rules", "exercise-groups")
        if key in self._memo:  # asked for every file: `in`, not a call of `get`
            return self._memo[key]
        groups: dict[Any, tuple[Any, bool, list[tuple[Rule, dict[str, Any]]]]] = {}
        for rule, options in self._active():
            if rule.exercise_part:
                reads_more = type(rule).around is not Rule.around and not rule.around_seldom
                name = (
                    (rule.around_group or rule.code) if reads_more else ("alone", rule.about_texts)
                )
                groups.setdefault(name, (name, rule.about_texts, []))[2].append((rule, options))
        found = self._memo[key] = list(groups.values())
        return found

    def unbuilt(self, document: Any) -> list[Finding]:
        """Findings of the rules that need only the file's raw data (`check_unbuilt`), for a
        file whose model cannot be built yet (schema or reference errors). A rule the file's
        own `suppress` names is left for the full check, which applies the suppression."""
        suppress = document.data.get("suppress")
        named = (
            {s.get("rule") for s in suppress if isinstance(s, dict)}
            if isinstance(suppress, list)
            else set()
        )
        context = self._context(document.data, document.text)
        findings: list[Finding] = []
        for rule, options in self._active():
            if rule.code in named:
                continue
            context.options = options
            findings.extend(
                self._finding(document.name, rule, p) for p in rule.check_unbuilt(context)
            )
        return findings

    def library_file(self, document: Any, exercise: Exercise) -> list[Finding]:
        """Findings about a library exercise file (`exercise` is built from it): the rules
        about each exercise, run on a protocol that holds only this one, and the rules about
        whole files that apply to library files too (a change whose version did not go up)."""
        context = self._context(document.data, document.text)
        alone = _protocol_of(exercise, document.data)
        findings: list[Finding] = []
        for rule, options in self._active():
            context.options = options
            if rule.exercise_rule:
                problems = rule.check(alone, context)
            elif rule.library_files:
                problems = rule.check_library_file(document.name, context)
            else:
                continue
            findings.extend(self._finding(document.name, rule, p) for p in problems)
        return self._apply_suppressions(document.name, alone.suppressions, document.data, findings)

    def _context(self, data: Mapping[str, Any], source: str) -> Context:
        if self._history is None:
            self._history = GitHistory()
        return Context(
            today=self.settings.today or self._today(),
            bounds=self.settings.bounds,
            data=data,
            source=source,
            previous=self._history.previous,
            memo=self._memo,
        )

    def _today(self) -> dt.date:
        """Today's date, as `date.today()` gives it, asked again only when the clock leaves
        the day it was found on: a run that passes midnight, or a workbench open for days,
        sees the new day at its first file after it. The day's bounds are drawn an hour in,
        so that a day made shorter or longer by a change of summer time (at midnight in some
        places) is asked of the clock in that hour (issue 17, twenty-fifth sitting:
        `date.today()` for every file was about 1 % of the lint on copies)."""
        now = time.time()
        start, end, today = self._day
        if not start <= now < end:
            today = dt.date.today()
            midnight = dt.datetime.combine(today, dt.time()).timestamp()
            self._day = (midnight + _HOUR, midnight + _DAY - _HOUR, today)
        return today

    def _active(self) -> list[tuple[Rule, dict[str, Any]]]:
        """The rules that run, with their options: worked out once, not for every file."""
        key = ("active-rules",)
        if key in self._memo:  # asked for every file: `in`, not a call of `get`
            return self._memo[key]
        settings = self.settings
        found = self._memo[key] = [
            (rule, settings.options_of(rule))
            for rule in RULES
            if rule.code not in SUPPRESSION_RULES and settings.enabled(rule.code)
        ]
        return found

    def _finding(self, path: str, rule: Rule, problem: Problem) -> Finding:
        return Finding(
            path,
            rule.code,
            problem.message,
            self.settings.severity_of(rule),
            pointer=problem.pointer,
            at_key=problem.at_key,
            library=problem.library,
            in_library=problem.in_library,
            quoted_value=problem.quoted_value,
        )

    def _apply_suppressions(
        self,
        path: str,
        suppressions: Sequence[Suppression],
        data: Mapping[str, Any],
        findings: list[Finding],
    ) -> list[Finding]:
        kept = list(findings)
        meta: list[tuple[str, str, str]] = []  # (code, pointer, message)
        for index, suppression in enumerate(suppressions):
            at = f"/suppress/{index}"
            rule = RULES_BY_CODE.get(suppression.rule)
            if rule is None or rule.code in SUPPRESSION_RULES or not rule.can_be_suppressed:
                meta.append(("SUP002", f"{at}/rule", _unknown_rule_message(suppression.rule)))
                continue
            if suppression.at is not None and not pointer_exists(data, suppression.at):
                meta.append(
                    (
                        "SUP003",
                        f"{at}/at",
                        f"{quoted(suppression.at)} names no place in this file: point the "
                        "suppression at the value the finding is about",
                    )
                )
                continue
            matched = [f for f in kept if _suppresses(suppression, f)]
            if matched:
                kept = [f for f in kept if not _suppresses(suppression, f)]
            elif self.settings.enabled(rule.code):
                where = f" at {suppression.at}" if suppression.at is not None else ""
                meta.append(
                    (
                        "SUP001",
                        at,
                        f"the suppression of {rule.code}{where} matches no finding: remove it",
                    )
                )
        for code, pointer, message in meta:
            rule = RULES_BY_CODE[code]
            if self.settings.enabled(code):
                kept.append(self._finding(path, rule, Problem(pointer, message)))
        return kept


def _first(pair: tuple[int, Any]) -> int:
    """A (place in the plan, step) pair's place (`_Plan.answering`'s order)."""
    return pair[0]


def _bits_of(plan: _Plan, context: Context, question: str, *place: Any) -> int:
    """The bits of the rules asked by place whose `question` (`may_find_in_part` or
    `may_find_in_exercise`) says yes of `place` (its arguments before the context)."""
    may = 0
    for bit, rule, options in plan.by_place:
        context.options = options
        if getattr(rule, question)(*place, context):
            may |= bit
    return may


def _about(
    rules: list[tuple[Rule, dict[str, Any]]], index: int, protocol: Protocol, context: Context
) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """Every problem `rules` find in the protocol's exercise at `index`, and each one's rule's
    code."""
    exercise = protocol.exercises[index]
    codes: list[str] = []
    problems: list[Problem] = []
    for rule, options in rules:
        context.options = options
        for problem in rule.about_exercise(exercise, index, protocol, context):
            codes.append(rule.code)
            problems.append(problem)
    return tuple(codes), tuple(problems)


def _place(
    kept: tuple,
    rules: list[tuple[Rule, dict[str, Any]]],
    index: int,
    number: int,
    protocol: Protocol,
    context: Context,
    table: dict[Any, Any],
    codes: list[str],
    found: list[Problem],
) -> None:
    """Adds a kept answer about the exercise at `index` to `found` (and each problem's code to
    `codes`), moved to the exercise's place in this file; worked out again at this place (and
    kept for it) when its messages name the place it was worked out at (H371)."""
    place = exercise_place(protocol.exercises[index])
    problems = at_place(kept, place)
    if problems is not None:
        codes += kept[3]
        found += problems
    else:
        placed_key = (number, place)
        answer = table.get(placed_key)
        if answer is None:
            answer = _about(rules, index, protocol, context)
            _keep(context.memo, table, placed_key, answer)
        codes += answer[0]
        found += answer[1]


def _suppresses(suppression: Suppression, finding: Finding) -> bool:
    if finding.code != suppression.rule:
        return False
    at = suppression.at
    return at is None or finding.pointer == at or finding.pointer.startswith(at + "/")


def _unknown_rule_message(code: str) -> str:
    if code in SUPPRESSION_RULES:
        return f"{code} cannot be suppressed: fix the suppression instead"
    rule = RULES_BY_CODE.get(code)
    if rule is not None and not rule.can_be_suppressed:
        return (
            f"{code} ({rule.name}) keeps the patient safe and cannot be suppressed: change the "
            "protocol so that the finding goes"
        )
    return f"no lint rule {quoted(code)}; only lint rules can be suppressed (see: protokit rules)"


def pointer_exists(data: Any, pointer: str) -> bool:
    """True when the RFC 6901 `pointer` names a value in `data`."""
    if pointer == "":
        return True
    value = data
    for step in pointer_tokens(pointer):
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            if step != "0" and step.startswith("0"):
                return False
            value = value[int(step)]
        else:
            return False
    return True
