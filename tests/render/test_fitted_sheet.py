"""A screened, staged prescription's sheet (docs/examples/prescription-staged.json), read
back from the PDF with pdftotext: only the precautions that apply to this patient, their goals
and the next re-test, each stage's dosage and a log per stage, and on the clinician's page
the screening answers and the measures' baselines and targets."""

from __future__ import annotations

import pytest
from sheet_helpers import pdftotext, render

from conftest import PROTOCOLS, REPO

PRESCRIPTION = REPO / "docs" / "examples" / "prescription-staged.json"
HIP_ADVICE = "If you have had a hip replacement, only do this stretch"
PREGNANCY_ADVICE = "If you are pregnant, ask your therapist or midwife"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    pdf = render(
        PROTOCOLS / "psoas-stretch-glute-bridge.json",
        prescription=str(PRESCRIPTION),
        clinician=True,
    )
    pages = pdftotext(pdf, tmp_path_factory.mktemp("fitted"))
    return " ".join(" ".join(pages).split())  # one line: wrapped text reads as written


def test_only_the_precautions_the_answers_bring_in_are_printed(sheet):
    assert HIP_ADVICE in sheet  # answered yes
    assert PREGNANCY_ADVICE not in sheet  # answered no
    assert "If kneeling hurts your knee" in sheet  # not screened: always printed


def test_goals_in_the_patients_words_and_the_next_re_test(sheet):
    assert "Your goals" in sheet
    assert "Walk the dog round the park without stopping because of my back (by 2026-12-18)" in (
        sheet
    )
    assert "Next check of your progress: 2026-12-07 (pain score, Sit-to-stand" in sheet


def test_each_stage_has_its_dosage_and_its_entry_rule(sheet):
    assert sheet.count("Weeks 1–2 · rest 1 min between sets") == 1  # the bridge's first grid
    assert "Move on when: 10 bridges in each set feel easy" in sheet
    assert "Weeks 5–6 · rest 1 min between sets" in sheet
    bridge = sheet[sheet.index("2. Glute bridge") :]
    # In drawing order a grid reads cell by cell, each label with its value.
    assert "Sets 2 Repetitions 8 Hold 3 s" in bridge  # weeks 1-2
    later = bridge[bridge.index("Weeks 3–4 Move on") :]  # one stage after the other
    assert "Sets 2 Repetitions 10 Hold" in later  # weeks 3-4: 2 x 10
    last = later[later.index("Weeks 5–6 Move on") :]
    assert "Sets 3 Repetitions 10 Hold" in last  # weeks 5-6: 3 x 10


def test_stages_that_leave_an_exercise_unchanged_are_one_grid_on_its_card(sheet):
    # Every stage holds the stretch for 30 s: one grid for weeks 1-6, under no bridge's rule.
    # The example once named the stretch in stage 1 only, and its card printed the protocol's
    # 45 s for weeks 3-6 under "8 bridges ... feel easy" (RX013 now refuses that).
    stretch = sheet[sheet.index("1. Kneeling hip flexor stretch") : sheet.index("2. Glute bridge")]
    assert "Weeks 1–6 · rest 15 s between sets" in stretch
    assert "30 s" in stretch and "45 s" not in stretch
    assert "Weeks 3" not in stretch and "Weeks 5" not in stretch
    assert "Move on when" not in stretch and "bridges" not in stretch


def test_the_log_follows_the_stages(sheet):
    log = sheet[sheet.index("Weekly exercise log") : sheet.index("For the clinician")]
    # A later stage's heading says its rule is the rule for moving on: "Weeks 3–4: 8 bridges
    # in each set feel easy" read as the dosage for weeks 3-4 (which is 10 bridges).
    for heading in (
        "Weeks 1–2",
        "Weeks 3–4 Move on when: 8 bridges",
        "Weeks 5–6 Move on when: 10 bridges",
    ):
        assert heading in log
    assert "Weeks 3–4: 8" not in log and "Weeks 5–6: 10" not in log
    assert [f"Week {n} Sessions done" in log for n in range(1, 7)] == [True] * 6
    assert "Week 7" not in log
    # The pain guide's 0 to 10 scale once, with the first stage, not again for each stage.
    assert log.count("Pain guide") == 1


def test_the_clinician_page_records_answers_baselines_and_targets(sheet):
    page = sheet[sheet.index("For the clinician") :]
    assert "Have you had a hip replacement? – yes" in page
    assert "Are you pregnant? – no" in page
    assert "Oswestry Disability Index (ODI): baseline 34 % (2026-11-20), target 20 %" in page
    assert "risk group: medium" in page


def test_a_clinics_own_measure_is_printed_with_its_unit(sheet):
    """H1241: the example's sit-to-stand count was printed "baseline 9, target 12", its unit
    ("repetitions") dropped: 12 of what (seconds, metres?) is a clinic's own measure's unit."""
    page = sheet[sheet.index("For the clinician") :]
    assert (
        "Sit-to-stand repetitions in 30 seconds: baseline 9 repetitions (2026-11-20), "
        "target 12 repetitions; re-tests: 2026-12-07"
    ) in page


def test_measures_and_risk_groups_are_named_in_the_sheets_language(tmp_path):
    from sheet_helpers import rewrite_texts, self_contained

    path = rewrite_texts(
        tmp_path,
        self_contained(PROTOCOLS / "psoas-stretch-glute-bridge.json"),
        lambda s: f"Œuvre : {s}",
        "fr",
    )
    pdf = render(path, prescription=str(PRESCRIPTION), clinician=True, language="fr")
    sheet = " ".join(" ".join(pdftotext(pdf, tmp_path)).split())
    assert "Prochain bilan de vos progrès : 2026-12-07 (score de douleur," in sheet
    assert "groupe de risque : moyen" in sheet
    for english in ("pain score", "risk group", "medium", "psychosocial (distress)"):
        assert english not in sheet


@pytest.mark.parametrize("output_format", ["pdf", "html"])
def test_a_stages_own_intensity_is_printed_with_its_grid(tmp_path, output_format):
    """H1245: a stage's `intensity` was printed nowhere: the card said the exercise's own
    "How it should feel" for every stage, in the PDF and in the HTML sheet."""
    import json

    from sheet_helpers import pdftotext

    data = json.loads(PRESCRIPTION.read_text("utf-8"))
    data["stages"][2]["dosage"]["glute-bridge"]["intensity"] = "Squeeze harder <for> 5 s"
    rx = tmp_path / "rx.json"
    rx.write_text(json.dumps(data, indent=2), "utf-8")
    made = render(
        PROTOCOLS / "psoas-stretch-glute-bridge.json", prescription=str(rx),
        output_format=output_format,
    )  # fmt: skip
    if output_format == "pdf":
        text = " ".join(" ".join(pdftotext(made, tmp_path)).split())
    else:
        import html

        text = html.unescape(made.decode("utf-8"))
    assert "How it should feel: Squeeze harder <for> 5 s" in text
    assert text.count("Squeeze harder") == 1  # weeks 5-6 only, not the earlier stages
