"""In Chromium: a protocol that `protokit bundle import` wrote (its library exercises inlined,
each with `x-library`) opens in the form whole, and the receiving clinic signs it off there;
the next import keeps that review (H1199). Its own module, server and browser, apart from
test_workbench_browser.py's scenarios."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time

from workbench_helpers import workbench_page

from conftest import HANG_SECONDS, REPO, run_protokit

NAME = "hip-flexor-stretch-programme.json"
PUBLISHER = "Example Physiotherapy Clinic (not a real clinic)"


def _imported_clinic(tmp_path):
    """A receiving clinic's folder with NAME imported from a signed bundle of the examples,
    as README's "Share protocols between clinics" does it."""
    source = tmp_path / "publisher"
    (source / "protocols").mkdir(parents=True)
    shutil.copytree(REPO / "protocols" / "library", source / "protocols" / "library")
    shutil.copy(REPO / "protocols" / NAME, source / "protocols" / NAME)
    shutil.copy(REPO / "protokit.toml", source / "protokit.toml")
    for command in (
        ("keys", "generate", "-o", "keys/clinic"),
        ("bundle", "create", "protocols", "-o", "clinic.pkb", "--sign", "keys/clinic.key"),
    ):
        assert run_protokit(*command, cwd=source).code == 0, command
    clinic = tmp_path / "clinic"
    (clinic / "received").mkdir(parents=True)
    shutil.copy(REPO / "protokit.toml", clinic / "protokit.toml")
    trusted = run_protokit("keys", "show", str(source / "keys/clinic.pub"), "--name", PUBLISHER)
    (clinic / "trust.toml").write_text(trusted.stdout, "utf-8")
    imported = ("bundle", "import", str(source / "clinic.pkb"), "--into", "received/")
    imported += ("--trust", "trust.toml")
    assert run_protokit(*imported, cwd=clinic).code == 0
    return clinic, imported


# What the page shows when a wait reaches its limit. The one run where the sign-off never
# appeared (a fresh clone's CI, thirty-first sitting) said only "never: ...", and the cause
# could not be established afterwards (forty runs and more, with delayed answers, CPU
# throttling and a churning list of optional fields, did not fail so): a hang now says
# whether the box was ticked, whether the form holds the field, what the page said, and the
# page's script errors, which the test asserts only at its end.
_SEEN = """() => {
  const root = window.workbench && window.workbench.editor() &&
    window.workbench.editor().getEditor("root");
  const boxes = [...document.querySelectorAll('[data-schemapath="root"] input[type=checkbox]')]
    .filter((box) => box.parentElement.textContent.trim() === "Sign-off");
  return {
    url: location.href,
    box_open: root ? Boolean(root.adding_property) : null,
    sign_off_ticked: boxes.map((box) => box.checked),
    form_holds_sign_off: root ? "sign_off" in root.editors : null,
    status: root ? (root.getValue() || {}).status : null,
    save: document.getElementById("save-status").textContent,
    checks: document.getElementById("findings-status").textContent,
  };
}"""


def _until(page, condition: str, errors: list[str] | None = None) -> None:
    # Polled (the page's policy forbids the eval Playwright's waiting uses); the limit only
    # catches a hang.
    deadline = time.monotonic() + HANG_SECONDS
    while not page.evaluate(f"() => Boolean({condition})"):
        if time.monotonic() >= deadline:
            seen = page.evaluate(_SEEN)
            raise AssertionError(f"never: {condition}; the page: {seen}; errors: {errors}")
        time.sleep(0.05)


def _type(page, pointer: str, value: str) -> None:
    name = "root" + "".join(f"[{part}]" for part in pointer.split("/")[1:])
    target = page.locator(f'[name="{name}"]')
    if target.evaluate("e => e.tagName") == "SELECT":
        target.select_option(value)
    else:
        target.fill(value)
        target.press("Tab")


def test_an_imported_protocol_is_signed_off_in_the_form_and_kept_by_the_next_import(tmp_path):
    clinic, imported = _imported_clinic(tmp_path)
    path = clinic / "received" / NAME
    as_imported = json.loads(path.read_text("utf-8"))
    assert all("x-library" in exercise for exercise in as_imported["exercises"])
    with workbench_page(clinic, f"received/{NAME}") as (page, errors):
        _until(page, "window.workbench && window.workbench.lost !== undefined", errors)
        # The form drew every inlined exercise as a reference to a library exercise,
        # lost its name, steps, poses..., and refused to save (H1199).
        assert page.evaluate("() => window.workbench.lost") == []
        assert page.evaluate("() => window.workbench.value()") == as_imported
        assert not page.locator("#save").is_disabled()
        # The review: active, with the clinic's sign-off added under Optional fields.
        _type(page, "/status", "active")
        # The form has taken the status before the box is opened: the one CI run where the
        # sign-off never appeared (fresh clone, two workers) ticked it while the change was
        # still being handled; the cause was not established, so each step waits for the last.
        _until(page, "window.workbench.value().status === 'active'", errors)
        root = page.locator('[data-schemapath="root"]')
        root.get_by_role("button", name="Optional fields").first.click()
        sign_off_box = root.get_by_label("Sign-off", exact=True)
        sign_off_box.check()
        assert sign_off_box.is_checked()
        _until(page, "document.querySelector('[data-schemapath=\"root.sign_off\"]')", errors)
        sign_off = {
            "/sign_off/name": "Jo Local",
            "/sign_off/profession": "Physiotherapist",
            "/sign_off/registration/body": "HCPC",
            "/sign_off/registration/number": "PH654321",
            "/sign_off/date": dt.date.today().isoformat(),  # after its `updated`
        }
        for pointer, value in sign_off.items():
            _type(page, pointer, value)
        _until(page, "window.workbench.findingsCurrent()", errors)
        _until(page, "document.getElementById('findings-status').textContent"
                     ".startsWith('No problems')", errors)  # fmt: skip
        # The box of optional fields is still open: the first click on Save saves (it
        # only closed the box, and the page said "Unsaved changes.").
        assert root.get_by_label("Sign-off", exact=True).is_visible()
        page.locator("#save").click()
        _until(page, "document.getElementById('save-status').textContent"
                     ".startsWith('Saved')", errors)  # fmt: skip
        assert errors == []
    reviewed = json.loads(path.read_text("utf-8"))
    assert reviewed["status"] == "active" and reviewed["sign_off"]["name"] == "Jo Local"
    # Nothing else changed: the inlined exercises and their `x-library` are as imported.
    assert {k: v for k, v in reviewed.items() if k not in ("status", "sign_off")} == {
        k: v for k, v in as_imported.items() if k != "status"
    }
    again = run_protokit(*imported, cwd=clinic)
    assert again.code == 0, again.stderr
    assert "reviewed here: your review is kept" in again.stdout + again.stderr
