"""The configuration's fast path (no cerberus for a plainly written table) gives exactly what
cerberus gives, and leaves everything else to cerberus: its coercions and its messages."""

from __future__ import annotations

import pytest

from protocol_kit.config import CONFIG_SCHEMA, _config_validator, _plain_values, validate_config
from protocol_kit.errors import ConfigError

PLAIN = [
    {},
    {"clinic": {"name": "Example Clinic", "phone": "01632 960000", "emergency_number": "999"}},
    {
        "library": [],
        "exclude": ["drafts/*"],
        "lint": {
            "select": ["DOSE", "SAFE001"],
            "ignore": ["GOV"],
            "severity": {"DOSE002": "error"},
            "warnings_as_errors": True,
            "options": {"TEXT001": {"max_grade": 7}},
            "bounds": {"strengthening": {"sets": [1, 4, 6], "repetitions": [None, 15, 30.5]}},
        },
        "clinic": {
            "address": ["1 High Street", "Leeds"],
            "emergency_place": {"en": "the emergency department", "fr": "les urgences"},
            "email": "front.desk@clinic.example",
            "accent": "#336699",
            "paper": "Letter",
            "language": "en-GB",
        },
        "bundle": {"trust": "trust.toml"},
        "fhir": {"canonical_base": "https://fhir.clinic.example"},
    },
]

# Valid, but cerberus changes them (coercion), or invalid: the fast path must not answer.
NOT_PLAIN = [
    {"clinic": {"address": "1 High Street\nLeeds"}},
    {"clinic": {"paper": "a4"}},
    {"clinic": {"phone": "TBD"}},
    {"clinic": {"accent": "blue"}},
    {"clinic": {"name": ""}},
    {"lint": {"severity": {"dose002": "error"}}},
    {"lint": {"severity": {"DOSE002": "fatal"}}},
    {"lint": {"warnings_as_errors": 1}},
    {"lint": {"bounds": {"strengthening": {"sets": [1, 4]}}}},
    {"lint": {"bounds": {"strengthening": {"sets": [True, 4, 6]}}}},
    {"lint": {"bounds": {"strengthening": {"sets": [-1, 4, 6]}}}},
    {"lint": {"bounds": {"walking": {"sets": [1, 4, 6]}}}},
    {"telephone": "01632 960000"},
    {"tool": {"protokit": {}}},
    {"library": "library"},
    {"exclude": [""]},
]


def cerberus_values(table):
    validator = _config_validator()(CONFIG_SCHEMA)
    assert validator.validate(table), validator.errors
    return validator.document


@pytest.mark.parametrize("table", PLAIN)
def test_a_plain_table_gets_what_cerberus_makes_of_it(table):
    assert _plain_values(table) == cerberus_values(table)


@pytest.mark.parametrize("table", NOT_PLAIN)
def test_anything_else_is_left_to_cerberus(table):
    assert _plain_values(table) is None


def test_coercion_and_messages_still_come_from_cerberus():
    assert (
        validate_config({"clinic": {"paper": "letter"}}, "protokit.toml")["clinic"]["paper"]
        == "Letter"
    )
    with pytest.raises(ConfigError, match="must be a telephone number"):
        validate_config({"clinic": {"phone": "TBD"}}, "protokit.toml")
