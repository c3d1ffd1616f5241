"""docs/languages.md is followed as a therapist would (s23-users): the walkthrough's finished
protocol is given a French version step by step, and every line the page shows is what
`protokit` prints; a therapist adding a second language met "no 'fr' version of this text"
with no word of how to write one, nor of the library exercises it also needed."""

from __future__ import annotations

import json
import re
import shutil

from conftest import CASES, REPO, run_protokit

DOC = REPO / "docs" / "languages.md"
FINISHED = REPO / "docs" / "examples" / "walkthrough"


def shown_lines() -> list[str]:
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    return [line for kind, block in blocks if not kind for line in block.splitlines()]


def json_blocks() -> list[str]:
    return re.findall(r"^```json\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)


def declare_french(path) -> None:
    """Step 1 as the page says: one line added after `language`, the file otherwise as is."""
    text = path.read_text(encoding="utf-8")
    line = '"language": "en-GB",\n'
    at = text.index(line) + len(line)
    indent = re.search(r'\n( *)"language"', text).group(1)
    path.write_text(f'{text[:at]}{indent}"translations": ["fr"],\n{text[at:]}', encoding="utf-8")


def translated(path, folder) -> None:
    """Step 2: every text validate lists, written as one entry per language."""
    report = run_protokit("validate", "-f", "json", path.name, cwd=path.parent)
    pointers = [
        f["pointer"]
        for f in json.loads(report.stdout)["files"][0]["findings"]
        if f["code"] == "I18N001" and "library exercise" not in f["message"]
    ]
    assert pointers
    document = json.loads(path.read_text(encoding="utf-8"))
    for pointer in pointers:
        *parents, last = pointer.split("/")[1:]
        place = document
        for part in parents:
            place = place[int(part)] if isinstance(place, list) else place[part]
        key = int(last) if isinstance(place, list) else last
        place[key] = {"en-GB": place[key], "fr": f"(fr) {place[key]}"}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_page_is_followed_from_one_language_to_a_french_sheet(tmp_path):
    folder = tmp_path / "clinic-protocols"
    shutil.copytree(FINISHED, folder)
    protocol = folder / "neck-stiffness.json"
    page = shown_lines()

    declare_french(protocol)
    first = run_protokit("validate", "neck-stiffness.json", cwd=folder)
    assert first.code == 1
    title = next(line for line in first.stdout.splitlines() if line.endswith("[/title]"))
    assert title in page
    assert '{"en-GB": "...", "fr": "..."}' in title

    translated(protocol, folder)
    second = run_protokit("validate", "neck-stiffness.json", cwd=folder)
    assert second.code == 1
    library = second.stdout.splitlines()  # the library file named from the folder, as typed
    assert len(library) == 2 and library[0] in page, library
    assert "write them in that file (its \"translations\" names 'fr' too)" in library[0]

    for name in ("chin-tuck", "upper-trapezius-stretch"):
        exercise = folder / "library" / f"{name}.json"
        declare_french(exercise)
        translated(exercise, folder)
    assert run_protokit("validate", ".", cwd=folder).code == 0
    # Step 4: the prescription's English note is refused on the French sheet, as the page
    # shows (s24-users, H835: it was printed in English among the French texts)...
    prescription = folder / "prescriptions" / "alex-example.json"
    refused = run_protokit("render", "neck-stiffness.json", "--prescription",
                           "prescriptions/alex-example.json", "--language", "fr", "-o",
                           "alex-fr.pdf", cwd=folder)  # fmt: skip
    assert refused.code == 2
    assert refused.stderr.removeprefix("protokit: error: ").rstrip("\n") in page
    assert not (folder / "alex-fr.pdf").exists()
    # ... and printed once written in French, as the page's JSON shows.
    french_note = json.loads(json_blocks()[-1].strip().rstrip(",").join("{}"))["notes"]
    data = json.loads(prescription.read_text(encoding="utf-8"))
    data["notes"] = french_note
    prescription.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    # Step 5's commands, as the page shows them.
    commands = re.findall(r"^```sh\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)[0]
    for command in commands.splitlines():
        result = run_protokit(*command.split()[1:], cwd=folder)
        assert result.code == 0, (command, result.stderr)
    sheet = run_protokit(
        "render", "neck-stiffness.json", "--language", "fr", "--format", "html", "-o", "fr.html",
        cwd=folder,
    )  # fmt: skip
    assert sheet.code == 0
    html = (folder / "fr.html").read_text(encoding="utf-8")
    assert "(fr) Neck stiffness: gentle exercises" in html and 'lang="fr"' in html
    personal = run_protokit("render", "neck-stiffness.json", "--prescription",
                            "prescriptions/alex-example.json", "--language", "fr", "--format",
                            "html", "-o", "alex-fr.html", cwd=folder)  # fmt: skip
    assert personal.code == 0, personal.stderr
    note = (folder / "alex-fr.html").read_text(encoding="utf-8")
    assert "Faites le rentré du menton à votre bureau" in note
    assert "Do the chin tuck at your desk" not in note
    # A language the protocol does not have is refused, never printed in English.
    spanish = run_protokit("render", "neck-stiffness.json", "--language", "es", "-o", "es.pdf",
                           cwd=folder)  # fmt: skip
    assert spanish.code == 2 and "no 'es' translation of this text" in spanish.stderr
    assert not (folder / "es.pdf").exists()


def test_a_regional_language_the_protocol_has_no_texts_for_is_said_once(tmp_path):
    # s24-users (H833): `--language fr-CA` printed the protocol's 'fr' texts (and en-US its
    # en-GB ones) without a word; a clinic took it for a sheet written for its patients.
    shutil.copy(CASES / "validate" / "valid" / "translated-protocol" / "protocol.json", tmp_path)
    shutil.copy(FINISHED / "protokit.toml", tmp_path)
    result = run_protokit("render", "protocol.json", "--language", "fr-CA", "-o", "fr.pdf",
                          cwd=tmp_path)  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "protokit: note: protocol.json: no 'fr-CA' texts: the sheet is printed from its 'fr' "
        "texts and the sheet's 'fr' wording (for texts of its own, list 'fr-CA' in the "
        'protocol\'s "translations" and write each; docs/languages.md)'
    )
    assert result.stdout.startswith("wrote fr.pdf")
    plain = run_protokit("render", "protocol.json", "--language", "fr", "-o", "fr.pdf",
                         cwd=tmp_path)  # fmt: skip
    assert plain.code == 0 and "note" not in plain.stderr  # asked for French, given French
    built = run_protokit("build", "protocol.json", "--language", "fr-CA", "-o", "sheets",
                         "--no-bundle", cwd=tmp_path)  # fmt: skip
    assert built.code == 0, built.stderr
    assert built.stderr.count("protokit: note: a protocol without 'fr-CA' texts is printed") == 1
