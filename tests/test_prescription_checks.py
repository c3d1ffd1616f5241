"""What a prescription's schema cannot say: dates in order, a plausible date of birth, no TODO
left. Each is an error at the field, so that `validate` gives its line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from protocol_kit.findings import Finding
from protocol_kit.prescription import birth_date_problem, date_findings, prescription_findings
from protocol_kit.suggestions import closest_name

TODAY = dt.date(2026, 11, 23)


def prescription(**changes):
    data = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": "back-basics"},
        "patient": {"name": "Sam Example", "date_of_birth": "1970-05-01"},
        "therapist": {"name": "A. Therapist", "credentials": "Physiotherapist"},
        "date": "2026-11-20",
        "start_date": "2026-11-21",
    }
    data.update(changes)
    return data


def measure_with_target(by):
    return {"measure": "odi", "baseline": {"value": 40}, "target": {"value": 20, "by": by}}


def messages(data):
    return [(f.code, f.pointer, f.message) for f in date_findings(data, TODAY)]


def test_dates_in_order_are_accepted_including_the_same_day():
    same_day = prescription(start_date="2026-11-20", review_date="2026-11-20")
    assert messages(same_day) == []


def test_a_programme_cannot_start_before_it_is_prescribed():
    assert messages(prescription(start_date="2026-11-19")) == [
        (
            "RX001",
            "/start_date",
            "start_date 2026-11-19 is before date 2026-11-20: the programme would start before "
            "it was prescribed; check the dates",
        )
    ]


@pytest.mark.parametrize("review", ["2026-11-20", "2026-10-01"])
def test_a_review_before_the_start_is_reported_once(review):
    found = messages(prescription(review_date=review))
    assert [(code, pointer) for code, pointer, _ in found] == [("RX001", "/review_date")]
    assert "before start_date 2026-11-21" in found[0][2]


def test_a_review_before_the_prescription_date_when_the_start_is_wrong_too():
    found = messages(prescription(start_date="2026-11-01", review_date="2026-11-10"))
    assert [pointer for _, pointer, _ in found] == ["/start_date", "/review_date"]


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        # A year mistyped (2099 for 2026, H1041): the sheet would tell the patient to start then.
        (
            {"date": "2099-11-20", "start_date": "2099-11-21", "patient": {"name": "S"}},
            [("/date", "is in the future")],
        ),
        (
            {"date": "1899-11-20", "start_date": "1899-11-21", "patient": {"name": "S"}},
            [("/date", "is more than 120 years ago")],
        ),
        ({"start_date": "2099-11-21"}, [("/start_date", "is more than a year after")]),
        ({"review_date": "2027-11-21"}, [("/review_date", "is more than a year after")]),
        # Within bounds: a day ahead (another time zone), a review on the same day a year on.
        ({"date": "2026-11-24", "start_date": "2026-11-24"}, []),
        ({"review_date": "2027-11-20"}, []),
        ({"date": "2024-02-29", "start_date": "2024-03-01", "review_date": "2025-03-01"}, []),
        # A goal's or a measure's target's date mistyped (the twenty-seventh sitting, H1096).
        (
            {"goals": [{"text": "Walk to the shop.", "by": "2099-01-10"}]},
            [("/goals/0/by", "goal date 2099-01-10 is more than 2 years after")],
        ),
        (
            {"goals": [{"text": "a", "by": "2027-01-10"}, {"text": "b", "by": "2028-11-21"}]},
            [("/goals/1/by", "more than 2 years after the prescription's date 2026-11-20")],
        ),
        (
            {
                "measures": [
                    {"measure": "odi", "baseline": {"value": 40}},
                    measure_with_target("2027-11-21"),
                ]
            },
            [("/measures/1/target/by", "target date 2027-11-21 is more than a year after")],
        ),
        # A goal two years on and a target a year on, to the day, pass; so does none at all.
        ({"goals": [{"text": "Run again.", "by": "2028-11-20"}, {"text": "No date."}]}, []),
        ({"measures": [measure_with_target("2027-11-20")]}, []),
    ],
)
def test_a_date_with_a_mistyped_year(changes, found):
    reported = messages(prescription(**changes))
    assert [(code, pointer) for code, pointer, _ in reported] == [
        ("RX020", pointer) for pointer, _ in found
    ]
    assert all(
        problem in message for (_, problem), (*_, message) in zip(found, reported, strict=True)
    )


@pytest.mark.parametrize(
    "birth, problem",
    [
        (dt.date(2026, 11, 24), "date_of_birth 2026-11-24 is in the future: check the year"),
        (
            dt.date(2026, 11, 21),
            "date_of_birth 2026-11-21 is after the prescription's date 2026-11-20: check the year",
        ),
        (
            dt.date(1905, 11, 20),
            "date_of_birth 1905-11-20 would make the patient 121 years old on 2026-11-20 (more "
            "than 120): check the year",
        ),
        (dt.date(1906, 11, 20), None),  # 120 on the day
        (dt.date(1905, 11, 21), None),  # 120 until the next day
        (dt.date(2026, 11, 20), None),  # a newborn
    ],
)
def test_date_of_birth(birth, problem):
    assert birth_date_problem(birth, dt.date(2026, 11, 20), TODAY) == problem


def test_a_placeholder_stands_in_for_the_schema_complaint_about_the_same_value():
    data = prescription(patient={"name": "TODO: the name", "date_of_birth": "TODO: YYYY-MM-DD"})
    schema_says = [
        Finding("", "SCHEMA002", "is not a date", pointer="/patient/date_of_birth"),
    ]
    found = prescription_findings(data, schema_says, TODAY)
    assert [(f.code, f.pointer) for f in found] == [
        ("RX003", "/patient/name"),
        ("RX003", "/patient/date_of_birth"),
    ]


def test_other_schema_problems_stop_the_date_checks():
    data = prescription(start_date="2026-01-01")
    other = [Finding("", "SCHEMA002", "unknown field", pointer="/x")]
    assert prescription_findings(data, other, TODAY) == other


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("hold", "hold_seconds"),
        ("reps", "repetitions"),
        ("rest", "rest_seconds"),
        ("set", "sets"),
        ("stop_criterea", "stop_criteria"),
        ("chin-tuk", "chin-tuck"),
        ("xyz", None),
        ("se", None),  # too short to say
    ],
)
def test_suggestions(typed, meant):
    known = [
        "sets",
        "repetitions",
        "hold_seconds",
        "rest_seconds",
        "sessions_per_day",
        "stop_criteria",
        "chin-tuck",
        "side",
    ]
    assert closest_name(typed, known) == meant
