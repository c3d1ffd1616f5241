"""Answers of rules called for every file that read only the protocol's shared part, kept with
the part (`lint.base.part_answer`, issue 17, twenty-second sitting): SAFE013's pain bands,
CODE004's and the coding rules' look at the protocol's own codings, SAFE001's and SAFE010's
own conditions, DOSE005's frequencies said. A file whose part differs in what one of them
reads gets its own findings, in a run that shares parts as `protokit validate` does, in any
order; the others are not given them."""

from __future__ import annotations

from lint_helpers import TODAY, findings_of, variant_files

from protocol_kit.app.check import CheckOptions, FileChecker
from protocol_kit.lint.engine import Linter, LintSettings

SETTINGS = LintSettings(today=TODAY)


def _band(data):
    data["safety"]["pain_guide"]["amber"] = "Moderate pain: do more repetitions to work through it."


def _display(data):
    data["indications"][0]["display"] = "Neck pain"


def _contraindicated(data):
    data["safety"]["contraindications"] = [{"description": "Low back pain: not this programme."}]


def _contradicting(data):
    data["safety"]["contraindications"] = [
        {"description": "Osteoporosis: loaded flexion may fracture a vertebra."}
    ]
    data["exercises"][0]["precautions"] = [
        {
            "description": "Osteoporosis: keep the movement small.",
            "patient_advice": "Move gently and stop if it hurts.",
        }
    ]


def _frequency(data):
    data["safety"]["general_advice"] = ["Do the whole programme three times a day."]


# Each variant, and the finding only its files have.
VARIANTS = {
    "plain": (None, None),
    "band": (_band, "SAFE013"),
    "display": (_display, "CODE004"),
    "contraindicated": (_contraindicated, "SAFE001"),
    "contradicting": (_contradicting, "SAFE010"),
    "frequency": (_frequency, "DOSE005"),
}


def test_each_file_gets_the_answers_of_its_own_part(tmp_path):
    paths = variant_files(tmp_path, {name: change for name, (change, _) in VARIANTS.items()}, 3)
    alone = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),)))
    expected = {path: findings_of(alone, path) for path in paths}
    for path, found in expected.items():
        name = path.rsplit("/", 1)[1].split("-")[0]
        codes = {code for code, _, _ in found}
        for variant, (_, code) in VARIANTS.items():
            if code is not None:
                assert (code in codes) == (variant == name), (path, found)
    for order in (paths, paths[::-1]):
        shared = FileChecker(CheckOptions(hooks=(Linter(SETTINGS),), share_parts=True))
        for path in order:
            assert findings_of(shared, path) == expected[path], path
