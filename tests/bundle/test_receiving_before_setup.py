"""A clinic receiving its first bundle right after `protokit init`, its own details still TODO:
`bundle verify` and `bundle import` check the bundle with the configuration's trust file, lint
settings and library folders, and need nothing of the receiving clinic's own details, which only
its sheets print (H1426). The configuration's other mistakes still refuse them."""

from __future__ import annotations

from bundle_helpers import copy_examples, create, make_keys

from conftest import run_protokit


def _received_after_init(tmp_path):
    sources = copy_examples(tmp_path)
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    create(sources, bundle, "--sign", str(key))
    clinic = tmp_path / "receiving"
    assert run_protokit("init", str(clinic)).code == 0
    assert "TODO" in (clinic / "protokit.toml").read_text(encoding="utf-8")
    (clinic / "trust.toml").write_bytes(trust.read_bytes())
    return clinic, bundle


def test_a_clinic_just_set_up_verifies_and_imports_a_bundle(tmp_path):
    clinic, bundle = _received_after_init(tmp_path)
    verified = run_protokit("bundle", "verify", str(bundle), "--trust", "trust.toml", cwd=clinic)
    assert verified.code == 0, verified.stderr
    assert "result:     OK" in verified.stdout
    (clinic / "received").mkdir()
    imported = run_protokit("bundle", "import", str(bundle), "--into", "received",
                            "--trust", "trust.toml", cwd=clinic)  # fmt: skip
    assert imported.code == 0, imported.stderr
    assert (clinic / "received" / "psoas-stretch-glute-bridge.json").is_file()


def test_the_configurations_other_mistakes_still_refuse_a_verify(tmp_path):
    clinic, bundle = _received_after_init(tmp_path)
    config = clinic / "protokit.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[lint]\nselect = "DOSE"\n',
                      encoding="utf-8")  # fmt: skip
    verified = run_protokit("bundle", "verify", str(bundle), "--trust", "trust.toml", cwd=clinic)
    assert verified.code == 2
    assert "protokit.toml" in verified.stderr and "select" in verified.stderr
    assert "Traceback" not in verified.stderr


def test_init_says_a_bundle_is_checked_before_the_details_and_validate_waits(tmp_path):
    """init said that until the details are filled in protokit "checks ... nothing in this
    folder": a receiving clinic filled them in with anything to verify the bundle it was sent,
    which needs none of them (s38-users2, H1438). `validate` still waits for the details, as
    `render` does (decided in docs/bundles.md: `verify` has checked every protocol already)."""
    sources = copy_examples(tmp_path)
    key, _, trust = make_keys(tmp_path)
    bundle = tmp_path / "clinic.pkb"
    create(sources, bundle, "--sign", str(key))
    clinic = tmp_path / "receiving"
    said = run_protokit("init", str(clinic))
    told = "protokit bundle verify and import still check and unpack a bundle you were sent"
    assert told in " ".join(said.stdout.split())
    comment = " ".join(
        line.lstrip("# ") for line in (clinic / "protokit.toml").read_text("utf-8").splitlines()
    )
    assert "bundle verify and import check a bundle you were sent" in comment
    (clinic / "trust.toml").write_bytes(trust.read_bytes())
    (clinic / "received").mkdir()
    imported = run_protokit("bundle", "import", str(bundle), "--into", "received",
                            "--trust", "trust.toml", cwd=clinic)  # fmt: skip
    assert imported.code == 0, imported.stderr
    checked = run_protokit("validate", "received", cwd=clinic)
    assert checked.code == 2 and len(checked.stderr.splitlines()) == 1
    assert checked.stderr.startswith("protokit: error: protokit.toml:7:8: [clinic] name: still")
