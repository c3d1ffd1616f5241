"""What the patient's sheet leaves to the clinician's copy, held as a decision, never a silent
loss (docs/sheets.md, "What the patient's sheet prints, and why"): each exercise's harder
version is not on the patient's sheet, in the PDF or in its HTML twin, and the clinician's
copy (`render --clinician`) prints every one of them, in both formats. Its tips stay on the
patient's sheet: some of them are safety statements ("never on bone", "never pain")."""

from __future__ import annotations

import pytest
from sheet_helpers import (
    EXAMPLES,
    clinicians_copy_only,
    contains_words,
    html_text,
    pdftotext,
    render,
)

from protocol_kit.app.check import load_protocol
from protocol_kit.sheet.wording import wording_for

LABEL = "harder"  # the word that introduces it: "Harder version (progression, at a review)"


def printed(path, tmp_path, output_format: str, clinician: bool) -> str:
    data = render(path, output_format=output_format, clinician=clinician)
    if output_format == "html":
        return html_text(data)
    return "\n".join(pdftotext(data, tmp_path))


@pytest.mark.parametrize("output_format", ["pdf", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_harder_versions_are_on_the_clinicians_copy_only(path, tmp_path, output_format):
    protocol = load_protocol(str(path))
    left_out = clinicians_copy_only(protocol)
    assert left_out, "every example has harder versions: the test must see some"
    patient = printed(path, tmp_path, output_format, clinician=False)
    clinician = printed(path, tmp_path, output_format, clinician=True)
    assert [t for t in left_out if contains_words(patient, t)] == []
    assert [t for t in left_out if not contains_words(clinician, t)] == []
    label = wording_for("en")[LABEL]
    assert label not in patient
    assert label in clinician
    # The tips are the patient's: every one on both copies.
    tips = [t.get(protocol.language) for e in protocol.exercises for t in e.cues]
    assert tips
    assert [t for t in tips if not contains_words(patient, t)] == []


@pytest.mark.parametrize("output_format", ["pdf", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_clinicians_copy_says_the_patients_sheet_leaves_them_out(path, tmp_path, output_format):
    # A clinician who reads the harder versions on their copy must not assume the patient has
    # them: the clinician's page says so, beside the protocol's rule for moving on (CERT 7a).
    protocol = load_protocol(str(path))
    rule = protocol.delivery.progression_rule
    assert rule
    words = wording_for("en")
    patient = printed(path, tmp_path, output_format, clinician=False)
    clinician = printed(path, tmp_path, output_format, clinician=True)
    for text in (words["moving_on"], words["harder_not_on_sheet"], rule):
        assert contains_words(clinician, text), text
        assert not contains_words(patient, text), text
