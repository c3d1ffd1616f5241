"""`protokit fmt` in a folder whose protokit.toml still holds `protokit init`'s TODOs: it
refuses, as every command but `protokit new` does (docs/ci.md, decided in the thirtieth
sitting: one rule for the clinic lead, and the commit fails at the validate hook anyway)."""

from __future__ import annotations

from conftest import run_protokit


def test_fmt_and_its_check_refuse_until_the_clinic_is_filled_in(tmp_path):
    assert run_protokit("init", cwd=tmp_path).code == 0
    assert run_protokit("new", "protocol", "knee", cwd=tmp_path).code == 0
    before = (tmp_path / "knee.json").read_bytes()
    for options in (["--check"], []):
        result = run_protokit("fmt", *options, "knee.json", cwd=tmp_path)
        assert result.code == 2, result.stderr
        assert result.stderr.startswith("protokit: error: protokit.toml:")
        assert "still says TODO" in result.stderr and result.stderr.count("\n") == 1
    assert (tmp_path / "knee.json").read_bytes() == before
