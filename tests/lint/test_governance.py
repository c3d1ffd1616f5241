"""GOV001 review-overdue, GOV002 retired-protocol, GOV003 reviewer-is-author, GOV005
review-dates (GOV004 has its own file: it needs git)."""

import datetime as dt

from lint_helpers import codes, lint

from protocol_kit.lint.engine import LintSettings

REVIEWER = {"name": "B. Clinician", "credentials": "Physiotherapist"}


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


def test_reviewer_who_is_an_author(tmp_path):
    def change(data):
        data.update(status="active", reviewer={"name": "a.  therapist", "credentials": "PT"})

    assert codes(lint(tmp_path, change)) == [("GOV003", "/reviewer/name")]


def test_independent_reviewer_is_fine(tmp_path):
    assert lint(tmp_path, lambda d: d.update(status="active", reviewer=REVIEWER)) == []


def test_review_dates_in_the_future_or_reversed(tmp_path):
    def change(data):
        data.update(last_reviewed="2027-03-01", next_review="2027-01-01")

    assert codes(lint(tmp_path, change)) == [
        ("GOV005", "/last_reviewed"),
        ("GOV005", "/next_review"),
    ]
