"""A benchmark corpus: many valid protocol files, a share of invalid ones, and a library.

Valid protocols are recombined from the repository's own valid files (`protocols/*.json`,
`tests/cases/validate/valid/*`): each takes the header, safety and delivery sections of one of
them, a new id and title, a status (active ones with a reviewer), one to six exercises drawn from
every inline and library exercise found (library ones by reference, some with a dosage override),
and in about one file in five a second language for every patient-facing text. Invalid files are
valid ones with one mistake of a kind the acceptance cases in `tests/cases/validate/invalid/`
cover, and each records the finding code it must produce.

The same seed gives the same files, byte for byte, as long as the repository's examples are the
same (new examples change the mix). Never commit a corpus: write it to a temporary folder.

    python benchmarks/corpus.py OUT_DIR --valid 10000 --invalid 500 --seed 1
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protocol_kit.model import (
    Origin,
    build_exercise,
    build_protocol,
    iter_exercise_texts,
    iter_texts,
)
from protocol_kit.schemas import KIND_BY_NAME

REPO = Path(__file__).resolve().parent.parent
PROTOCOL_URI = KIND_BY_NAME["protocol"].uri
EXERCISE_URI = KIND_BY_NAME["exercise"].uri
# Keys of an exercise file that an exercise written inside a protocol does not have.
FILE_ONLY_KEYS = frozenset(
    ("$schema", "version", "language", "translations", "last_reviewed", "authors", "references")
)
SECOND_LANGUAGE = "fr"
SIGN_OFF = {
    "name": "B. Reviewer",
    "profession": "physiotherapist",
    "registration": {"body": "HCPC", "number": "PH100002"},
}


@dataclass(frozen=True)
class Corpus:
    """The files written: `protocols` in the order to check them, and for each invalid one the
    mutation applied and the finding code it must produce."""

    root: Path
    protocols: tuple[Path, ...]
    invalid: dict[Path, tuple[str, str]]
    library: Path

    @property
    def valid(self) -> tuple[Path, ...]:
        return tuple(p for p in self.protocols if p not in self.invalid)


# -- source material ------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _text_pointers(protocol: dict[str, Any]) -> list[str]:
    """JSON pointers of every patient-facing text written in the protocol itself (library
    exercises' texts live in their own files), found through the model rather than by hand."""
    language = protocol["language"]
    exercises = tuple(
        build_exercise(entry, language, Origin("p", f"/exercises/{i}"))
        for i, entry in enumerate(protocol["exercises"])
        if "ref" not in entry
    )
    return [text.origin.pointer for text in iter_texts(build_protocol(protocol, "p", exercises))]


def _exercise_text_pointers(exercise: dict[str, Any]) -> list[str]:
    built = build_exercise(exercise, "en", Origin("e"))
    return [text.origin.pointer for text in iter_exercise_texts(built)]


def _get(data: Any, pointer: str) -> tuple[Any, Any]:
    """The container holding `pointer`'s value, and its key or index."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    for token in tokens[:-1]:
        data = data[int(token) if isinstance(data, list) else token]
    last = tokens[-1]
    return data, int(last) if isinstance(data, list) else last


def _map_texts(data: dict[str, Any], pointers: list[str], change: Callable[[Any], Any]) -> None:
    for pointer in pointers:
        parent, key = _get(data, pointer)
        parent[key] = change(parent[key])


def _single_language(value: Any, language: str) -> Any:
    if isinstance(value, dict):
        return value.get(language) or next(iter(value.values()))
    return value


def _bilingual(value: str, language: str, second: str) -> dict[str, str]:
    # Synthetic: the benchmark needs the shape of a translation, not a real one.
    return {language: value, second: f"[{second}] {value}"}


@dataclass(frozen=True)
class LibraryExercise:
    id: str
    language: str
    languages: frozenset[str]
    data: dict[str, Any]


@dataclass
class Sources:
    protocols: list[dict[str, Any]]
    inline: list[dict[str, Any]]
    library: list[LibraryExercise]


def _second_language(language: str) -> str:
    return "de" if language.split("-")[0] == SECOND_LANGUAGE else SECOND_LANGUAGE


def load_sources(repo: Path = REPO) -> Sources:
    """Every valid protocol and exercise of the repository, in one language, sorted by path."""
    candidates = sorted((repo / "protocols").glob("*.json")) + sorted(
        (repo / "tests" / "cases" / "validate" / "valid").glob("*/*.json")
    )
    library_files = sorted((repo / "protocols").rglob("library/*.json")) + sorted(
        (repo / "tests" / "cases" / "validate" / "valid").rglob("library/*.json")
    )
    protocols, inline = [], []
    for path in candidates:
        data = _read(path)
        if data is None or data.get("$schema") != PROTOCOL_URI:
            continue
        language = data["language"]
        _map_texts(data, _text_pointers(data), lambda v, lang=language: _single_language(v, lang))
        data.pop("translations", None)
        inline.extend(copy.deepcopy(e) for e in data["exercises"] if "ref" not in e)
        data["exercises"] = []
        # Screening questions and stages name the example's own exercises and conditions;
        # the corpus gives each protocol other exercises.
        data.pop("screening", None)
        data.pop("stages", None)
        protocols.append(data)
    library: dict[str, LibraryExercise] = {}
    for path in library_files:
        data = _read(path)
        if data is None or data.get("$schema") != EXERCISE_URI or data["id"] in library:
            continue
        language = data["language"]
        body = {k: v for k, v in data.items() if k not in FILE_ONLY_KEYS}
        pointers = _exercise_text_pointers(body)
        _map_texts(data, pointers, lambda v, lang=language: _single_language(v, lang))
        data.pop("translations", None)
        inline.append({k: v for k, v in data.items() if k not in FILE_ONLY_KEYS})
        library[data["id"]] = LibraryExercise(data["id"], language, frozenset([language]), data)
        # The same exercise with a second language, for protocols that carry translations.
        second = _second_language(language)
        bilingual = copy.deepcopy(data)
        bilingual["id"] = f"{data['id']}-{second}"
        bilingual["translations"] = [second]
        _map_texts(bilingual, pointers, lambda v, lang=language, s=second: _bilingual(v, lang, s))
        library[bilingual["id"]] = LibraryExercise(
            bilingual["id"], language, frozenset([language, second]), bilingual
        )
    if not protocols or not inline:
        raise SystemExit("no valid protocols or exercises found to build a corpus from")
    return Sources(protocols, inline, list(library.values()))


# -- valid protocols --------------------------------------------------------------------------


def make_protocol(index: int, rng: random.Random, sources: Sources) -> dict[str, Any]:
    """A new valid protocol, the `index`-th of the corpus."""
    data = copy.deepcopy(rng.choice(sources.protocols))
    language = data["language"]
    second = _second_language(language) if rng.random() < 0.2 else None
    languages = {language, second} - {None}
    data["id"] = f"{data['id'][:50]}-{index:05d}"
    data["title"] = f"{data['title']} (programme {index})"
    status = rng.choices(["draft", "active", "retired"], weights=[14, 5, 1])[0]
    data["status"] = status
    if status == "active" and "sign_off" not in data:
        data["sign_off"] = {**SIGN_OFF, "date": data["updated"]}
    # Exactly the protocol's languages: a monolingual protocol that overrides the dosage of a
    # bilingual library exercise gets I18N002 for the library's intensity text.
    usable = [e for e in sources.library if e.language == language and e.languages == languages]
    seen: set[str] = set()
    for number in range(rng.randint(1, 6)):
        if usable and rng.random() < 0.5:
            entry = _reference(rng.choice(usable), rng)
            base = entry["ref"]
        else:
            entry = copy.deepcopy(rng.choice(sources.inline))
            base = entry["id"]
        if base in seen:  # the same exercise twice: the second gets its own id
            entry["id"] = f"{base[:55]}-{number + 1}"
        seen.add(entry.get("id", base))
        data["exercises"].append(entry)
    if second is not None:
        data["translations"] = [second]
        _map_texts(data, _text_pointers(data), lambda v: _bilingual(v, language, second))
    return data


def _reference(exercise: LibraryExercise, rng: random.Random) -> dict[str, Any]:
    entry: dict[str, Any] = {"ref": exercise.id}
    if rng.random() < 0.4:
        # At most the library's sets, so that a progression to "a third set" stays one.
        entry["dosage"] = {"sets": rng.randint(1, exercise.data["dosage"]["sets"])}
        if "repetitions" in exercise.data["dosage"]:
            entry["dosage"]["repetitions"] = rng.randint(5, 12)
        entry["note"] = "Adjusted at the first appointment."
    return entry


# -- invalid protocols: one mistake each -------------------------------------------------------

Mutation = Callable[[dict[str, Any], random.Random, Sources], bytes]


def _dump(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _inline_first(data: dict[str, Any], rng: random.Random, sources: Sources) -> dict[str, Any]:
    """Make the first exercise an inline one (a mutation needs its body) and return it."""
    entry = data["exercises"][0]
    if "ref" in entry:
        entry = copy.deepcopy(rng.choice(sources.inline))
        entry["id"] = "inline-exercise-first"
        data["exercises"][0] = entry
        data.pop("translations", None)
        language = data["language"]
        _map_texts(data, _text_pointers(data), lambda v: _single_language(v, language))
    return entry


def _set(key_path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any], rng: random.Random, sources: Sources) -> bytes:
        parent, key = _get(data, key_path)
        parent[key] = value
        return _dump(data)

    return mutate


def _delete(key_path: str) -> Mutation:
    def mutate(data: dict[str, Any], rng: random.Random, sources: Sources) -> bytes:
        parent, key = _get(data, key_path)
        del parent[key]
        return _dump(data)

    return mutate


def _active_without_reviewer(data, rng, sources) -> bytes:
    data["status"] = "active"
    data.pop("sign_off", None)
    return _dump(data)


def _bad_code(system: str, code: str) -> Mutation:
    def mutate(data, rng, sources) -> bytes:
        data["indications"].append({"system": system, "code": code, "display": "Low back pain"})
        return _dump(data)

    return mutate


def _misspelt_field(data, rng, sources) -> bytes:
    data["safety"]["general_advise"] = data["safety"].pop("general_advice")
    return _dump(data)


def _wrong_side(data, rng, sources) -> bytes:
    _inline_first(data, rng, sources)["dosage"]["side"] = "both sides"
    return _dump(data)


def _dosage_without_amount(data, rng, sources) -> bytes:
    dosage = _inline_first(data, rng, sources)["dosage"]
    for name in ("repetitions", "hold_seconds", "duration_seconds"):
        dosage.pop(name, None)
    return _dump(data)


def _image_without_licence(data, rng, sources) -> bytes:
    _inline_first(data, rng, sources)["media"] = [
        {"kind": "image", "path": "exercise.png", "alt": "The starting position", "author": "A. B."}
    ]
    return _dump(data)


def _dangling_reference(data, rng, sources) -> bytes:
    data["exercises"].append({"ref": "no-such-library-exercise"})
    return _dump(data)


def _duplicate_exercise_id(data, rng, sources) -> bytes:
    data["exercises"].append(copy.deepcopy(data["exercises"][0]))
    return _dump(data)


def _missing_translation(data, rng, sources) -> bytes:
    language = data["language"]
    if "translations" in data:  # drop one translated text back to the primary language only
        pointer = _text_pointers(data)[0]
        parent, key = _get(data, pointer)
        parent[key] = _single_language(parent[key], language)
    else:
        data["translations"] = [_second_language(language)]
    return _dump(data)


def _not_an_object(data, rng, sources) -> bytes:
    return _dump([data])


def _text_edit(old: str, new: str) -> Mutation:
    """Replace the first occurrence of `old` (a regular expression) in the written file."""

    def mutate(data, rng, sources) -> bytes:
        text = _dump(data).decode("utf-8")
        changed, count = re.subn(old, new, text, count=1)
        assert count, f"{old!r} not found"
        return changed.encode("utf-8")

    return mutate


def _truncated(data, rng, sources) -> bytes:
    raw = _dump(data)
    return raw[: rng.randint(len(raw) // 4, len(raw) * 3 // 4)].rstrip(b"\n ") + b"\n"


def _invalid_utf8(data, rng, sources) -> bytes:
    return _dump(data).replace(b"(programme", b"(caf\xe9 programme", 1)


def _utf16(data, rng, sources) -> bytes:
    return _dump(data).decode("utf-8").encode("utf-16")


def _deep_nesting(data, rng, sources) -> bytes:
    nested: Any = []
    for _ in range(70):
        nested = [nested]
    data["x-nested"] = nested
    return _dump(data)


# name -> (the mistake, the finding code it must produce)
MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "wrong-enum-status": (_set("/status", "approved"), "SCHEMA002"),
    "wrong-enum-side": (_wrong_side, "SCHEMA002"),
    "active-without-reviewer": (_active_without_reviewer, "SCHEMA002"),
    "bad-icd-code": (_bad_code("http://hl7.org/fhir/sid/icd-10-cm", "M5450"), "SCHEMA002"),
    "bad-snomed-code": (_bad_code("http://snomed.info/sct", "0279039007"), "SCHEMA002"),
    "empty-red-flags": (_set("/safety/red_flags", []), "SCHEMA002"),
    "missing-stop-criteria": (_delete("/safety/stop_criteria"), "SCHEMA002"),
    "misspelt-field": (_misspelt_field, "SCHEMA002"),
    "text-as-number": (_set("/safety/stop_criteria/0", 3), "SCHEMA002"),
    "impossible-date": (_set("/next_review", "2027-02-30"), "SCHEMA002"),
    "dosage-without-amount": (_dosage_without_amount, "SCHEMA002"),
    "image-without-licence": (_image_without_licence, "SCHEMA002"),
    "dangling-library-reference": (_dangling_reference, "REF001"),
    "duplicate-exercise-id": (_duplicate_exercise_id, "REF002"),
    "missing-translation": (_missing_translation, "I18N001"),
    "missing-schema": (_delete("/$schema"), "SCHEMA001"),
    "unknown-schema": (
        _set("/$schema", "https://json-schema.org/draft/2020-12/schema"),
        "SCHEMA001",
    ),
    "not-an-object": (_not_an_object, "JSON005"),
    "duplicate-key": (
        _text_edit(r'\n(\s*)"status": ', r'\n\1"status": "draft",\n\1"status": '),
        "JSON002",
    ),
    "nan-value": (_text_edit(r'"green_max": \d+', '"green_max": NaN'), "JSON003"),
    "infinity-value": (_text_edit(r'"amber_max": \d+', '"amber_max": Infinity'), "JSON003"),
    "trailing-comma": (_text_edit(r'"(\n\s*)\}', r'",\1}'), "JSON001"),
    "truncated-file": (_truncated, "JSON001"),
    "empty-file": (lambda data, rng, sources: b"", "JSON001"),
    "invalid-utf8": (_invalid_utf8, "JSON004"),
    "utf16-file": (_utf16, "JSON004"),
    "deep-nesting": (_deep_nesting, "JSON006"),
}


# -- writing ----------------------------------------------------------------------------------


def _distinct(value: Any, index: int) -> Any:
    """A patient text made the `index`-th file's own: every value ends with the file's number,
    so no text of one file is the text of another (as in a clinic whose sheets are each
    written for one patient). The library's files stay shared, as a clinic's library is."""
    if isinstance(value, dict):
        return {language: _distinct(text, index) for language, text in value.items()}
    return f"{value} (sheet {index})"


def generate(
    root: Path, valid: int, invalid: int = 0, seed: int = 1, distinct_texts: bool = False
) -> Corpus:
    """Write `valid` + `invalid` protocol files under `root/protocols/` and the exercises they
    refer to under `root/library/`. `root` must not exist or be empty. With `distinct_texts`,
    every patient text written in a protocol differs from every other file's (`_distinct`),
    for measuring what answers kept per text gain when no text repeats."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise SystemExit(f"{root}: not empty; give a new folder for the corpus")
    rng = random.Random(seed)
    sources = load_sources()
    library = root / "library"
    library.mkdir()
    for exercise in sources.library:
        (library / f"{exercise.id}.json").write_bytes(_dump(exercise.data))
    # The project root for library lookup: the search for `library/` folders stops here.
    (root / "protokit.toml").write_text("# benchmark corpus\n", encoding="utf-8")
    folder = root / "protocols"
    folder.mkdir()
    total = valid + invalid
    broken = set(rng.sample(range(total), invalid))
    names = sorted(MUTATIONS)
    protocols: list[Path] = []
    invalid_files: dict[Path, tuple[str, str]] = {}
    for index in range(total):
        data = make_protocol(index, rng, sources)
        if distinct_texts:
            _map_texts(data, _text_pointers(data), lambda v, i=index: _distinct(v, i))
        if index in broken:
            name = names[len(invalid_files) % len(names)]
            mutate, code = MUTATIONS[name]
            path = folder / f"{index:05d}-{name}.json"
            path.write_bytes(mutate(data, rng, sources))
            invalid_files[path] = (name, code)
        else:
            path = folder / f"{index:05d}.json"
            path.write_bytes(_dump(data))
        protocols.append(path)
    return Corpus(root, tuple(protocols), invalid_files, library)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a new folder to write the corpus into")
    parser.add_argument("--valid", type=int, default=10_000)
    parser.add_argument("--invalid", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--distinct-texts",
        action="store_true",
        help="end every patient text written in a protocol with its file's number, so that "
        "no two files share a text (the library's files stay shared)",
    )
    args = parser.parse_args()
    corpus = generate(args.root, args.valid, args.invalid, args.seed, args.distinct_texts)
    print(
        f"wrote {len(corpus.valid)} valid and {len(corpus.invalid)} invalid protocols to "
        f"{corpus.root / 'protocols'}, and {len(list(corpus.library.iterdir()))} library "
        f"exercises to {corpus.library}"
    )


if __name__ == "__main__":
    main()
