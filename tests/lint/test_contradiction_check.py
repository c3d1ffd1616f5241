"""SAFE010 compares one place's precautions with another's contraindications from each
place's conditions summed up (the uncoded ones' names, all names, the coded ones): the answer
is the pairwise comparison `check` makes, item by item, for any items."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_kit.lint.rules._codings import same_codes
from protocol_kit.lint.rules._conditions import condition_names
from protocol_kit.lint.rules.contraindication_precaution import _conditions, _contradict

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
WHO = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"
# Codes that are the same condition, one within another, across systems, or unrelated.
CODINGS = [
    None,
    (ICD, "M54.50"),
    (ICD, "M54"),
    (ICD, "M81.0"),
    (WHO, "M54.5"),
    (WHO, "M81.0"),
    (SNOMED, "279039007"),
    (SNOMED, "64859006"),
    (SNOMED, "161891005"),
]
DESCRIPTIONS = [
    "Osteoporosis: avoid loaded flexion.",
    "Osteoporosis.",
    "Low back pain, with leg pain.",
    "Low back pain.",
    "Pregnancy: after 20 weeks.",
    "Recent surgery",
    "",
]


@st.composite
def items(draw):
    drawn = draw(st.lists(st.tuples(st.sampled_from(DESCRIPTIONS), st.sampled_from(CODINGS))))
    return tuple(
        SimpleNamespace(
            description=description,
            coding=None if coded is None else SimpleNamespace(system=coded[0], code=coded[1]),
        )
        for description, coded in drawn
    )


def pairwise(precautions, contraindications) -> bool:
    """The comparison `check` makes (contraindication_precaution.py), item by item."""
    for precaution in precautions:
        for contraindication in contraindications:
            same = None
            if precaution.coding is not None and contraindication.coding is not None:
                same = same_codes(
                    (precaution.coding.system, precaution.coding.code),
                    (contraindication.coding.system, contraindication.coding.code),
                )
            if same is None:
                same = bool(
                    condition_names(precaution.description)
                    & condition_names(contraindication.description)
                )
            if same:
                return True
    return False


def summed_up(precautions, contraindications) -> bool:
    mine, theirs = _conditions(precautions), _conditions(contraindications)
    return mine is not None and theirs is not None and _contradict(mine, theirs)


@settings(max_examples=500, deadline=None)
@given(items(), items())
def test_summed_up_conditions_compare_as_each_pair(precautions, contraindications):
    assert summed_up(precautions, contraindications) == pairwise(precautions, contraindications)


def test_the_comparison_can_say_both():
    # Codes decide over names where both are coded and comparable; names decide elsewhere.
    def one(description, coded=None):
        coding = None if coded is None else SimpleNamespace(system=coded[0], code=coded[1])
        return (SimpleNamespace(description=description, coding=coding),)

    assert summed_up(one("Osteoporosis."), one("Osteoporosis: take care."))
    assert not summed_up(one("Osteoporosis.", (ICD, "M81.0")), one("Osteoporosis.", (ICD, "M54")))
    assert summed_up(one("Back pain.", (ICD, "M54")), one("Low back pain.", (ICD, "M54.50")))
    assert summed_up(one("Osteoporosis.", (ICD, "M81.0")), one("Osteoporosis."))
    assert not summed_up(one("Pregnancy."), one("Recent surgery"))
