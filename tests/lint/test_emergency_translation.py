"""SAFE018 (the thirty-fifth sitting's second clinical round, H1725-H1727): a translation of a
text sent to the emergency department or the maternity unit that puts it off, sends the
patient to a lower place, or leaves out the emergency number or its "now" is an error that
stops the sheet, in each language with words for it; a correct translation, and a less urgent
item put off to tomorrow (SAFE015's warning), stay quiet."""

import json

import pytest
from lint_helpers import lint, minimal, only
from test_clinical_twelfth_sitting import _each_text

from conftest import run_protokit


def in_language(language, where, english, translation, action=None):
    """The minimal protocol in English and `language`, the text at `where` given in both
    (every other text in `language` as the English); the red flag's box set to `action`."""

    def change(data):
        data["translations"] = [language]
        _each_text(data, lambda value: {"en-GB": value, language: value})
        where(data)["en-GB"], where(data)[language] = english, translation
        if action is not None:
            data["safety"]["red_flags"][0]["action"] = action

    return change


def chest_pain(data):  # in the emergency box
    return data["safety"]["red_flags"][0]["text"]


def back_pain_with_fever(data):  # in the urgent box
    return data["safety"]["red_flags"][10]["text"]


def general_advice(data):
    return data["safety"]["general_advice"][0]


CALL_NOW = "Chest pain or tightness: call 999 now."
CALL = "Chest pain or tightness: call 999."
A_AND_E_NOW = "Chest pain or tightness: go to A&E now."

# Each language with words for it: a correct translation of CALL_NOW, then CALL put off to
# tomorrow, A_AND_E_NOW sent to the GP or physiotherapist, and CALL_NOW without its number.
LANGUAGES = {
    "fr": (
        "Douleur ou oppression dans la poitrine : appelez le 999 maintenant.",
        "Douleur ou oppression dans la poitrine : appelez le 999 demain.",
        "Douleur ou oppression dans la poitrine : allez chez votre médecin maintenant.",
        "Douleur ou oppression dans la poitrine : appelez les urgences maintenant.",
    ),
    "es": (
        "Dolor u opresión en el pecho: llame al 999 ahora.",
        "Dolor u opresión en el pecho: llame al 999 mañana.",
        "Dolor u opresión en el pecho: vaya a su fisioterapeuta ahora.",
        "Dolor u opresión en el pecho: llame a urgencias ahora.",
    ),
    "de": (
        "Schmerzen oder Engegefühl in der Brust: rufen Sie jetzt 999 an.",
        "Schmerzen oder Engegefühl in der Brust: rufen Sie morgen 999 an.",
        "Schmerzen oder Engegefühl in der Brust: gehen Sie jetzt zu Ihrem Hausarzt.",
        "Schmerzen oder Engegefühl in der Brust: rufen Sie jetzt den Notruf an.",
    ),
    "it": (
        "Dolore o oppressione al petto: chiami subito il 999.",
        "Dolore o oppressione al petto: chiami il 999 domani.",
        "Dolore o oppressione al petto: vada subito dal suo medico.",
        "Dolore o oppressione al petto: chiami subito il pronto soccorso.",
    ),
    "pt": (
        "Dor ou aperto no peito: ligue agora para o 999.",
        "Dor ou aperto no peito: ligue para o 999 amanhã.",
        "Dor ou aperto no peito: vá agora ao seu fisioterapeuta.",
        "Dor ou aperto no peito: ligue agora para a emergência.",
    ),
    "pl": (
        "Ból lub ucisk w klatce piersiowej: zadzwoń teraz pod numer 999.",
        "Ból lub ucisk w klatce piersiowej: zadzwoń pod numer 999 jutro.",
        "Ból lub ucisk w klatce piersiowej: idź teraz do swojego lekarza.",
        "Ból lub ucisk w klatce piersiowej: wezwij teraz karetkę.",
    ),
    "el": (
        "Πόνος ή σφίξιμο στο στήθος: καλέστε τώρα το 999.",
        "Πόνος ή σφίξιμο στο στήθος: καλέστε το 999 αύριο.",
        "Πόνος ή σφίξιμο στο στήθος: πηγαίνετε τώρα στον γιατρό σας.",
        "Πόνος ή σφίξιμο στο στήθος: καλέστε τώρα ασθενοφόρο.",
    ),
}


def safe018(tmp_path, change):
    return only(lint(tmp_path, change), "SAFE018")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_emergency_put_off_to_tomorrow_is_an_error(tmp_path, language):
    findings = safe018(tmp_path, in_language(language, chest_pain, CALL, LANGUAGES[language][1]))
    assert [(f.pointer, f.severity.value) for f in findings] == [
        (f"/safety/red_flags/0/text/{language}", "error")
    ]
    assert "puts it off to later" in findings[0].message
    assert findings[0].message.startswith(f"the {language} translation of red flag ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_emergency_sent_to_a_lower_place_is_an_error(tmp_path, language):
    change = in_language(language, chest_pain, A_AND_E_NOW, LANGUAGES[language][2])
    findings = safe018(tmp_path, change)
    assert [f.pointer for f in findings] == [f"/safety/red_flags/0/text/{language}"]
    assert "sends the patient to" in findings[0].message
    assert "instead of the emergency department or number" in findings[0].message
    assert "later" not in findings[0].message and '"now"' not in findings[0].message


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_emergency_without_its_number_is_an_error(tmp_path, language):
    change = in_language(language, chest_pain, CALL_NOW, LANGUAGES[language][3])
    findings = safe018(tmp_path, change)
    assert [f.pointer for f in findings] == [f"/safety/red_flags/0/text/{language}"]
    assert findings[0].message.count("leaves out") == 1
    assert 'leaves out "999"' in findings[0].message


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_correct_translation_is_no_finding(tmp_path, language):
    change = in_language(language, chest_pain, CALL_NOW, LANGUAGES[language][0])
    assert safe018(tmp_path, change) == []


def test_the_review_case_names_every_change(tmp_path):
    # Hidden case 15 of the thirty-fifth sitting's clinical review.
    french = "Douleur dans la poitrine : appelez la clinique demain."
    findings = safe018(tmp_path, in_language("fr", chest_pain, "Chest pain: call 999 now.", french))
    assert [f.message for f in findings] == [
        'the fr translation of red flag "Chest pain: call 999 now." (\'emergency\') leaves out '
        '"999"; sends the patient to "clinique" instead of the emergency department or number; '
        'leaves out "now" (or "straight away"); puts it off to later ("demain"): the patient who '
        "reads the sheet in fr would not go there now; translate where and when to go as the "
        "original says"
    ]


@pytest.mark.parametrize(
    "french",
    [
        # The other direction: a lower place in the translation's own words, no delay word.
        "Si votre genou devient chaud et rouge, appelez votre kinésithérapeute.",
        "Si votre genou devient chaud et rouge, parlez-en à votre kiné.",
    ],
)
def test_an_emergency_sent_to_the_physiotherapist_without_a_delay_is_an_error(tmp_path, french):
    english = "If your knee becomes hot and red, call 999."
    findings = safe018(tmp_path, in_language("fr", chest_pain, english, french))
    assert len(findings) == 1
    assert "sends the patient to" in findings[0].message


def test_a_red_flag_whose_box_is_its_only_place_is_read_too(tmp_path):
    # The English names no place: the box prints "Call 999 or go to ...".
    english = "Chest pain, tightness or pressure."
    french = "Douleur ou oppression dans la poitrine : appelez votre kinésithérapeute."
    findings = safe018(tmp_path, in_language("fr", chest_pain, english, french))
    assert len(findings) == 1 and '"kinésithérapeute"' in findings[0].message
    quiet = "Douleur, oppression ou serrement dans la poitrine."
    assert safe018(tmp_path, in_language("fr", chest_pain, english, quiet)) == []


def test_advice_whose_english_calls_999_is_read_too(tmp_path):
    english = "If you get chest pain, call 999 now."
    french = "Si vous avez mal à la poitrine, appelez votre kinésithérapeute demain."
    findings = safe018(tmp_path, in_language("fr", general_advice, english, french))
    assert [f.pointer for f in findings] == ["/safety/general_advice/0/fr"]
    right = "Si vous avez mal à la poitrine, appelez le 999 maintenant."
    assert safe018(tmp_path, in_language("fr", general_advice, english, right)) == []


def test_a_maternity_item_sent_to_the_physiotherapist_is_an_error(tmp_path):
    english = "Bleeding from your vagina: call your midwife or maternity unit straight away."
    wrong = "Saignement vaginal : appelez votre kinésithérapeute tout de suite."
    findings = safe018(tmp_path, in_language("fr", chest_pain, english, wrong, "maternity"))
    assert len(findings) == 1
    assert "instead of the maternity unit or the emergency" in findings[0].message
    right = "Saignement vaginal : appelez votre sage-femme ou la maternité tout de suite."
    assert safe018(tmp_path, in_language("fr", chest_pain, english, right, "maternity")) == []


@pytest.mark.parametrize(
    ("where", "english", "french"),
    [
        # A less urgent item put off keeps SAFE015's warning, not this error.
        (
            back_pain_with_fever,
            "Back pain with a fever: see a doctor today.",
            "Mal de dos avec de la fièvre : consultez un médecin demain.",
        ),
        (
            general_advice,
            "If it still aches, tell your physiotherapist.",
            "Si cela fait encore mal demain, dites-le à votre kinésithérapeute.",
        ),
        # Words the original has too are not put in by the translation.
        (
            general_advice,
            "If you get chest pain, call 999 now, then tell your physiotherapist.",
            "Si vous avez mal à la poitrine, appelez le 999 maintenant, puis prévenez votre "
            "kinésithérapeute.",
        ),
        (
            general_advice,
            "If you get chest pain, do not wait for your next appointment: call 999 now.",
            "Si vous avez mal à la poitrine, n'attendez pas votre prochain rendez-vous : "
            "appelez le 999 tout de suite.",
        ),
    ],
)
def test_less_urgent_items_and_words_the_original_has_are_no_finding(
    tmp_path, where, english, french
):
    assert safe018(tmp_path, in_language("fr", where, english, french)) == []


def test_the_less_urgent_item_put_off_keeps_its_warning(tmp_path):
    english, french = "Back pain with a fever: see a doctor today.", "Mal de dos : médecin demain."
    findings = lint(tmp_path, in_language("fr", back_pain_with_fever, english, french))
    assert [(f.code, f.severity.value) for f in findings if f.code.startswith("SAFE01")] == [
        ("SAFE015", "warning")
    ]


def test_a_language_without_words_is_not_compared():
    from protocol_kit.lint.rules._emergency_translation import emergency_changed

    finnish = "Rintakipu: soita huomenna."
    assert emergency_changed(CALL_NOW, "en-GB", finnish, "fi", "emergency") is None


def _written(tmp_path, french):
    data = minimal()
    in_language("fr", chest_pain, "Chest pain: call 999 now.", french)(data)
    path = tmp_path / "protocol.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_validate_refuses_the_translation(tmp_path):
    path = _written(tmp_path, "Douleur dans la poitrine : appelez la clinique demain.")
    result = run_protokit("validate", str(path))
    assert result.code != 0
    lines = [line for line in result.stdout.splitlines() if "SAFE018" in line]
    assert len(lines) == 1
    assert "error" in lines[0] and "/safety/red_flags/0/text/fr" in lines[0]
    assert "puts it off to later" in lines[0]


def test_render_in_french_is_refused_and_writes_no_sheet(tmp_path):
    path = _written(tmp_path, "Douleur dans la poitrine : appelez la clinique demain.")
    output = tmp_path / "sheet.pdf"
    result = run_protokit("render", str(path), "--language", "fr", "-o", str(output))
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"protokit: error: {path}:")
    assert ": the fr translation of red flag " in result.stderr
    assert 'puts it off to later ("demain")' in result.stderr
    assert not output.exists()
    right = _written(tmp_path, "Douleur dans la poitrine : appelez le 999 maintenant.")
    assert run_protokit("validate", str(right)).code == 0


@pytest.mark.parametrize(
    ("language", "translation"),
    [
        # A medicine is no pharmacy, "therapeutic" no therapist: a sign's own words stay quiet.
        ("it", "Se batte la testa mentre prende un farmaco anticoagulante."),
        ("el", "Αν χτυπήσετε το κεφάλι σας ενώ παίρνετε φαρμακευτική αγωγή για το αίμα."),
        ("es", "Si se golpea la cabeza mientras toma un fármaco anticoagulante."),
        ("fr", "Si vous vous cognez la tête en prenant un médicament anticoagulant."),
    ],
)
def test_a_sign_told_in_its_own_words_is_no_finding(tmp_path, language, translation):
    english = "If you knock your head while taking a blood thinner."
    assert safe018(tmp_path, in_language(language, chest_pain, english, translation)) == []
