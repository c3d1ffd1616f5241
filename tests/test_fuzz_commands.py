"""Property-based and mutation fuzzing of every command that reads input.

Valid files (a protocol, a prescription, an image, a configuration, a trust file, a signed
bundle made here) are mutated at random: bytes cut, inserted or flipped, values replaced by
hostile ones (numbers of thousands of digits, floats that overflow, texts longer than any
patient text, control and invisible characters, absurd nesting), special files put in their
place. For every case the command must give exit 0 on a valid result, or 1 or 2 with a line
naming the file, never a traceback or an "internal error", never a hang (the harness's time
limit catches one), and leave its output or target folder unchanged when it refuses.

The bounded profile (the default, run in CI) tries a fixed set of examples per property, the
same on every run, in well under a minute. The long profile searches afresh each time:

    PROTOKIT_FUZZ=long .venv/bin/pytest tests/test_fuzz_commands.py

(`PROTOKIT_FUZZ_EXAMPLES=N` sets the number of examples per property.)
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hostile_helpers import assert_clean_output, state
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CASES, PROTOCOLS, REPO, Result, run_protokit

LONG = os.environ.get("PROTOKIT_FUZZ") == "long"
EXAMPLES = int(os.environ.get("PROTOKIT_FUZZ_EXAMPLES", "400" if LONG else "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,  # CI never flakes on a newly found example; the long profile searches
    database=None,
    suppress_health_check=list(HealthCheck),
)

VALID = CASES / "validate" / "valid"
PROTOCOL = (VALID / "minimal-protocol" / "protocol.json").read_text(encoding="utf-8")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63fccf50030f000485018084a98c210000000049454e44ae426082"
)
CONFIG = """[clinic]
name = "Example Physiotherapy Clinic"
phone = "0123 456 789"

[lint]
ignore = ["TEXT001"]
warnings_as_errors = false

[lint.severity]
DOSE002 = "error"
"""


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="protokit-fuzz-") as name:
        yield Path(name)


def assert_outcome(result: Result, name: Path | str, folder_state=None, watched=None) -> None:
    """0, or 1 or 2 with a line naming the file; clean output; the watched folder unchanged
    on a refusal."""
    assert_clean_output(result)
    assert result.code in (0, 1, 2), (result.code, result.stderr)
    if result.code:
        shown = str(name)
        both = result.stdout + result.stderr
        assert shown in both or os.path.basename(shown) in both, both
        if watched is not None:
            assert state(watched) == folder_state, "the folder changed although refused"


# -- what the mutations are made of ---------------------------------------------------------------

HOSTILE_TOKENS = st.sampled_from(
    [
        "1" + "0" * 5000,
        "-" + "9" * 400,
        "1e400",
        "-1e400",
        "1e20",
        "123456789012",
        "0.1e-400",
        '"' + "W" * 20_000 + '"',
        '"\\u0000\\u001b[2J\\n\\r\\u202e"',
        '"\\ud800"',
        "[" * 300 + "]" * 300,
        "[" + ",".join(["1"] * 1200) + "]",
        "{" + ",".join(f'"k{i}": 1' for i in range(1200)) + "}",
        "NaN",
        "Infinity",
        '"' + "\u200b" * 5 + '"',
        "null",
        '"TODO"',
        "true",
        "[]",
        "{}",
        '""',
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


PROTOCOL_DATA = json.loads(PROTOCOL)
PROTOCOL_PATHS = [p for p in _paths(PROTOCOL_DATA) if p]
_MARK = "__HOSTILE_TOKEN__"


def replaced(data: dict, path: tuple, token: str) -> str:
    """The document as JSON text with the value at `path` replaced by the raw text `token`."""
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = _MARK
    return json.dumps(changed, indent=2).replace(json.dumps(_MARK), token)


@st.composite
def byte_mutations(draw, original: bytes) -> bytes:
    """The bytes cut, with bytes inserted, or with bytes flipped, at random places."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "insert", "flip"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "cut":
            del data[at:]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif data:
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


protocol_texts = st.one_of(
    st.builds(replaced, st.just(PROTOCOL_DATA), st.sampled_from(PROTOCOL_PATHS), HOSTILE_TOKENS),
    st.builds(
        lambda path, value: replaced(PROTOCOL_DATA, path, json.dumps(value)),
        st.sampled_from(PROTOCOL_PATHS),
        JSON_VALUES,
    ),
).map(lambda text: text.encode("utf-8", "surrogatepass"))
protocol_bytes = protocol_texts | byte_mutations(PROTOCOL.encode())


# -- validate -----------------------------------------------------------------------------------


@FUZZ
@given(protocol_bytes)
def test_validate_a_mutated_file(content):
    with folder() as where:
        path = where / "protocol.json"
        path.write_bytes(content)
        for output in ("text", "sarif", "junit"):
            result = run_protokit("validate", "--format", output, str(path))
            assert_outcome(result, path)


@FUZZ
@given(protocol_texts.filter(lambda text: b"__" not in text), HOSTILE_TOKENS)
def test_validate_a_hostile_value_anywhere_is_refused_with_its_line(content, token):
    """A hostile token in place of a protocol's value is refused; its place is named."""
    with folder() as where:
        path = where / "protocol.json"
        path.write_text(replaced(PROTOCOL_DATA, ("delivery", "programme_weeks"), token))
        result = run_protokit("validate", str(path))
        assert_outcome(result, path)
        if token not in ("null", "true", "[]", "{}", '""'):
            assert result.code in (1, 2)


SPECIAL = ["fifo", "socket", "device-link", "newline-name", "not-utf8-name", "hidden", "empty"]


@FUZZ
@given(st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=4, unique=True), protocol_bytes)
def test_validate_a_folder_of_hostile_files(kinds, content):
    import socket

    with folder() as where:
        (where / "sub").mkdir()
        (where / "sub" / "a.json").write_bytes(content)
        (where / "good.json").write_text(PROTOCOL)
        server = None
        for kind in kinds:
            if kind == "fifo":
                os.mkfifo(where / "pipe.json")
            elif kind == "socket":
                server = socket.socket(socket.AF_UNIX)
                server.bind(str(where / "s.json"))
            elif kind == "device-link":
                (where / "zero.json").symlink_to("/dev/zero")
            elif kind == "newline-name":
                (where / "two\nlines.json").write_bytes(content)
            elif kind == "not-utf8-name":
                with open(os.fsencode(where) + b"/bad-\xff.json", "wb") as handle:
                    handle.write(content)
            elif kind == "hidden":
                (where / ".hidden.json").write_text("not json")
            else:
                (where / "empty.json").write_bytes(b"")
        try:
            result = run_protokit("validate", "--format", "junit", str(where))
        finally:
            if server is not None:
                server.close()
        assert_outcome(result, where)
        special = set(kinds) & {"fifo", "socket", "device-link", "empty"}
        if special:
            assert result.code in (1, 2)


# -- render and build ---------------------------------------------------------------------------

IMAGES = st.sampled_from(
    [
        PNG,
        PNG[:-12],
        PNG[:20],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b"\xff\xd8\xff\xe0" + b"\x00" * 30,
        b"",
        b"GIF89a",
    ]
) | byte_mutations(PNG)
URLS = st.one_of(
    st.just("https://video.example/" + "a" * 3000),
    st.text(max_size=40).map(lambda t: "https://video.example/" + t),
    st.text(max_size=40),
)


@st.composite
def protocols_with_media(draw) -> tuple[str, bytes]:
    data = copy.deepcopy(PROTOCOL_DATA)
    exercise = data["exercises"][0]
    media = [
        {"kind": "image", "path": "img.png", "alt": "A", "author": "A", "licence": "CC-BY-4.0"}
    ]
    if draw(st.booleans()):
        media.append(
            {
                "kind": "video",
                "url": draw(URLS),
                "caption": "How",
                "author": "A",
                "licence": "CC-BY-4.0",
            }
        )
    exercise["media"] = media
    return json.dumps(data, indent=2), draw(IMAGES)


@FUZZ
@given(protocol_bytes)
def test_render_a_mutated_protocol(content):
    with folder() as where:
        path = where / "protocol.json"
        path.write_bytes(content)
        before = state(where)
        result = run_protokit("render", str(path), "-o", str(where / "sheet.pdf"))
        assert_outcome(result, path, before, where)
        if result.code == 0:
            assert (where / "sheet.pdf").read_bytes().startswith(b"%PDF-")


@FUZZ
@given(protocols_with_media())
def test_render_hostile_images_and_video_links(case):
    text, image = case
    with folder() as where:
        path = where / "protocol.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        (where / "img.png").write_bytes(image)
        before = state(where)
        result = run_protokit("render", str(path), "-o", str(where / "sheet.pdf"))
        assert_outcome(result, path, before, where)


EXAMPLE = PROTOCOLS / "psoas-stretch-glute-bridge.json"
PRESCRIPTION = json.loads((REPO / "docs" / "examples" / "prescription-psoas.json").read_text())
PRESCRIPTION_PATHS = [p for p in _paths(PRESCRIPTION) if p]
# The example prescription with one value replaced by a hostile token or any JSON value.
MUTATED_PRESCRIPTIONS = st.one_of(
    st.builds(replaced, st.just(PRESCRIPTION), st.sampled_from(PRESCRIPTION_PATHS), HOSTILE_TOKENS),
    st.builds(
        lambda path, value: replaced(PRESCRIPTION, path, json.dumps(value)),
        st.sampled_from(PRESCRIPTION_PATHS),
        JSON_VALUES,
    ),
)


@FUZZ
@given(MUTATED_PRESCRIPTIONS)
def test_render_a_mutated_prescription(text):
    with folder() as where:
        prescription = where / "prescription.json"
        prescription.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = state(where)
        result = run_protokit(
            "render", str(EXAMPLE), "--prescription", str(prescription),
            "-o", str(where / "sheet.pdf"),
        )  # fmt: skip
        assert_outcome(result, prescription, before if result.code else None, where)


@FUZZ
@given(st.lists(protocol_bytes, min_size=1, max_size=3))
def test_build_a_folder_of_mutated_protocols(contents):
    with folder() as where:
        (where / "in").mkdir()
        for number, content in enumerate(contents):
            (where / "in" / f"p{number}.json").write_bytes(content)
        result = run_protokit(
            "build", str(where / "in"), "-o", str(where / "out"), "--no-bundle"
        )  # fmt: skip
        assert_outcome(result, where / "in")


# -- configuration and trust files ----------------------------------------------------------------


@FUZZ
@given(byte_mutations(CONFIG.encode()))
def test_a_mutated_configuration(content):
    with folder() as where:
        (where / "protokit.toml").write_bytes(content)
        (where / "protocol.json").write_text(PROTOCOL)
        result = run_protokit("validate", "protocol.json", cwd=where)
        assert_outcome(result, "protokit.toml")


# -- bundles --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """A real signed bundle, its trust file and key, made once."""
    from bundle.bundle_helpers import copy_examples, create, make_keys

    home = tmp_path_factory.mktemp("fuzz-bundle")
    key, _, trust = make_keys(home)
    bundle = home / "good.pkb"
    create(copy_examples(home), bundle, "--sign", str(key))
    return bundle.read_bytes(), trust.read_bytes(), key


def _manifest_changed(original: bytes, key: Path, path: tuple, token: str) -> bytes:
    """The bundle with one manifest value replaced and the manifest signed again: the files
    are unchanged, only the manifest's (now trusted) claims are hostile."""
    from protocol_kit.bundle.archive import read_archive, write_archive
    from protocol_kit.bundle.signing import load_signing_key

    with folder() as where:
        (where / "b.pkb").write_bytes(original)
        entries = dict(read_archive(where / "b.pkb").entries)
    manifest = json.loads(entries["manifest.json"])
    raw = replaced(manifest, path, token).encode("utf-8", "surrogatepass")
    entries["manifest.json"] = raw
    entries["manifest.sig"] = load_signing_key(key, lambda: None).sign(raw)
    return write_archive(entries)


MANIFEST_PATHS = st.sampled_from(
    [
        ("publisher", "name"),
        ("publisher", "contact"),
        ("created",),
        ("format_version",),
        ("protocols", 0, "title"),
        ("protocols", 0, "version"),
        ("files", 0, "size"),
        ("files", 0, "path"),
    ]
)
MANIFEST_TOKENS = HOSTILE_TOKENS | st.sampled_from(
    [
        json.dumps("2026-02-30T00:00:00Z"),
        json.dumps("0000-01-01T00:00:00Z"),
        json.dumps("Evil $(touch pwned)\nresult:     OK"),
        json.dumps("Example Physiotherapy Clinic (not a real clinic)\u200b"),
        json.dumps("../../escape.json"),
    ]
)


def _bundle_commands(bundle: Path, trust: Path, target: Path) -> list[list[str]]:
    return [
        ["bundle", "verify", str(bundle), "--trust", str(trust)],
        ["bundle", "inspect", str(bundle)],
        ["bundle", "import", str(bundle), "--into", str(target), "--trust", str(trust)],
        ["bundle", "import", str(bundle), "--into", str(target), "--allow-untrusted"],
    ]


@FUZZ
@given(st.data())
def test_bundle_commands_on_a_mutated_archive(signed, data):
    original, trust_bytes, _ = signed
    content = data.draw(byte_mutations(original))
    with folder() as where:
        bundle, trust, target = where / "b.pkb", where / "trust.toml", where / "received"
        bundle.write_bytes(content)
        trust.write_bytes(trust_bytes)
        target.mkdir()
        (target / "own.json").write_text(PROTOCOL)
        before = state(target)
        for arguments in _bundle_commands(bundle, trust, target):
            result = run_protokit(*arguments)
            assert_outcome(result, bundle, before, target)
            if content != original:
                assert result.code in (1, 2) or arguments[1] == "inspect"


@FUZZ
@given(st.data())
def test_bundle_commands_on_a_signed_manifest_with_hostile_claims(signed, data):
    original, trust_bytes, key = signed
    path, token = data.draw(MANIFEST_PATHS), data.draw(MANIFEST_TOKENS)
    content = _manifest_changed(original, key, path, token)
    with folder() as where:
        bundle, trust, target = where / "b.pkb", where / "trust.toml", where / "received"
        bundle.write_bytes(content)
        trust.write_bytes(trust_bytes)
        target.mkdir()
        before = state(target)
        for arguments in _bundle_commands(bundle, trust, target):
            result = run_protokit(*arguments)
            assert_outcome(result, bundle, before, target)


@FUZZ
@given(st.data())
def test_a_mutated_trust_file(signed, data):
    original, trust_bytes, _ = signed
    content = data.draw(byte_mutations(trust_bytes))
    with folder() as where:
        (where / "b.pkb").write_bytes(original)
        (where / "trust.toml").write_bytes(content)
        result = run_protokit("bundle", "verify", "b.pkb", "--trust", "trust.toml", cwd=where)
        assert_outcome(result, "trust.toml" if result.code == 2 else "b.pkb")


# -- hostile values in the configuration and in what protokit reads back -------------------------

TOML_TOKENS = st.sampled_from(
    [
        "nan", "+nan", "inf", "-inf", "1" + "0" * 5000, "-" + "9" * 30, "1e400",
        "[" * 300 + "]" * 300, '"' + "W" * 20_000 + '"', '"\\u0000\\u001b[2J\\n\\u202e"',
        "1979-05-27T07:32:00Z", "{}", "[]", "true", '""', '"../../.."', '"/dev/zero"',
    ]
)  # fmt: skip
TOML_KEYS = st.sampled_from(
    [
        ("lint.bounds.mobilisation", "sets", "[1, 5, {}]"),
        ("lint.bounds.mobilisation", "repetitions", "[{}, {}, {}]"),
        ("lint.options.DOSE004", "max_minutes", "{}"),
        ("clinic", "name", "{}"),
        ("clinic", "emergency_number", "{}"),
        ("lint", "ignore", "[{}]"),
        ("lint", "warnings_as_errors", "{}"),
        ("bundle", "trust", "{}"),
    ]
)


@FUZZ
@given(TOML_KEYS, TOML_TOKENS)
def test_a_configuration_with_a_hostile_value(key, token):
    table, name, shape = key
    with folder() as where:
        line = f"{name} = {shape.replace('{}', token)}\n"
        (where / "protokit.toml").write_text(
            f"{CONFIG}\n[{table}]\n{line}"
            if table not in ("clinic", "lint")
            else CONFIG.replace(f"[{table}]\n", f"[{table}]\n{line}")
        )
        (where / "protocol.json").write_text(PROTOCOL)
        result = run_protokit("validate", "protocol.json", cwd=where)
        assert_outcome(result, "protokit.toml" if result.code == 2 else "protocol.json")
        if token.lstrip("+-") in ("nan",) or len(token) > 4000:
            assert result.code == 2


RECORD_TOKENS = (
    st.sampled_from(
        ['"1.0.x"', '"../x.json"', "5", '["1.0.0"]', "[" * 5000 + "]" * 5000, "1" + "0" * 5000]
    )
    | HOSTILE_TOKENS
)


@pytest.fixture(scope="module")
def imported_folder(signed, tmp_path_factory):
    """A folder the signed bundle was imported into, and its import record as data."""
    home = tmp_path_factory.mktemp("fuzz-record")
    original, trust_bytes, _ = signed
    (home / "b.pkb").write_bytes(original)
    (home / "trust.toml").write_bytes(trust_bytes)
    (home / "received").mkdir()
    result = run_protokit(
        "bundle", "import", "b.pkb", "--into", "received", "--trust", "trust.toml", cwd=home
    )
    assert result.code == 0, result.stderr
    return home, json.loads((home / "received" / ".protokit" / "imports.json").read_text())


RECORD_FIELDS = ["version", "id", "sha256", "kind", "publisher", "key", "imported", "entry"]
JOURNAL_FIELDS = ["path", "replaces", "sha256", "moves", "folders", "format_version"]


@FUZZ
@given(
    st.sampled_from(["record", "journal"]),
    st.sampled_from(RECORD_FIELDS + JOURNAL_FIELDS),
    RECORD_TOKENS,
    st.booleans(),
)
@example("record", "version", '["1.0.0"]', True)
@example("record", "files", "[" * 5000 + "]" * 5000, False)
@example("journal", "path", "5", False)
def test_an_import_into_a_folder_whose_record_or_journal_is_hostile(
    imported_folder, which, field, token, delete
):
    """The import record or a journal left by a killed import holds a hostile value: the import
    refuses in one line (or imports, when the value does no harm), never an internal error."""
    import shutil

    home, record = imported_folder
    with folder() as where:
        shutil.copy(home / "b.pkb", where / "b.pkb")
        shutil.copy(home / "trust.toml", where / "trust.toml")
        target = where / "received"
        shutil.copytree(home / "received", target)
        if which == "record":
            first = sorted(record["files"])[0]
            path = ("files", first) if field == "entry" else ("files", first, field)
            if field not in RECORD_FIELDS:
                path = ("files",) if field != "format_version" else ("format_version",)
            (target / ".protokit" / "imports.json").write_text(replaced(record, path, token))
        else:
            staging = target / ".protokit" / "staging-fuzz"
            staging.mkdir()
            move = {"path": "a.json", "replaces": False, "sha256": "0" * 64}
            journal = {"format_version": 1, "moves": [move], "folders": []}
            top = field in ("moves", "folders", "format_version") or field in RECORD_FIELDS
            path = (field if field in journal else "moves",) if top else ("moves", 0, field)
            (staging / "journal.json").write_text(replaced(journal, path, token))
        if delete:  # the record is then all that stops a downgrade
            next(iter(sorted(target.glob("*.json")))).unlink()
        before = state(target)
        result = run_protokit(
            "bundle", "import", "b.pkb", "--into", "received", "--trust", "trust.toml", cwd=where
        )
        assert_clean_output(result)
        assert result.code in (0, 1, 2), (result.code, result.stderr)
        if result.code:
            assert state(target) == before


@FUZZ
@given(MUTATED_PRESCRIPTIONS)
def test_a_follow_up_of_a_mutated_prescription(text):
    """`new prescription --from` (thirty-first sitting, H1339): a follow-up, or one line naming
    the earlier file and nothing written; the earlier file is never changed."""
    with folder() as where:
        earlier = where / "prescription.json"
        earlier.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = state(where)
        result = run_protokit(
            "new", "prescription", "--from", str(earlier), "--protocol", str(EXAMPLE),
            "-o", str(where / "follow-up.json"),
        )  # fmt: skip
        assert_outcome(result, earlier, before if result.code else None, where)
        assert earlier.read_bytes() == before[earlier.name][1]
        if result.code == 0:
            follow_up = json.loads((where / "follow-up.json").read_text(encoding="utf-8"))
            assert follow_up["follows"]["date"] == json.loads(text)["date"]
