"""The documents that passed their schema, kept between runs
(protocol_kit/validation/schema_verdicts.py):
a document seen before is not checked again while the engine is not built, and a change to
the document, a schema, the code that asks the engine, the engine or the interpreter gives a
fresh verdict (issue 17)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PROTOCOLS, REPO, warm_cache
from protocol_kit import validation
from protocol_kit.cache import ThisRunOnly
from protocol_kit.schemas import KIND_BY_NAME, schema_dir
from protocol_kit.validation import SchemaChecker, schema_verdicts

PROTOCOL = KIND_BY_NAME["protocol"]
EXERCISE = KIND_BY_NAME["exercise"]
PSOAS = PROTOCOLS / "psoas-stretch-glute-bridge.json"
# A protocol that fails its schema (no title, no exercises): its verdict can only be "passed"
# if one was planted.
FAILING = {"$schema": PROTOCOL.uri, "id": "x"}


def new_run() -> None:
    """What a new process starts with: no engine built, no verdicts read, no keys asked."""
    validation._fast_registry.cache_clear()
    schema_verdicts._kept.cache_clear()
    schema_verdicts._asked[0] = 0


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of the sources and schema files the label is made of, read in place of the
    package's own, and an empty cache folder."""
    copy = tmp_path / "protocol_kit"
    for name in schema_verdicts.CODE:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "protocol_kit" / name, copy / name)
    shutil.copytree(schema_dir(), copy / "schemas")
    monkeypatch.setattr(
        schema_verdicts, "__file__", str(copy / "validation" / "schema_verdicts.py")
    )
    monkeypatch.setattr("protocol_kit.schemas.schema_dir", lambda: copy / "schemas")
    monkeypatch.setenv("PROTOKIT_CACHE_DIR", str(tmp_path / "cache"))
    new_run()
    yield copy
    new_run()


def planted(data: dict) -> None:
    """A "passed" kept for `data` as a run keeps it at exit, whatever the engine says."""
    new_run()
    kept = schema_verdicts._kept()
    kept.add(schema_verdicts.key(PROTOCOL.uri, data), True)
    kept._save()
    new_run()  # the next question is a new run's


def test_a_verdict_is_kept_between_runs(package):
    planted(FAILING)
    assert SchemaChecker().is_valid(PROTOCOL, FAILING)
    assert validation._fast_registry.cache_info().currsize == 0  # the engine was not built


def test_without_a_kept_verdict_the_engine_answers(package):
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)
    other = {**FAILING, "id": "y"}
    planted(other)
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)
    assert SchemaChecker().check(PROTOCOL, FAILING)  # its findings, from the engine


def test_a_passing_document_is_kept_and_a_failing_one_is_not(package):
    document = json.loads(PSOAS.read_text(encoding="utf-8"))
    assert SchemaChecker().is_valid(PROTOCOL, document)
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)
    schema_verdicts._kept()._save()
    new_run()
    kept = schema_verdicts._kept()
    assert kept.get(schema_verdicts.key(PROTOCOL.uri, document)) is True
    assert kept.get(schema_verdicts.key(PROTOCOL.uri, FAILING)) is not True
    # Kept against its own schema only.
    assert kept.get(schema_verdicts.key(EXERCISE.uri, document)) is not True


def test_once_the_engine_is_built_it_answers(package):
    planted(FAILING)
    checker = SchemaChecker()
    assert not checker.is_valid(PROTOCOL, {"id": "built"})  # not kept: the engine is built
    assert not checker.is_valid(PROTOCOL, FAILING)


@pytest.mark.parametrize("value", [1, 1.0, True, "1", [1], None])
def test_values_that_read_alike_have_keys_of_their_own(value):
    keys = {
        schema_verdicts.key(PROTOCOL.uri, {"a": other})
        for other in (1, 1.0, True, "1", [1], None, (1,), -0.0, 0.0)
    }
    assert len(keys) == 9
    assert schema_verdicts.key(PROTOCOL.uri, {"a": value}) in keys


def test_a_value_marshal_cannot_write_has_no_key():
    class Text(str):
        pass

    assert schema_verdicts.key(PROTOCOL.uri, {"a": Text("b")}) is None
    assert schema_verdicts.key(PROTOCOL.uri, {"a": object()}) is None
    deep: list = []
    for _ in range(3000):
        deep = [deep]
    assert schema_verdicts.key(PROTOCOL.uri, deep) is None


def test_a_changed_schema_gives_a_fresh_verdict(package):
    planted(FAILING)
    with open(package / "schemas" / "common.schema.json", "ab") as handle:
        handle.write(b" ")  # the same schema, other content: asked afresh all the same
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_a_new_schema_file_gives_a_fresh_verdict(package):
    planted(FAILING)
    shutil.copyfile(package / "schemas" / "pose.schema.json", package / "schemas" / "x.schema.json")
    assert schema_verdicts._files() is not None and any(
        name.endswith("/x.schema.json") for name in schema_verdicts._files()
    )
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


@pytest.mark.parametrize("changed", schema_verdicts.CODE)
def test_changed_code_gives_a_fresh_verdict(package, changed):
    planted(FAILING)
    with open(package / changed, "ab") as handle:
        handle.write(b"\n# another version\n")
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_another_engine_gives_a_fresh_verdict(package, monkeypatch):
    planted(FAILING)
    real = schema_verdicts.engine()
    assert real is not None and "jsonschema_rs-" in real and ".dist-info" in real
    monkeypatch.setattr(schema_verdicts, "engine", lambda: real + " (another build)")
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_another_protokit_version_gives_a_fresh_verdict(package, monkeypatch):
    planted(FAILING)
    monkeypatch.setattr("protocol_kit.__version__", "99.0.0")
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_another_interpreter_gives_a_fresh_verdict(package, monkeypatch):
    planted(FAILING)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_a_damaged_file_is_not_read(package, tmp_path):
    planted(FAILING)
    (kept,) = (tmp_path / "cache").glob("schema-verdicts-*")
    content = kept.read_bytes()
    kept.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)
    kept.write_bytes(content[: len(content) // 2])
    new_run()
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def test_without_its_sources_nothing_is_kept(package):
    (package / "schemas.py").unlink()
    new_run()
    assert isinstance(schema_verdicts._kept(), ThisRunOnly)
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


def run_validate(path, cache, *, engine_imported: bool) -> subprocess.CompletedProcess:
    code = (
        "import sys\n"
        "from protocol_kit.cli.main import main\n"
        f"sys.argv = ['protokit', 'validate', {str(path)!r}]\n"
        "try:\n    main()\nfinally:\n"
        "    print('jsonschema_rs' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert out.stderr.splitlines()[-1] == str(engine_imported), out.stderr
    return out


def test_a_file_changed_after_it_passed_is_checked_again(tmp_path):
    # Its library folder beside it, as in protocols/.
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    path = folder / PSOAS.name
    # A user's cache after first runs (the code index, the compiled patterns...) but for the
    # schema verdicts: the first run below is the first to check these files against their
    # schemas. From an empty cache it built all the rest too, seconds of CPU that are not
    # what is tested (twenty-eighth sitting).
    cache = warm_cache(tmp_path / "cache")
    for kept in cache.glob("schema-verdicts-*"):
        kept.unlink()
    first = run_validate(path, cache, engine_imported=True)
    again = run_validate(path, cache, engine_imported=False)
    assert first.returncode == again.returncode == 0
    assert first.stdout == again.stdout
    # A field the schema does not know: the engine is built, and says so.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["titel"] = "typo"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    changed = run_validate(path, cache, engine_imported=True)
    assert changed.returncode == 1
    assert "SCHEMA002" in changed.stdout and "titel" in changed.stdout


def test_a_cache_folder_that_cannot_be_used_changes_nothing(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    outputs = [run_validate(PSOAS, blocked, engine_imported=True) for _ in range(2)]
    assert [o.returncode for o in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout
    assert blocked.read_text() == "a file where the cache folder should be"


def test_a_verdict_in_a_folder_another_account_may_write_is_never_read(package, tmp_path):
    # H540: anyone who may write the folder could plant "passed" for a failing protocol.
    planted(FAILING)
    assert SchemaChecker().is_valid(PROTOCOL, FAILING)  # the user's own folder: read
    (tmp_path / "cache").chmod(0o777)
    new_run()
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)
    assert SchemaChecker().check(PROTOCOL, FAILING)


def test_a_verdict_file_that_is_a_link_is_never_read(package, tmp_path):
    planted(FAILING)
    (kept,) = (tmp_path / "cache").glob("schema-verdicts-*")
    elsewhere = tmp_path / "elsewhere.marshal"
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere)
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_verdict_file_of_another_account_is_never_read(package, tmp_path):
    planted(FAILING)
    (kept,) = (tmp_path / "cache").glob("schema-verdicts-*")
    os.chown(kept, 65534, 65534)
    assert not SchemaChecker().is_valid(PROTOCOL, FAILING)


# A `validate` that keeps "passed" for every document it reads, whatever the engine says, as
# a cache restored from another build or a file changed by the user's own account would (the
# keys as `validate` itself works them out).
PLANT = (
    "import sys\n"
    "from protocol_kit.validation import schema_verdicts\n"
    "key = schema_verdicts.key\n"
    "def planting(uri, data):\n"
    "    found = key(uri, data)\n"
    "    schema_verdicts.remember(found)\n"
    "    return found\n"
    "schema_verdicts.key = planting\n"
    "schema_verdicts.passed = lambda found: False\n"
    "from protocol_kit.cli.main import main\n"
    "sys.argv = ['protokit', 'validate', '-q', *sys.argv[1:]]\n"
    "main()\n"
)


def protokit_with_cache(cache, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(cache)}
    env.pop("PROTOKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "protocol_kit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("changed", "field", "value", "command"),
    [
        (PSOAS.name, "title", 12345, "validate"),
        ("library/glute-bridge.json", "name", 5, "validate"),
        ("library/glute-bridge.json", "name", 5, "render"),
    ],
)
def test_a_verdict_the_users_own_account_planted_is_dropped(
    tmp_path, changed, field, value, command
):
    # H585: a "passed" kept for a protocol (or library exercise) whose value the model cannot
    # take ended the run in "internal error: TypeError"; the engine now checks it again.
    folder = tmp_path / "protocols"
    shutil.copytree(PROTOCOLS, folder)
    bad = folder / changed
    data = json.loads(bad.read_text(encoding="utf-8"))
    data[field] = value
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    protocol, cache = folder / PSOAS.name, tmp_path / "cache"
    env = {**os.environ, "PROTOKIT_CACHE_DIR": str(cache)}
    subprocess.run(
        [sys.executable, "-c", PLANT, str(protocol), str(bad)], cwd=REPO, env=env, timeout=120
    )
    assert list(cache.glob("schema-verdicts-*"))
    output = tmp_path / "sheet.pdf"
    extra = ["-o", output] if command == "render" else []
    out = protokit_with_cache(cache, command, protocol, *extra)
    assert "internal error" not in out.stderr
    assert out.returncode in (1, 2)
    said = out.stdout + out.stderr
    assert str(bad) in said and "schema" in said
    assert not output.exists()
    again = protokit_with_cache(cache, command, protocol, *extra)
    assert (again.returncode, again.stdout, again.stderr) == (
        out.returncode,
        out.stdout,
        out.stderr,
    )
