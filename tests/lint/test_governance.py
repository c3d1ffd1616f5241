"""GOV001 review-overdue, GOV002 retired-protocol, GOV003 reviewer-is-author, GOV005
review-dates, GOV006 last-reviewed, GOV008 sign-off-identity (GOV004 has its own file: it
needs git)."""

import datetime as dt

from lint_helpers import codes, lint

from protocol_kit.lint.engine import LintSettings

SIGN_OFF = {
    "name": "B. Clinician",
    "profession": "physiotherapist",
    "registration": {"body": "HCPC", "number": "PH123456"},
    "date": "2026-01-12",
}


def signed(**changes):
    return {**SIGN_OFF, **changes}


def on(day):
    return LintSettings(today=day)


def test_review_overdue(tmp_path):
    findings = lint(tmp_path, settings=on(dt.date(2027, 2, 1)))
    assert codes(findings) == [("GOV001", "/next_review")]
    assert "due on 2027-01-10 (22 days ago)" in findings[0].message


def test_review_due_today_is_not_overdue(tmp_path):
    assert lint(tmp_path, settings=on(dt.date(2027, 1, 10))) == []


def test_retired_protocol_is_not_overdue_but_is_flagged(tmp_path):
    findings = lint(
        tmp_path, lambda d: d.update(status="retired"), settings=on(dt.date(2030, 1, 1))
    )
    assert codes(findings) == [("GOV002", "/status")]
    assert findings[0].severity.value == "warning"


def test_signed_off_by_an_author(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(name="a.  therapist"))

    findings = lint(tmp_path, change)
    assert codes(findings) == [("GOV003", "/sign_off/name")]
    assert findings[0].line is not None


def test_a_sign_off_that_names_nobody(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(
            name="x", profession="n/a", registration={"body": "TBD", "number": "tbc"}))  # fmt: skip

    # "x", "TBD" and "tbc" are placeholders too (TEXT003), found whatever else the file holds
    # since H989; "n/a" names nobody but is no placeholder.
    assert codes(lint(tmp_path, change)) == [
        ("GOV008", "/sign_off/name"),
        ("TEXT003", "/sign_off/name"),
        ("GOV008", "/sign_off/profession"),
        ("GOV008", "/sign_off/registration/body"),
        ("TEXT003", "/sign_off/registration/body"),
        ("GOV008", "/sign_off/registration/number"),
        ("TEXT003", "/sign_off/registration/number"),
    ]


def test_a_registration_number_needs_a_digit(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(registration={"body": "HCPC", "number": "PH"}))

    assert codes(lint(tmp_path, change)) == [("GOV008", "/sign_off/registration/number")]


def test_the_deprecated_reviewer_is_checked_too(tmp_path):
    def change(data):
        data.update(status="active", sign_off=SIGN_OFF)
        data["reviewer"] = {"name": "A. Therapist", "credentials": "PT"}

    assert codes(lint(tmp_path, change)) == [("GOV003", "/reviewer/name")]


def test_independent_sign_off_is_fine(tmp_path):
    assert lint(tmp_path, lambda d: d.update(status="active", sign_off=SIGN_OFF)) == []


def test_dates_in_the_future_or_reversed(tmp_path):
    def change(data):
        data.update(updated="2027-03-01", next_review="2027-01-01")

    assert codes(lint(tmp_path, change)) == [
        ("GOV005", "/updated"),
        ("GOV005", "/next_review"),
    ]


def test_sign_off_in_the_future(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(date="2027-05-01"))
        data["next_review"] = "2028-05-01"

    findings = lint(tmp_path, change)
    assert codes(findings) == [("GOV005", "/sign_off/date")]
    assert "in the future" in findings[0].message


def test_content_changed_after_its_sign_off(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(date="2026-01-05"))

    findings = lint(tmp_path, change)
    assert codes(findings) == [("GOV005", "/sign_off/date")]
    assert "changed (updated 2026-01-10) after it was signed off (2026-01-05)" in (
        findings[0].message
    )


def test_next_review_before_the_sign_off(tmp_path):
    def change(data):
        data.update(status="active", sign_off=signed(date="2026-01-15"))
        data["next_review"] = "2026-01-15"

    assert codes(lint(tmp_path, change, settings=on(dt.date(2026, 1, 15)))) == [
        ("GOV005", "/next_review")
    ]


def test_last_reviewed_on_a_draft_claims_a_review(tmp_path):
    def change(data):
        data["last_reviewed"] = data.pop("updated")

    findings = lint(tmp_path, change)
    assert codes(findings) == [("GOV006", "/last_reviewed")]
    assert "claims a review that has not happened" in findings[0].message
    assert findings[0].severity.value == "warning"


def test_an_older_active_file_still_validates_with_a_migration_warning(tmp_path):
    def change(data):
        data["last_reviewed"] = data.pop("updated")
        data.update(status="active", sign_off=signed(date="2026-01-10"))

    findings = lint(tmp_path, change)
    assert codes(findings) == [("GOV006", "/last_reviewed")]
    assert "sign_off" in findings[0].message
