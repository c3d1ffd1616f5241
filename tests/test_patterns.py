"""The compiled-pattern cache (protocol_kit/patterns.py) never changes a match: a pattern from
the cache is the pattern `re.compile` makes, and a damaged, foreign or stale cache file is
not used (the pattern is compiled as without a cache) and is written again whole."""

from __future__ import annotations

import copy
import marshal
import os
import pickle
import re
import subprocess
import sys
import zlib

import cache_damage
import pytest

from conftest import REPO
from protocol_kit import cache, patterns

SAMPLES = [
    (r"\b(?:chest pain|pain in (?:your|the) chest)\b", re.IGNORECASE),
    (r"(?P<low>\d+)(?:\s*(?:-|to)\s*(?P<high>\d+))?\s*(?P<unit>s|reps?)\b", re.I),
    (r"(?<![\w.])(?:once|twice)\s+(?:a|per)\s+day\b", 0),
    (r"[^\x09-\x0a\u00a0-\u00ff]", 0),
    (r"^(\d+)\.(\d+)\.(\d+)$", re.MULTILINE),
]
TEXTS = ["Chest pain at night", "10-12 reps", "twice a day", "caf\u00e9 \u2603", "1.2.3\n"]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder, and a process that has read no cache yet."""
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(patterns, "_CACHE", patterns._Cache())
    monkeypatch.setattr(patterns, "_save", lambda: None)  # written by the tests themselves
    return tmp_path


def same_as_re(made: re.Pattern[str], pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    assert made == expected  # the same pattern, flags and engine code
    assert (made.groups, made.groupindex) == (expected.groups, expected.groupindex)
    for text in TEXTS:
        assert [m.span() for m in made.finditer(text)] == [
            m.span() for m in expected.finditer(text)
        ]


def from_a_new_process_view() -> dict:
    """The cache as a new process reads it, then used by this one."""
    entries = patterns.read()
    patterns._CACHE.entries = dict(entries)
    return entries


def test_patterns_from_the_cache_are_re_compiles(fresh_cache, monkeypatch):
    for pattern, flags in SAMPLES:
        same_as_re(patterns.compiled(pattern, flags), pattern, flags)
    patterns.write(patterns._CACHE.entries)
    assert len(from_a_new_process_view()) == len(SAMPLES)

    def never(*args):
        raise AssertionError("compiled again although the cache holds it")

    monkeypatch.setattr(patterns, "_compile", never)
    for pattern, flags in SAMPLES:
        same_as_re(patterns.compiled(pattern, flags), pattern, flags)


def test_a_bad_pattern_is_still_refused(fresh_cache):
    with pytest.raises(re.error):
        patterns.compiled(r"(unclosed")


def written_cache(folder) -> tuple[str, bytes]:
    for pattern, flags in SAMPLES:
        patterns.compiled(pattern, flags)
    path = folder / patterns.cache_name()
    patterns.write(patterns._CACHE.entries)
    with open(path, "rb") as handle:
        return path, handle.read()


def damaged(original: bytes) -> dict[str, bytes]:
    def planted(entries):
        # Readable, but not what was written: another pattern's code under the first one's key.
        keys = list(entries)
        if len(keys) > 1:
            entries[keys[0]] = entries[keys[1]]
        return entries

    return cache_damage.damaged(
        original,
        patterns._FORMAT,
        planted,
        b"1 2.7.18 (default) 34017264 cpython-27-1-4",
        pieces=True,
    )


def entries_and_pieces(original: bytes) -> tuple[dict, bytes]:
    """The entries of a cache file as written, and the pieces of code after them."""
    _, _, rest = original.partition(b"\n")
    payload = rest[cache._CHECK :]
    size = int.from_bytes(payload[: cache._SIZE], "big")
    entries = marshal.loads(payload[cache._SIZE : cache._SIZE + size])
    return entries, payload[cache._SIZE + size :]


# Damage that leaves the file's entries as written (in the pieces of code after them): the
# entries are read, and each damaged piece is refused when its pattern is used.
IN_THE_PIECES = {"truncated", "one byte changed"}


@pytest.mark.parametrize("damage", cache_damage.DAMAGES)
def test_a_damaged_or_foreign_cache_is_not_used(fresh_cache, damage):
    path, original = written_cache(fresh_cache)
    with open(path, "wb") as handle:
        handle.write(damaged(original)[damage])
    read = from_a_new_process_view()
    assert read == {} or damage in IN_THE_PIECES
    for pattern, flags in SAMPLES:
        same_as_re(patterns.compiled(pattern, flags), pattern, flags)


@pytest.mark.parametrize("when_searched", [False, True])
def test_a_damaged_piece_of_code_the_engine_would_take_is_compiled_again(
    fresh_cache, monkeypatch, when_searched
):
    # The file's check covers its entries; each pattern's code is checked by its own CRC-32
    # when the pattern is handed to the engine (format 4: a one-file run checks the third it
    # uses). A letter of "twice" changed to another is code the engine takes, which would
    # then look for another word: its check refuses it, and the pattern is compiled again.
    path, original = written_cache(fresh_cache)
    entries, pieces = entries_and_pieces(original)
    letter = ord("w").to_bytes(patterns._sre.CODESIZE, sys.byteorder)
    at = len(original) - len(pieces) + pieces.rindex(letter)
    changed = bytearray(original)
    changed[at] = ord("v")
    with open(path, "wb") as handle:
        handle.write(bytes(changed))
    assert from_a_new_process_view().keys() == entries.keys()
    monkeypatch.setattr(patterns._CACHE, "when_searched", when_searched)
    for pattern, flags in SAMPLES:
        same_as_re(patterns.compiled(pattern, flags), pattern, flags)


def test_code_the_engine_refuses_is_compiled_again(fresh_cache):
    # A file whose digest is right but whose code is not the engine's (written by a
    # mistake, say): the engine refuses it, and the pattern is compiled as without a cache.
    pattern, flags = SAMPLES[0]
    made = patterns._compile(pattern, flags)
    assert made is not None
    bad = (made[0], [999_999] * len(made[1]), *made[2:])
    patterns.write({(pattern, int(flags)): bad})
    from_a_new_process_view()
    same_as_re(patterns.compiled(pattern, flags), pattern, flags)


def test_the_cache_is_written_at_exit_and_read_by_the_next_process(tmp_path):
    code = (
        "import re, sys\n"
        "from protocol_kit import patterns\n"
        "called = []\n"
        "compile_ = patterns._compile\n"
        "patterns._compile = lambda *a: called.append(a) or compile_(*a)\n"
        f"for p, f in {SAMPLES!r}:\n"
        "    assert patterns.compiled(p, f) == re.compile(p, f)\n"
        "print(len(called))\n"
    )
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(tmp_path)}

    def compiled_in_a_new_process() -> int:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return int(done.stdout)

    assert compiled_in_a_new_process() == len(SAMPLES)
    assert [p.name.startswith("patterns-") for p in tmp_path.iterdir()] == [True]
    assert compiled_in_a_new_process() == 0
    # A cache folder that cannot be made: compiled every time, and nothing said about it.
    env["PROTOKIT_CACHE_DIR"] = str(tmp_path / next(tmp_path.iterdir()).name / "below-a-file")
    assert compiled_in_a_new_process() == len(SAMPLES)


def test_the_code_is_kept_as_bytes_until_used(fresh_cache):
    # Unmarshalling every pattern's code as a list of ints was half of reading the file on
    # every run; bytes are unpacked only for the patterns a run uses, in this byte order.
    path, original = written_cache(fresh_cache)
    line, _, _ = original.partition(b"\n")
    assert sys.byteorder in line.decode().split()
    entries, pieces = entries_and_pieces(original)
    # Each entry says where its code lies in the pieces after the entries, and its CRC-32.
    assert entries and all(
        zlib.crc32(pieces[offset : offset + length]) == check
        for offset, length, check in (entry[1] for entry in entries.values())
    )
    from_a_new_process_view()
    for pattern, flags in SAMPLES:
        same_as_re(patterns.compiled(pattern, flags), pattern, flags)


def test_compiled_patterns_by_name_are_made_when_asked(monkeypatch):
    # The red-flag items' whole alternations (`Item.patterns`) are compiled only when
    # `Item.named_in` asks: which languages there are is answered without compiling.
    made = []
    monkeypatch.setattr(patterns, "compiled", lambda p, f=0: made.append(p) or re.compile(p, f))
    by_language = patterns.Compiled({"en": r"\bchest pain\b", "fr": r"\bdouleur\b"}, re.I)
    assert "en" in by_language and "de" not in by_language
    assert sorted(by_language) == ["en", "fr"] and len(by_language) == 2
    assert made == []
    assert by_language["en"].search("Sudden CHEST PAIN at rest")
    assert by_language.get("de") is None
    assert by_language["en"] is by_language.get("en")  # compiled once
    assert made == [r"\bchest pain\b"]


def test_a_prose_pattern_is_found_as_written_and_reads_every_apostrophe(fresh_cache, monkeypatch):
    # A case-insensitive pattern is looked up as written, so a run does not rewrite it
    # (`any_apostrophe`) at every start; its entry gives the rewritten pattern, which is what
    # `pattern_needs` reads, so a text typed with a curly apostrophe is still searched (H648).
    written = r"\bcan't (?:catch|get) your breath\b"
    rewritten = patterns.any_apostrophe(written)
    assert rewritten != written
    assert patterns.compiled(written, re.IGNORECASE).pattern == rewritten
    patterns.write(patterns._CACHE.entries)
    from_a_new_process_view()

    def never(*args):
        raise AssertionError("rewritten or compiled again although the cache holds it")

    monkeypatch.setattr(patterns, "_compile", never)
    monkeypatch.setattr(patterns, "any_apostrophe", never)
    again = patterns.compiled(written, re.IGNORECASE)
    assert again.pattern == rewritten and again == re.compile(rewritten, re.IGNORECASE)
    for apostrophe in patterns.APOSTROPHES:
        assert again.search(f"If you CAN{apostrophe}T catch your breath, call 999")


def test_a_change_to_how_prose_is_rewritten_starts_the_cache_afresh(fresh_cache, monkeypatch):
    patterns.compiled(r"\bdon't wait\b", re.IGNORECASE)
    patterns.write(patterns._CACHE.entries)
    assert patterns.read()
    monkeypatch.setattr(patterns, "APOSTROPHES", "'\u2019")
    assert patterns.read() == {}


def test_a_kept_pattern_reaches_the_engine_when_first_searched(fresh_cache, monkeypatch):
    # A run loads every rule's patterns but searches with about a third of them: the code
    # of a pattern the cache holds is unpacked and handed to the engine at its first search
    # (patterns._Kept), and what `pattern_needs` reads (`pattern`, `flags`) needs none.
    for pattern, flags in SAMPLES:
        patterns.compiled(pattern, flags)
    patterns.write(patterns._CACHE.entries)
    from_a_new_process_view()
    monkeypatch.setattr(patterns._CACHE, "when_searched", True)  # as `validate` of one file
    handed = []
    engine = patterns._sre

    class Counting:
        @staticmethod
        def compile(*args):
            handed.append(args[0])
            return engine.compile(*args)

    monkeypatch.setattr(patterns, "_sre", Counting)
    pattern, flags = SAMPLES[1]
    expected = re.compile(pattern, flags)
    kept = patterns.compiled(pattern, flags)
    assert (kept.pattern, kept.flags) == (expected.pattern, expected.flags)
    assert handed == []
    assert kept.search("do 10-12 reps").group("high") == "12"
    assert kept.search("8 to 10 s").span() == expected.search("8 to 10 s").span()
    assert handed == [pattern]  # once, at the first search
    assert kept.sub("N", "3 reps, 4 reps") == expected.sub("N", "3 reps, 4 reps")
    assert (kept.groups, dict(kept.groupindex)) == (expected.groups, dict(expected.groupindex))
    # Compared, hashed, shown, copied and pickled as the pattern itself.
    assert kept == expected and expected == kept and hash(kept) == hash(expected)
    assert kept != re.compile(pattern) and repr(kept) == repr(expected)
    assert copy.copy(kept) is kept and copy.deepcopy(kept) is kept
    assert handed == [pattern]
    assert pickle.loads(pickle.dumps(kept)) == expected  # a new one, from the cache


def test_a_run_over_many_files_gets_the_real_patterns(fresh_cache, tmp_path, monkeypatch):
    # Each search through a `_Kept` costs a look-up more: a run over folders or many files
    # (cli/validate_run.py `few_files`) has the engine's own patterns from the start.
    from protocol_kit.cli.validate_run import FEW_FILES, few_files

    pattern, flags = SAMPLES[2]
    patterns.compiled(pattern, flags)
    patterns.write(patterns._CACHE.entries)
    from_a_new_process_view()
    monkeypatch.setattr(patterns._CACHE, "when_searched", False)
    assert type(patterns.compiled(pattern, flags)) is re.Pattern  # the default: real ones
    patterns.hand_over_when_searched(True)
    assert type(patterns.compiled(pattern, flags)) is not re.Pattern
    patterns.hand_over_when_searched(False)
    real = patterns.compiled(pattern, flags)
    assert type(real) is re.Pattern and real == re.compile(pattern, flags)
    one = tmp_path / "one.json"
    one.write_text("{}")
    assert few_files((str(one),)) and few_files(("-",))
    assert not few_files((str(one), str(tmp_path)))
    assert not few_files((str(one),) * (FEW_FILES + 1))


def test_a_change_to_what_compiled_rewrites_starts_the_cache_afresh(fresh_cache, monkeypatch):
    # H684: the label named `any_apostrophe`'s code but not `compiled`'s, which decides which
    # patterns are prose and rewrites them: a version that rewrote more (an en dash, say)
    # would have taken the old code from a stale file as found, and not read the new forms.
    patterns.compiled(r"\bdon't wait\b", re.IGNORECASE)
    patterns.write(patterns._CACHE.entries)
    assert patterns.read()
    original = patterns.compiled

    def rewrites_more(pattern: str, flags: int = 0) -> re.Pattern[str]:
        return original(pattern.replace("-", "[-\u2013]"), flags)

    monkeypatch.setattr(patterns, "compiled", rewrites_more)
    assert patterns.read() == {}


def test_a_pattern_compiled_as_is_is_re_compiles_own_from_the_cache(fresh_cache, monkeypatch):
    # The strict parse's and the configuration's patterns (`compiled_as_is`): what
    # `re.compile` makes, never a `_Kept` (code outside protocol-kit may be handed them), its
    # apostrophe not rewritten, its code from the cache in a later process.
    samples = [(p, f) for p, f in SAMPLES if not f & re.IGNORECASE]
    samples.append((r"it's", 0))
    monkeypatch.setattr(patterns._CACHE, "when_searched", True)  # as `validate` of one file
    for pattern, flags in samples:
        made = patterns.compiled_as_is(pattern, flags)
        assert type(made) is re.Pattern
        same_as_re(made, pattern, flags)
    assert patterns.compiled_as_is("it's").search("it\u2019s") is None  # not prose
    patterns.write(patterns._CACHE.entries)
    from_a_new_process_view()

    def never(*args):
        raise AssertionError("compiled again although the cache holds it")

    monkeypatch.setattr(patterns, "_compile", never)
    for pattern, flags in samples:
        made = patterns.compiled_as_is(pattern, flags)
        assert type(made) is re.Pattern
        same_as_re(made, pattern, flags)
    # A case-insensitive pattern (prose for `compiled`) and bytes are `re.compile`'s own.
    assert patterns.compiled_as_is("it's", re.I).search("IT\u2019S") is None
    assert patterns.compiled_as_is(rb"\\.", re.DOTALL).sub(b"", b"a\\nb") == b"ab"
