import datetime as dt

from lint_helpers import ICD, codes, coding, lint

from protocol_kit.terminology import icd10cm


def indication(code, display):
    return lambda data: data.update(indications=[coding(ICD, code, display)])


def test_code_not_in_the_list(tmp_path):
    findings = lint(tmp_path, indication("M54.55", "Low back pain"))
    assert codes(findings) == [("CODE001", "/indications/0")]
    assert findings[0].message.startswith("M54.55 is not an ICD-10-CM code (code list ")
    assert (findings[0].line, findings[0].column) == (19, 5)  # the object in the list


def test_retired_code_names_its_replacements(tmp_path, monkeypatch):
    # The shipped table has no code that left the list entirely (see icd10cm.RETIRED); this
    # checks the message such an entry produces.
    retired = icd10cm.Retirement(dt.date(2020, 10, 1), ("M99.01", "M99.02"), "split")
    monkeypatch.setitem(icd10cm.RETIRED, "M99.99", retired)
    findings = lint(tmp_path, indication("M99.99", "Old code"))
    assert codes(findings) == [("CODE001", "/indications/0")]
    assert "M99.99 was retired on 2020-10-01 (split): use M99.01 or M99.02" in findings[0].message


def test_real_code_is_fine(tmp_path):
    assert lint(tmp_path, indication("G83.4", "Cauda equina syndrome")) == []
