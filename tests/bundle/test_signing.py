"""Keys, signatures and trust files, as a clinic uses them."""

from __future__ import annotations

import os
import stat

import pytest
from bundle_helpers import copy_examples, create, make_keys

from conftest import run_protokit


def test_generated_private_key_is_readable_by_its_owner_only(tmp_path):
    key, public, trust = make_keys(tmp_path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    entry = trust.read_text()
    assert entry.startswith('[[key]]\nname = "Northside Physio"\npublic_key = "')
    again = run_protokit("keys", "generate", "-o", str(tmp_path / "clinic"))
    assert again.code == 2 and "clinic.key: already exists (use --force" in again.stderr
    assert [p.name for p in sorted(tmp_path.iterdir())] == [
        "clinic.key",
        "clinic.pub",
        "trust.toml",
    ]


def test_missing_key_folders_are_created_and_the_key_folder_is_private(tmp_path):
    result = run_protokit(
        "keys", "generate", "-o", "keys/clinic", "--name", "Northside Physio", cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    folder = tmp_path / "keys"
    assert sorted(p.name for p in folder.iterdir()) == ["clinic.key", "clinic.pub"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "clinic.key").stat().st_mode) == 0o600
    deeper = run_protokit("keys", "generate", "-o", str(tmp_path / "a" / "b" / "clinic"))
    assert deeper.code == 0, deeper.stderr
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


@pytest.mark.parametrize("prefix", ["keys/", ".key", ".pub", "keys/.key", "."])
def test_a_prefix_that_names_no_file_is_refused_and_nothing_written(tmp_path, prefix):
    """`-o keys/` wrote keys.key beside the folder, `-o .key` a hidden .key.key."""
    (tmp_path / "keys").mkdir()
    result = run_protokit("keys", "generate", "-o", prefix, "--name", "Clinic", cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert "give a name too" in result.stderr or "directory" in result.stderr, result.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert written == ["keys"]


def test_an_existing_key_folder_keeps_its_mode_and_a_file_in_the_way_is_one_line(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert run_protokit("keys", "generate", "-o", str(shared / "clinic")).code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    (tmp_path / "file").write_text("")
    blocked = run_protokit("keys", "generate", "-o", str(tmp_path / "file" / "clinic"))
    assert blocked.code == 2 and "Traceback" not in blocked.stderr
    assert blocked.stderr.strip() == (
        f"protokit: error: {tmp_path / 'file'}: cannot create the folder: a file has that name"
    )


def test_show_prints_the_same_entry_the_publisher_printed(tmp_path):
    _, public, trust = make_keys(tmp_path)
    shown = run_protokit("keys", "show", str(public), "--name", "Northside Physio")
    assert shown.code == 0 and shown.stdout == trust.read_text()
    private = run_protokit("keys", "show", str(tmp_path / "clinic.key"), "--name", "X")
    assert private.code == 2 and "is a private key; give the public key file" in private.stderr


def test_encrypted_key_needs_its_passphrase(tmp_path):
    env = {"PROTOKIT_KEY_PASSPHRASE": "correct horse battery staple"}
    made = run_protokit("keys", "generate", "-o", str(tmp_path / "k"), "--encrypt", env=env)
    assert made.code == 0, made.stderr
    assert (tmp_path / "k.key").read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    sources = copy_examples(tmp_path)
    out = tmp_path / "b.pkb"
    create(sources, out, "--sign", str(tmp_path / "k.key"), env=env)
    wrong = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "c.pkb"), "--publisher-name",
        "N", "--publisher-contact", "n@example.org", "--sign", str(tmp_path / "k.key"),
        env={"PROTOKIT_KEY_PASSPHRASE": "wrong"},
    )  # fmt: skip
    assert (
        wrong.code == 2
        and "not a readable private key (or the passphrase is wrong)" in wrong.stderr
    )
    none = run_protokit(
        "bundle", "create", str(sources), "-o", str(tmp_path / "c.pkb"), "--publisher-name",
        "N", "--publisher-contact", "n@example.org", "--sign", str(tmp_path / "k.key"),
    )  # fmt: skip
    assert none.code == 2 and "the key is encrypted: give its passphrase" in none.stderr
    assert not (tmp_path / "c.pkb").exists()


@pytest.fixture
def signed(tmp_path):
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "b.pkb"
    create(copy_examples(tmp_path), bundle, "--sign", str(key))
    return bundle, trust


def test_without_a_trust_file_a_good_signature_is_named_but_not_trusted(signed):
    bundle, trust = signed
    result = run_protokit("bundle", "verify", str(bundle))
    fingerprint = trust.read_text().split('fingerprint = "')[1].split('"')[0]
    assert result.code == 1
    assert (
        f"signature:  valid, by key {fingerprint}, NOT trusted (no trust file given)"
        in result.stdout
    )
    assert "no trust file was given (--trust)" in result.stderr
    allowed = run_protokit("bundle", "verify", str(bundle), "--allow-unsigned")
    assert allowed.code == 0 and "NOT trusted" in allowed.stdout


def test_trust_file_from_the_configuration(signed, tmp_path):
    bundle, trust = signed
    (tmp_path / "protokit.toml").write_text(f'[bundle]\ntrust = "{trust.name}"\n')
    result = run_protokit("bundle", "verify", str(bundle), cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert 'valid, by trusted key "Northside Physio"' in result.stdout


TRUST_MISTAKES = [
    (('fingerprint = "sha256:', 'fingerprint = "sha256:0'), "'fingerprint' does not match"),
    (('public_key = "', 'public_key = "AA'), "is not a base64 Ed25519 public key"),
    (("[[key]]", "[[keys]]"), 'unknown table "keys"'),
    (("name = ", "nom = "), 'unknown field "nom"; a [[key]] entry has only name, public_key and'),
    # A clinic that wants a key to lapse learns that keys do not, and what to do instead.
    (
        ("fingerprint = ", "expires = 2026-01-01\nfingerprint = "),
        ':4:11: key 1: unknown field "expires"; a [[key]] entry has only name, public_key and '
        "fingerprint: a trusted key does not expire; to stop trusting it, delete its entry",
    ),
]


@pytest.mark.parametrize(
    "edit, message",
    [
        *[(lambda t, r=r: t.replace(*r), message) for r, message in TRUST_MISTAKES],
        (lambda t: t + t, "is listed twice (also as "),
        (lambda t: t + t, "): keep one [[key]] entry for it and delete the other"),
        (lambda t: t + "[[key\n", "not valid TOML"),
        # H1420: "is larger than 4,194,304 bytes: not a the trust file".
        (
            lambda t: t + "#\n" * 2_100_000,
            ": is larger than 4,194,304 bytes: too large to be the trust file",
        ),
    ],
)
def test_a_mistake_in_the_trust_file_is_an_error_not_a_silent_skip(signed, tmp_path, edit, message):
    bundle, trust = signed
    broken = tmp_path / "broken.toml"
    broken.write_text(edit(trust.read_text()))
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(broken))
    assert result.code == 2
    assert result.stderr.startswith(f"protokit: error: {broken}") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_signature_file_is_detached_and_covers_the_manifest_bytes(signed):
    import base64
    import json

    from bundle_helpers import entries_of

    from protocol_kit.bundle.signing import PublicKey

    bundle, _ = signed
    entries = entries_of(bundle)
    signature = json.loads(entries["manifest.sig"])
    assert set(signature) == {"algorithm", "public_key", "fingerprint", "signature"}
    assert signature["algorithm"] == "Ed25519"
    key = PublicKey(base64.b64decode(signature["public_key"]))
    value = base64.b64decode(signature["signature"])
    assert key.verifies(value, entries["manifest.json"])
    assert not key.verifies(value, entries["manifest.json"] + b" ")


def test_a_trusted_key_that_signs_for_another_clinic_name_is_pointed_out(signed, tmp_path):
    # The signature is good and the key trusted, but the bundle names a publisher other than
    # the clinic the reader trusts that key as: the reader must see both names.
    bundle, trust = signed
    trust.write_text(trust.read_text().replace('name = "Northside Physio"', 'name = "Southside"'))
    result = run_protokit("bundle", "verify", str(bundle), "--trust", str(trust))
    assert result.code == 0, result.stderr
    assert (
        "publisher:  Northside Physio <info@northside.example>, but signed by the key your trust "
        'file calls "Southside": make sure they are the same clinic'
    ) in result.stdout


def test_an_unverified_publisher_is_labelled_as_a_claim(signed):
    bundle, _ = signed
    result = run_protokit("bundle", "verify", str(bundle), "--allow-unsigned")
    assert result.code == 0, result.stderr
    assert (
        "publisher:  Northside Physio <info@northside.example> (as the manifest claims: "
        "not verified)"
    ) in result.stdout


def test_a_key_pair_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """H183: `keys generate --force` over a pair whose .pub had become a named pipe (or a
    folder) replaced the private key, then failed on the public one: the old private key was
    lost and the pair no longer matched; a private key could be written into a pipe."""
    import os

    from protocol_kit.app import keys as keys_module
    from protocol_kit.errors import OutputError

    prefix = tmp_path / "clinic"
    keys_module.generate_keys(prefix, None)
    private, public = tmp_path / "clinic.key", tmp_path / "clinic.pub"
    old_private, old_public = private.read_bytes(), public.read_bytes()

    public.unlink()
    os.mkfifo(public)
    result = run_protokit("keys", "generate", "-o", str(prefix), "--name", "North", "--force")
    assert result.code == 2 and "named pipe" in result.stderr, result
    assert private.read_bytes() == old_private
    public.unlink()
    public.write_bytes(old_public)

    real_write = keys_module.write_atomic

    def second_write_fails(path, *args, **kwargs):
        if str(path).endswith(".pub"):
            raise OutputError(f"{path}: cannot write: No space left on device")
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr(keys_module, "write_atomic", second_write_fails)
    with pytest.raises(OutputError):
        keys_module.generate_keys(prefix, None, force=True)
    assert private.read_bytes() == old_private and public.read_bytes() == old_public


def test_an_empty_name_is_refused_not_replaced_by_the_configured_one(tmp_path):
    (tmp_path / "protokit.toml").write_text('[clinic]\nname = "Configured Clinic"\n', "utf-8")
    result = run_protokit("keys", "generate", "-o", "keys/clinic", "--name", "", cwd=tmp_path)
    assert result.code == 2 and "is empty" in result.stderr, result.stderr
    assert not (tmp_path / "keys").exists()


def test_keys_whose_trust_entry_cannot_be_printed_are_not_kept(tmp_path):
    """H349: `keys generate > /dev/full` wrote both key files, then failed to print the
    trust-file entry and exited 2 with "cannot write the output": a key made that no clinic
    was given, beside an error that read as if nothing had been made."""
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "protocol_kit", "keys", "generate", "-o", "clinic"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    error = completed.stderr.decode()
    assert completed.returncode == 2, error
    assert error.splitlines()[-1] == (
        "protokit: error: clinic.key: not kept: the trust-file entry could not be written to "
        "standard output (No space left on device); no key was made"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_a_second_keys_generate_at_once_never_deletes_the_firsts_key(tmp_path, monkeypatch):
    """H871: two `keys generate -o clinic` at once: the second found `clinic.key` written by
    the first when it came to write its own, and, undoing what it took for its own half-made
    pair, deleted the first's new private key; the first then said it wrote a pair of which
    only the public key was left."""
    from protocol_kit.app import keys as keys_module
    from protocol_kit.errors import OutputError

    prefix = tmp_path / "clinic"
    private, public = tmp_path / "clinic.key", tmp_path / "clinic.pub"
    write = keys_module.write_atomic

    def the_other_writes_first(*args, **kwargs):
        monkeypatch.setattr(keys_module, "write_atomic", write)
        keys_module.generate_keys(prefix, None)  # the other command, done meanwhile
        return write(*args, **kwargs)

    monkeypatch.setattr(keys_module, "write_atomic", the_other_writes_first)
    theirs = {}
    with pytest.raises(OutputError, match="already exists"):
        try:
            keys_module.generate_keys(prefix, None)
        finally:
            theirs = {path: path.read_bytes() for path in (private, public) if path.exists()}
    assert set(theirs) == {private, public}  # the first command's pair, both files kept


def test_a_trust_file_beside_the_bundle_not_given_is_named_not_used(signed, tmp_path):
    # A receiving clinic that keeps trust.toml where it works, and forgot --trust, read the
    # whole telephone procedure; the file is named, and still not read unless given.
    bundle, trust = signed
    here = tmp_path / "clinic"
    here.mkdir()
    (here / "trust.toml").write_text(trust.read_text())
    result = run_protokit("bundle", "verify", str(bundle), cwd=here)
    assert result.code == 1 and "NOT trusted (no trust file given)" in result.stdout
    assert "(this folder has trust.toml: --trust trust.toml)" in result.stdout
    assert "(this folder has trust.toml: --trust trust.toml)" in result.stderr
    given = run_protokit("bundle", "verify", str(bundle), "--trust", "trust.toml", cwd=here)
    assert given.code == 0, given.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    elsewhere = run_protokit("bundle", "verify", str(bundle), cwd=empty)
    assert "this folder has" not in elsewhere.stdout + elsewhere.stderr


def test_an_import_without_a_trust_file_says_where_the_steps_to_trust_are(signed, tmp_path):
    """s38-users2 (H1439): `import` prints no report; a clinic receiving its first bundle,
    with no trust file yet, read "no trust file was given (--trust)" and nothing of how to
    make one, as the other refusals of an untrusted key say."""
    bundle, _ = signed
    into = tmp_path / "received"
    into.mkdir()
    result = run_protokit("bundle", "import", str(bundle), "--into", str(into))
    assert result.code == 1 and len(result.stderr.splitlines()) == 1
    assert "no trust file was given (--trust)" in result.stderr
    assert "'to trust this publisher' in the report of protokit bundle verify says how" in (
        result.stderr
    )
    assert list(into.iterdir()) == []
