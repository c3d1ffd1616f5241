"""A follow-up whose patient shares only the name with the earlier prescription (s38-hostile2,
H1466): one gives the date of birth, the other the record number, and another patient of the
same name passed in silence. The link is refused until the follow-up gives what the earlier
one gives, which then tells the patients apart (RX022, RX023)."""

from __future__ import annotations

from test_follows_link import _change, _validate, clinic  # noqa: F401 (the fixture)

ALEX = "prescriptions/alex.json"
FOLLOW_UP = "prescriptions/alex-2.json"


def _patients(folder, earlier, follow_up):
    _change(folder / ALEX, lambda d: d.update(patient=dict(earlier)))
    _change(folder / FOLLOW_UP, lambda d: d.update(patient=dict(follow_up)))
    return _validate(folder)


def test_a_name_alone_in_common_is_refused(clinic):  # noqa: F811
    result = _patients(
        clinic,
        {"name": "Sam Smith", "identifier": "EXAMPLE-0001"},
        {"name": "Sam Smith", "date_of_birth": "1950-01-01"},
    )
    assert result.code == 1
    assert (
        "error RX022 follows file 'alex.json' gives the patient's identifier and this "
        "prescription the date of birth, so only the name can be compared"
    ) in result.stdout


def test_the_earlier_ones_detail_given_decides(clinic):  # noqa: F811
    earlier = {"name": "Sam Smith", "identifier": "EXAMPLE-0001"}
    same = {"name": "Sam Smith", "date_of_birth": "1950-01-01", "identifier": "EXAMPLE-0001"}
    result = _patients(clinic, earlier, same)
    assert result.code == 0 and "RX022" not in result.stdout, result.stdout
    other = dict(same, identifier="EXAMPLE-0002")
    result = _patients(clinic, earlier, other)
    assert result.code == 1 and "another patient (its identifier differs)" in result.stdout
