"""The workbench in a real browser: Debian's Chromium driven by Playwright (no browser is
downloaded). A therapist authors a protocol from `new` to valid and saves it, prescribes a
protocol for a patient and prints the sheet (its text read back from the PDF), watches the
preview follow the form, adds a picture, reads a rule's explanation at its finding; a
conflict, a bad token, a foreign page and a path outside the folder are tried; axe-core's
WCAG 2.2 AA rules run on every screen.

Each scenario is its own test, starting from a tab reset to a new one's state (`SharedTab`:
no page, route or other tab left by the one before), and uses files of the folder no other one
changes. The scenarios share one server, one Chromium and its one tab (module-scoped fixtures,
so that tests/conftest.py keeps them on one pytest-xdist worker): spread over both workers,
each worker started its own Playwright driver, Chromium and server, about ten seconds of
set-up paid twice at the start of every run. A scenario that needs a browser state of its own
makes it (a stranger's context without the cookie; a browser of its own to close a tab in)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from authoring import CHOICES, TEXTS, filled
from session_setup import npm_cache_options
from workbench_helpers import imported_copy, served_fixture

from conftest import HANG_SECONDS, REPO, run_protokit, session_folder
from protocol_kit.formatting import canonical_text, dumps

# PROTOKIT_BROWSER_SLOWDOWN=N (README) runs the pages' scripts N times slower, to find a test
# that does not wait for what it asserts; the limits that only catch a hang stretch with it,
# or a correct page opened on a loaded machine at 6x (the first page of a run: the server's
# first answers and the editor's scripts) took longer than 120 s and failed as a hang.
SLOWDOWN = float(os.environ.get("PROTOKIT_BROWSER_SLOWDOWN") or 1)
PAGE_HANG_SECONDS = HANG_SECONDS * max(SLOWDOWN, 1)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STATUS = "document.getElementById('findings-status').textContent"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# One server for the module's scenarios (module scope: one xdist worker runs them all).
served = pytest.fixture(scope="module")(served_fixture)

# What a therapist types into a new prescription's form: the patient, the prescriber, and the
# first exercise's dosage changed, with the reason.
A_PRESCRIPTION = {
    "/patient/name": "Jordan Example-Patient",
    "/patient/date_of_birth": "1970-05-01",
    "/patient/identifier": "K-1234",
    "/therapist/name": "Sam Example",
    "/therapist/credentials": "Physiotherapist",
    "/therapist/phone": "0113 496 0124",
    "/overrides/0/dosage/hold_seconds": 15,
    "/overrides/0/reason": "Shorter holds while the knee settles.",
}


def _required(name: str, found: bool) -> None:
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must install {name} (.ci/run)")
    pytest.skip(f"not installed: {name}")


@pytest.fixture(scope="session")
def axe_source():
    """axe-core from npm, installed once beside its package.json (node_modules is ignored by
    git) and read from there by later runs. One worker installs it while the other waits (a
    lock in the session's folder): in a fresh clone both workers found it missing and ran npm
    in the same folder at once, or one read the script while the other's npm was writing it."""
    import fcntl

    folder = Path(__file__).parent / "axe"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    with open(session_folder() / "axe-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not script.exists():
            npm = shutil.which("npm")
            _required("npm", npm is not None)
            installed = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--silent", "--no-package-lock",
                 *npm_cache_options(session_folder())],
                cwd=folder, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert installed.returncode == 0, installed.stderr
        return script.read_text("utf-8")


@pytest.fixture(scope="module")
def playwright_driver():
    _required("chromium", os.path.exists(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required("the playwright Python package", False)
    with sync_playwright() as playwright:
        yield playwright


def launched_chromium(playwright):
    # Playwright gives a browser 30 s to start, then fails every test of the session that
    # uses it; here the limit only catches a hang, as the pages' own waits below.
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu"],
        timeout=HANG_SECONDS * 1000,
    )


@pytest.fixture(scope="module")
def browser(playwright_driver):
    launched = launched_chromium(playwright_driver)
    yield launched
    launched.close()


@pytest.fixture
def own_browser(playwright_driver):
    """A browser for one test alone: closing a page that asks "leave this page?" is where
    Chromium has been seen to end the whole browser (twice in about forty suite runs: the
    next six tests of that worker then failed at their set-up, "Target page, context or
    browser has been closed"). What it does to its own browser cannot reach the others."""
    launched = launched_chromium(playwright_driver)
    yield launched
    with contextlib.suppress(Exception):  # already gone, as above: nothing left to close
        launched.close()


def new_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Playwright's own waits (30 s by default) would fail a slow but correct page on a loaded
    # machine: here they only catch a hang.
    context.set_default_timeout(PAGE_HANG_SECONDS * 1000)
    return context


def new_page(context):
    page = context.new_page()
    if SLOWDOWN != 1:
        # To look for races (README.md): the page's scripts run this many times slower
        # than the test's steps, as on a loaded machine.
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    return page


@contextlib.contextmanager
def without_script_errors(page):
    """Fails if any script of any page failed while the block ran."""
    errors: list[str] = []

    def failed(error) -> None:
        errors.append(str(error))

    page.on("pageerror", failed)
    try:
        yield
    finally:
        page.remove_listener("pageerror", failed)
    assert errors == []


@contextlib.contextmanager
def opened_page(browser, served, close=True):
    """A new browser context (no cookie yet) with the token's address opened, as a user opens
    the link `protokit serve` printed; fails if any script of any page failed. Without
    `close`, the context is left to its browser's end (`own_browser`)."""
    context = new_context(browser)
    page = new_page(context)
    try:
        with without_script_errors(page):
            page.goto(f"{served.base}/?token={served.token}")
            yield page
    finally:
        if close:
            context.close()


class SharedTab:
    """The module's one browser context and its one tab, which each scenario starts from
    afresh (`reset`). A new context per scenario cost a new renderer process and a first page
    in it: about 1 s of Chromium's CPU a scenario, half of a short one's (twenty-eighth
    sitting, docs/performance.md). Nothing a scenario leaves reaches the next: the page's
    scripts and their state go with the document, the routes and the other tabs (a printed
    sheet's) are removed, and the cookie is the one the token's address gives every scenario
    (the workbench keeps no state in the browser: no storage, no service worker)."""

    def __init__(self, browser) -> None:
        self.context = new_context(browser)
        self.page = new_page(self.context)

    def reset(self, served):
        """The tab as a new one, with the token's address opened as a user opens the link
        `protokit serve` printed."""
        for other in self.context.pages:
            if other is not self.page:
                other.close()
        if self.page.is_closed():
            self.page = new_page(self.context)
        self.page.unroute_all(behavior="ignoreErrors")
        self.context.unroute_all(behavior="ignoreErrors")

        # A form left with unsaved changes asks "leave this page?": Playwright leaves it (a
        # "beforeunload" dialog no handler takes is accepted; any other is dismissed).
        self.page.goto(f"{served.base}/?token={served.token}")
        return self.page


@pytest.fixture(scope="module")
def shared_tab(browser):
    tab = SharedTab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def page(shared_tab, served):
    """The module's tab, reset to a new one's state (`SharedTab`); fails if any script of any
    page failed during the test."""
    opened = shared_tab.reset(served)
    with without_script_errors(opened):
        yield opened


def saved_and_printed(page, tmp_path) -> str:
    """Click "Save and print" and return the text of the sheet it opens (pdftotext)."""
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Save and print").click()
    pdf = page.request.get(popup.value.url).body()
    assert pdf.startswith(b"%PDF")
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


def wait_until(page, condition: str) -> None:
    """Poll a condition in the page (the page's policy forbids eval, which Playwright's own
    waiting uses), however long a loaded machine takes; the limit only catches a hang."""
    wait_for(lambda: page.evaluate(f"() => Boolean({condition})"), condition)


def wait_for(condition, what: str = "the condition") -> None:
    """Poll a condition of the test until it holds; the limit only catches a hang."""
    import time

    deadline = time.monotonic() + PAGE_HANG_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"never true: {what}"
        time.sleep(0.05)


def checked(page) -> None:
    """Wait until the form page is ready and the findings it shows are those of the form as
    it is now: not merely some answer (the status says "Checking…" only until the first),
    since after a change the page shows the findings of the state before until the check of
    the new state answers (a "change" event, then a short wait, then the server)."""
    wait_until(page, "window.workbench && window.workbench.lost !== undefined")
    wait_until(page, "window.workbench.findingsCurrent()")


def findings_status(page) -> str:
    return page.locator("#findings-status").inner_text()


def assert_accessible(page, axe_source: str, screen: str) -> None:
    """axe-core's WCAG 2.2 AA rules on the page as it is now. Each kind of screen is judged
    once, in the state that shows the most of it: a run costs 1.5 to 2 s of Chromium's CPU on
    a form, and the New page, a new protocol's form with its findings and a valid protocol's
    form with its sheet were judged twice or three times in states one of them contains
    (twenty-eighth sitting, docs/performance.md)."""
    # A link clicked just before has only started the next page: judged before its style
    # sheet and fonts are in, its links are the browser's small defaults (axe's target-size
    # failed once that way). Judge the page as a user sees it, whole.
    page.wait_for_load_state("load")
    page.evaluate("async () => { await document.fonts.ready; return true; }")
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(f"() => {{ {axe_source}\n;return true; }}")
    violations = page.evaluate(
        """async (tags) => {
            const found = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return found.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ") + ")");
        }""",
        AXE_TAGS,
    )
    assert violations == [], f"{screen}: {violations}"


def field(page, pointer: str):
    name = "root" + "".join(f"[{part}]" for part in pointer.split("/")[1:])
    return page.locator(f'[name="{name}"]')


def type_into(page, pointer: str, value) -> None:
    target = field(page, pointer)
    if target.evaluate("e => e.tagName") == "SELECT":
        target.select_option(str(value))
    else:
        target.fill(str(value))
        target.press("Tab")  # the form takes a value when the field is left, as a user does


HAS_ITS_PROTOCOL_DOSAGE = """(() => {{
    const sorted = (dosage) => JSON.stringify(Object.entries(dosage || {{}}).sort());
    const entry = window.workbench.value().overrides[{place}];
    const own = JSON.parse(document.getElementById("document").textContent)
        .prescribed_exercises.find((e) => e.id === {exercise});
    return entry.exercise === {exercise} && entry.dosage !== undefined &&
        sorted(entry.dosage) === sorted(own.dosage);
}})()"""


def add_override(page, exercise: str) -> None:
    """Add an entry under Overrides and choose its exercise, as a therapist does; it starts
    from the exercise's dosage in the protocol (H719)."""
    place = page.evaluate("() => window.workbench.value().overrides.length")
    overrides = page.locator('[data-schemapath="root.overrides"]')
    add = overrides.get_by_role("button", name="Add Change")
    add.last.click()
    wait_until(page, f"window.workbench.value().overrides.length === {place + 1}")
    type_into(page, f"/overrides/{place}/exercise", exercise)
    # Its own dosage, not merely a dosage: the entry starts with the first exercise's, and the
    # form's value names the chosen exercise a moment before the change handler gives it that
    # exercise's dosage (waiting for "any dosage" read the first one's on a loaded machine).
    wait_until(page, HAS_ITS_PROTOCOL_DOSAGE.format(place=place, exercise=json.dumps(exercise)))
    entry_titled(page, place, f"{place + 1}. {exercise}")


def test_a_protocol_is_authored_from_new_to_valid_and_saved(page, served, axe_source):
    assert_accessible(page, axe_source, "browse")
    page.get_by_role("link", name="New protocol").click()
    # The New page is judged with exercises ticked (test_a_new_protocol_starts_from_library_
    # exercises_ticked), the form with a new protocol's findings with one explained
    # (test_a_findings_rule_is_explained_in_the_page) and a valid protocol's form with its
    # sheet (test_the_preview_follows_the_form_page_by_page): `assert_accessible`.
    page.get_by_label("Its id").fill("knee-rehab")
    page.get_by_role("button", name="Start").click()
    checked(page)
    assert "errors" in findings_status(page)
    # What only the therapist can write is an error at its field (18 TODOs and the template's
    # exercise values); the starting safety and delivery texts are there, each marked for
    # review by a warning at its field (GOV009, H610), the chest pain red flag among them.
    assert page.locator(".pk-finding.pk-error").count() == 19
    starting = page.locator(".pk-finding.pk-warning", has_text="GOV009")
    assert starting.count() == 11
    red_flag = field(page, "/safety/red_flags/0/text").input_value()
    assert red_flag.startswith("Chest pain")
    for pointer, value in {**TEXTS, **CHOICES}.items():
        type_into(page, pointer, value)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    assert page.locator(".pk-finding").count() == 0
    page.get_by_role("button", name="Save").click()
    wait_until(page, "document.getElementById('save-status').textContent.startsWith('Saved k')")
    saved = served.folder / "knee-rehab.json"
    assert canonical_text(saved.read_text("utf-8")) == saved.read_text("utf-8")
    assert json.loads(saved.read_text("utf-8"))["title"] == TEXTS["/title"]
    assert run_protokit("validate", str(saved)).code == 0
    wait_until(page, "document.getElementById('preview').dataset.shown")


def test_a_protocol_is_prescribed_for_a_patient_and_printed(page, served, axe_source, tmp_path):
    """Choose the protocol, enter the patient, change a dosage, print: the knee protocol the
    test above types, here written to the folder as the form would save it."""
    from protocol_kit.templates import new_protocol

    authored = filled(new_protocol("knee-rx"))
    authored["title"] = "Knee pain: a programme to prescribe"
    (served.folder / "knee-rx.json").write_text(dumps(authored), "utf-8")
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    assert_accessible(page, axe_source, "prescribe: choose")
    page.get_by_role("link", name=authored["title"]).click()
    checked(page)
    assert_accessible(page, axe_source, "prescription form")
    # The form reads in the order the therapist fills it: the patient first, not the
    # protocol's id and version chosen on the page before (they come last).
    sections = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-schemapath^="root."]'))
            .map((e) => e.dataset.schemapath).filter((p) => p.split(".").length === 2)
            .filter((p) => document.querySelector(`[data-schemapath="${p}"]`).offsetParent)"""
    )
    assert sections[:2] == ["root.patient", "root.therapist"], sections
    assert sections[-1] == "root.protocol", sections
    first_field = page.locator("#form input:visible, #form select:visible").first
    assert first_field.get_attribute("name") == "root[patient][name]"
    # Every exercise as the protocol has it until one is changed (it started with one entry
    # per exercise, each to delete or to give a reason: H719).
    assert page.evaluate("() => window.workbench.value().overrides") == []
    add_override(page, "first-exercise")
    entry = page.evaluate("() => window.workbench.value().overrides[0]")
    assert entry == {"exercise": "first-exercise", "dosage": entry["dosage"]}
    assert entry["dosage"]["sets"] == authored["exercises"][0]["dosage"]["sets"]
    for pointer, value in A_PRESCRIPTION.items():
        type_into(page, pointer, value)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    text = saved_and_printed(page, tmp_path)
    assert "Jordan Example-Patient" in text
    assert "telephone 0113 496 0124" in " ".join(text.split())
    assert "Heel slide" in text and "Keep your heel on the bed." in text
    assert "15" in text
    prescriptions = list((served.folder / "prescriptions").glob("knee-rx-*.json"))
    assert len(prescriptions) == 1
    saved = json.loads(prescriptions[0].read_text("utf-8"))
    assert saved["patient"]["name"] == "Jordan Example-Patient"
    # The file reads as `protokit new prescription` writes one, whatever the form's order.
    assert list(saved)[:6] == ["$schema", "protocol", "patient", "therapist", "date", "start_date"]


def entry_titled(page, index: int, title: str) -> None:
    """Wait until the form shows entry `index` of the overrides under `title`: after a move,
    the form's value changes before its fields are drawn again, and a tick clicked between
    the two lands on the entry drawn there before."""
    header = f'[data-schemapath="root.overrides.{index}"] > .je-header > span'
    wait_until(page, f"document.querySelector({json.dumps(header)})?.textContent.trim() === "
                     f"{json.dumps(title)}")  # fmt: skip


def test_an_exercise_is_left_out_of_a_prescription_with_one_tick(page, served, tmp_path):
    """Leaving an exercise out took four clicks in the form library's own controls (open
    "Object Properties", tick omit, untick dosage, choose true); now one tick at the entry,
    and the dosage comes back when it is unticked."""
    import copy

    from protocol_kit.templates import new_protocol

    authored = filled(new_protocol("knee-omit"))
    authored["title"] = "Knee pain: a programme with an exercise to leave out"
    second = copy.deepcopy(authored["exercises"][0])
    second.update(id="quad-set", name="Quad set")
    second["dosage"]["sets"] = 2
    authored["exercises"].append(second)
    (served.folder / "knee-omit.json").write_text(dumps(authored), "utf-8")
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    page.get_by_role("link", name=authored["title"]).click()
    checked(page)
    add_override(page, "first-exercise")
    add_override(page, "quad-set")
    # Each entry is titled by its exercise (it read "item 1", "item 2").
    header = page.locator('[data-schemapath="root.overrides.1"] > .je-header > span')
    assert header.inner_text().strip() == "2. quad-set"
    tick = page.get_by_label("Leave quad-set out of this patient's sheet")
    tick.check()
    wait_until(page, "window.workbench.value().overrides[1].omit === true")
    overrides = page.evaluate("() => window.workbench.value().overrides")
    assert "dosage" not in overrides[1] and "dosage" in overrides[0]
    before = {"first-exercise": overrides[0]["dosage"]}
    tick.uncheck()
    wait_until(page, "window.workbench.value().overrides[1].dosage !== undefined")
    overrides = page.evaluate("() => window.workbench.value().overrides")
    assert "omit" not in overrides[1] and overrides[1]["dosage"]["sets"] == 2
    before["quad-set"] = overrides[1]["dosage"]
    # Both left out, their places swapped, both back: each has its own dosage again.
    tick.check()
    page.get_by_label("Leave first-exercise out of this patient's sheet").check()
    wait_until(page, "window.workbench.value().overrides.every((o) => o.omit === true)")
    page.locator('[data-schemapath="root.overrides.1"]').get_by_role(
        "button", name="Move up"
    ).click()
    wait_until(page, "window.workbench.value().overrides[0].exercise === 'quad-set'")
    entry_titled(page, 0, "1. quad-set")
    # One tick at a time, each seen to take effect as a user sees it: a second tick clicked
    # while the form is still redrawing the first entry sometimes leaves it without its
    # dosage: an open defect of the form's redraw, recorded in the eighth sitting's closing
    # note (its cause not yet found).
    for name in ("quad-set", "first-exercise"):
        page.get_by_label(f"Leave {name} out of this patient's sheet").uncheck()
        wait_until(
            page,
            f"window.workbench.value().overrides.find((o) => o.exercise === '{name}').dosage",
        )
    wait_until(page, "window.workbench.value().overrides.every((o) => o.dosage)")
    overrides = page.evaluate("() => window.workbench.value().overrides")
    assert {o["exercise"]: o["dosage"] for o in overrides} == before
    page.locator('[data-schemapath="root.overrides.1"]').get_by_role(
        "button", name="Move up"
    ).click()
    wait_until(page, "window.workbench.value().overrides[0].exercise === 'first-exercise'")
    entry_titled(page, 0, "1. first-exercise")
    tick.check()
    wait_until(page, "window.workbench.value().overrides[1].omit === true")
    for pointer, value in {
        **A_PRESCRIPTION,
        "/overrides/1/reason": "Not until the swelling is down.",
    }.items():
        type_into(page, pointer, value)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    text = saved_and_printed(page, tmp_path)
    assert "Heel slide" in text and "Quad set" not in text
    (saved,) = (served.folder / "prescriptions").glob("knee-omit-*.json")
    left_out = json.loads(saved.read_text("utf-8"))["overrides"][1]
    assert left_out["omit"] is True and "dosage" not in left_out


# Two (three) ticks unticked as fast as they can be clicked, right after entries were moved:
# the first click before the form has redrawn the move, the others just after (one animation
# frame later, when json-editor redraws). The clicks find each tick by the words a user reads.
QUICK_UNTICKS = """async (names) => {
    const tick = (name) => [...document.querySelectorAll(".pk-omit")]
        .find((label) => label.textContent.includes(`Leave ${name} out`)).querySelector("input");
    const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
    document.querySelector('[data-schemapath="root.overrides.1"] button.moveup').click();
    tick(names[0]).click();
    await frame();
    names.slice(1).forEach((name) => tick(name).click());
    await frame();
    await frame();
    return window.workbench.value().overrides;
}"""


@pytest.mark.parametrize("entries", [2, 3])
def test_entries_unticked_in_quick_succession_all_get_their_dosage_back(
    page, served, tmp_path, entries
):
    """A second tick clicked while the form was still redrawing the first change sometimes
    left an exercise out without its dosage (H403): the ticks were redrawn one animation frame
    after their entries, and acted on the entry at their place, which then held another
    exercise."""
    import copy

    from protocol_kit.templates import new_protocol

    stem = f"knee-quick-{entries}"
    authored = filled(new_protocol(stem))
    authored["title"] = f"Knee pain: {entries} exercises left out and back in quick succession"
    for sets, (exercise, name) in enumerate(
        [("quad-set", "Quad set"), ("straight-leg-raise", "Straight leg raise")][: entries - 1],
        start=2,
    ):
        another = copy.deepcopy(authored["exercises"][0])
        another.update(id=exercise, name=name)
        another["dosage"]["sets"] = sets
        authored["exercises"].append(another)
    (served.folder / f"{stem}.json").write_text(dumps(authored), "utf-8")
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    page.get_by_role("link", name=authored["title"]).click()
    checked(page)
    for exercise in authored["exercises"]:
        add_override(page, exercise["id"])
    overrides = page.evaluate("() => window.workbench.value().overrides")
    before = {o["exercise"]: o["dosage"] for o in overrides}
    names = [o["exercise"] for o in overrides]
    for name in names:
        page.get_by_label(f"Leave {name} out of this patient's sheet").check()
        wait_until(
            page,
            f"window.workbench.value().overrides.find((o) => o.exercise === '{name}').omit",
        )
    # Entry 2 moved up, then every tick unticked: quad-set first (its tick is the one the
    # move is redrawing), then the others.
    order = [names[1], names[0], *names[2:]]
    after = page.evaluate(QUICK_UNTICKS, order)
    assert [o["exercise"] for o in after] == order
    assert {o["exercise"]: o.get("dosage") for o in after} == before
    assert not any("omit" in o for o in after)
    ticks = page.locator(".pk-omit input")
    assert [ticks.nth(i).is_checked() for i in range(entries)] == [False] * entries
    # The saved prescription and the printed sheet have every exercise, each with its dosage.
    for pointer, value in {
        **{k: v for k, v in A_PRESCRIPTION.items() if not k.startswith("/overrides")},
        **{
            f"/overrides/{i}/reason": "Dosage as planned, checked at the visit."
            for i in range(entries)
        },
    }.items():
        type_into(page, pointer, value)
    wait_until(page, f"{STATUS}.startsWith('0 errors')")
    text = saved_and_printed(page, tmp_path)
    for exercise in authored["exercises"]:
        assert exercise["name"] in text
    (saved,) = (served.folder / "prescriptions").glob(f"{stem}-*.json")
    written = json.loads(saved.read_text("utf-8"))["overrides"]
    assert {o["exercise"]: o["dosage"] for o in written} == before
    assert not any("omit" in o for o in written)


def test_a_screening_question_not_yet_asked_is_not_answered_yes(page, served):
    """The new prescription's answers are "TODO: yes or no: ...": the form, whose choices
    were yes and no, showed "yes" to every question (pregnant, a hip replacement, recent
    surgery) and saved it as the patient's answer (H367)."""
    questions = ["recent-surgery", "kneeling-not-allowed", "hip-replacement", "pregnant"]
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    page.get_by_role("link", name="Lower back pain: hip flexor stretch and glute bridge").click()
    checked(page)
    assert page.evaluate("() => window.workbench.lost") == []
    assert page.evaluate("() => window.workbench.value().screening") is None
    for question in questions:
        answer = field(page, f"/screening/{question}")
        assert answer.evaluate("e => e.selectedOptions[0].textContent") == "not answered yet"
    # Each choice is labelled by the question the therapist asks, not its id (H437).
    labels = page.evaluate(
        """() => [...document.querySelectorAll('[data-schemapath^="root.screening."] label')]
            .map((label) => label.textContent.trim())"""
    )
    assert labels == [
        "Have you had an operation on your back or hip in the last 12 weeks, and your surgical "
        "team has not yet said these exercises are safe for you?",
        "Have you hurt or had an operation on a knee recently, and been told not to kneel on it "
        "yet?",
        "Have you had a hip replacement?",
        "Are you pregnant?",
    ], labels
    wait_until(page, "window.workbench && document.querySelectorAll('.pk-finding').length")
    said = page.locator("#findings-list").inner_text()
    assert all(f"screening question '{q}' is not answered" in said for q in questions), said
    for question in questions:
        type_into(page, f"/screening/{question}", "no")
    wait_until(page, "!document.getElementById('findings-list').textContent.includes('RX009')")
    assert page.evaluate("() => window.workbench.value().screening") == dict.fromkeys(
        questions, "no"
    )


def test_a_value_the_form_cannot_show_as_written_turns_saving_off(page, served):
    # A hand-written answer outside the choices ("Yes") was shown, and saved, as the list's
    # first choice; only missing fields were looked for.
    from protocol_kit.formatting import dumps as dumped

    rx = json.loads((REPO / "docs" / "examples" / "prescription-staged.json").read_text("utf-8"))
    rx["screening"]["pregnant"] = "Yes"
    (served.folder / "prescriptions").mkdir(exist_ok=True)
    (served.folder / "prescriptions" / "hand-written.json").write_text(dumped(rx), "utf-8")
    page.goto(f"{served.base}/edit?path=prescriptions/hand-written.json")
    checked(page)
    assert page.evaluate("() => window.workbench.lost") == ["/screening/pregnant"]
    assert page.locator("#save").is_disabled()


def test_an_exercise_the_protocol_lacks_is_checked_as_written_and_never_saved(page, served):
    # H753: the form showed an override of an exercise the protocol does not have as the
    # protocol's first exercise; the checks said "No problems", the preview drew that sheet,
    # and "Save and print" (Save alone was off) wrote the stand-in over the file and printed it.
    from protocol_kit.formatting import dumps as dumped

    rx = json.loads((REPO / "docs" / "examples" / "prescription-staged.json").read_text("utf-8"))
    rx["overrides"][0]["exercise"] = "lying-march"  # in the library, not in the protocol
    written = dumped(rx)
    (served.folder / "prescriptions").mkdir(exist_ok=True)
    path = served.folder / "prescriptions" / "not-in-protocol.json"
    path.write_text(written, "utf-8")
    page.goto(f"{served.base}/edit?path=prescriptions/not-in-protocol.json")
    checked(page)
    assert page.evaluate("() => window.workbench.lost") == ["/overrides/0/exercise"]
    assert page.locator("#save").is_disabled()
    assert page.get_by_role("button", name="Save and print").is_disabled()
    assert (
        "the checks and the sheet below are of the file as written"
        in page.locator("#save-status").inner_text()
    )
    wait_until(page, "document.getElementById('findings-list').textContent.includes('RX005')")
    assert "has no exercise 'lying-march'" in page.locator("#findings-list").inner_text()
    wait_until(page, "document.getElementById('preview-status').textContent.startsWith('No sheet')")
    assert page.locator("#preview img").count() == 0
    assert path.read_text("utf-8") == written


def test_the_sheet_languages_are_named_and_only_the_translated_ones_offered(page, served):
    # Every language was offered as a code ("el", "pl"), and choosing one the protocol has no
    # translation for gave "No sheet: <the file's full path>:5:12: /title: no 'fr' translation".
    shutil.copy(
        REPO / "tests/cases/validate/valid/translated-protocol/protocol.json",
        served.folder / "translated.json",
    )
    options = (
        "() => [...document.querySelectorAll('#language option')]"
        ".map((o) => [o.value, o.textContent, o.disabled])"
    )
    page.goto(f"{served.base}/edit?path=translated.json")
    checked(page)
    offered = {value: (text, disabled) for value, text, disabled in page.evaluate(options)}
    assert offered["fr"] == ("French", False) and offered["en"] == ("English", False)
    assert offered["el"] == ("Greek (not translated)", True)
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    page.get_by_role("link", name="Lower back pain: hip flexor stretch and glute bridge").click()
    checked(page)
    offered = {value: (text, disabled) for value, text, disabled in page.evaluate(options)}
    assert offered["en"] == ("English", False)
    assert offered["fr"] == ("French (not translated)", True)


def test_a_file_changed_on_disk_shows_both_versions_and_the_user_chooses(page, served, axe_source):
    page.goto(f"{served.base}/edit?path=library/lying-march.json")
    checked(page)
    path = served.folder / "library" / "lying-march.json"
    theirs = json.loads(path.read_text("utf-8"))
    theirs["purpose"] = "Changed in a text editor meanwhile."
    path.write_text(json.dumps(theirs, indent=2) + "\n", "utf-8")
    type_into(page, "/purpose", "Changed in the workbench.")
    page.get_by_role("button", name="Save").click()
    wait_until(page, "!document.getElementById('conflict').hidden")
    assert "Changed in a text editor meanwhile." in page.locator("#theirs").inner_text()
    assert "Changed in the workbench." in page.locator("#mine").inner_text()
    assert json.loads(path.read_text("utf-8"))["purpose"] == "Changed in a text editor meanwhile."
    assert_accessible(page, axe_source, "conflict")
    page.get_by_role("button", name="Save mine over it").click()
    wait_until(page, "document.getElementById('conflict').hidden")
    assert json.loads(path.read_text("utf-8"))["purpose"] == "Changed in the workbench."


def test_closing_a_tab_with_unsaved_changes_warns(own_browser, served):
    with opened_page(own_browser, served, close=False) as page:
        page.goto(f"{served.base}/edit?path=library/pelvic-tilt.json")
        checked(page)
        field(page, "/purpose").click()  # a user's gesture: browsers ask only after one
        type_into(page, "/purpose", "Not saved yet.")
        wait_until(page, "window.workbench.dirty()")
        with page.expect_event("dialog") as asked:
            page.close(run_before_unload=True)
        assert asked.value.type == "beforeunload"


def test_every_example_opens_in_its_form_without_losing_a_value(page, served):
    """The form holds every value of every example file exactly (json-editor drawn from the
    schemas, with the page's own options): nothing is dropped or changed by opening a file."""
    page.goto(f"{served.base}/edit?path=library/glute-bridge.json")
    checked(page)
    examples = REPO / "protocols"
    files = [*sorted(examples.rglob("*.json")), REPO / "docs/examples/prescription-psoas.json"]
    documents = [json.loads(path.read_text("utf-8")) for path in files]
    held = page.evaluate("(documents) => window.workbench.formValues(documents)", documents)
    for path, data, value in zip(files, documents, held, strict=True):
        assert value == data, path.name


def test_a_bad_token_a_foreign_page_and_a_path_outside_are_refused(
    browser, page, served, axe_source
):
    stranger = browser.new_context()
    answer = stranger.new_page().goto(f"{served.base}/?token=wrong")
    assert answer.status == 401
    stranger.close()

    # A page of another site posts to the workbench from the same browser (cookie and all).
    before = (served.folder / "psoas-stretch-glute-bridge.json").read_bytes()
    attacker = "http://attacker.test/"
    page.route(attacker, lambda route: route.fulfill(
        content_type="text/html", body="<!doctype html><title>x</title><p>x</p>"))  # fmt: skip
    page.goto(attacker)
    status = page.evaluate(
        """async (base) => {
            try {
                const r = await fetch(base + "/api/save", {method: "POST", mode: "no-cors",
                    credentials: "include", headers: {"content-type": "text/plain"},
                    body: JSON.stringify({path: "psoas-stretch-glute-bridge.json",
                                          data: {"$schema": "x"}, version: ""})});
                return r.type;
            } catch (e) { return "blocked"; }
        }""",
        served.base,
    )
    assert status in ("opaque", "blocked")
    assert (served.folder / "psoas-stretch-glute-bridge.json").read_bytes() == before

    page.goto(f"{served.base}/edit?path=../protokit.toml")
    assert "not a file of this folder" in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "refusal message")
    page.goto(f"{served.base}/rules/SAFE005")
    assert "SAFE005" in page.locator("h1").inner_text()
    assert_accessible(page, axe_source, "rule explanation")


# The drawing in the pane as pixels: each drawing is a new blob: address, even of the same
# poses, so a new address alone does not say that the drawing changed.
DRAWN = "document.querySelector('#preview img')"
DRAWING = f"""() => {{
    const img = {DRAWN};
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(img, 0, 0);
    return canvas.toDataURL();
}}"""


def test_the_exercise_form_draws_the_poses_live(page, served):
    page.goto(f"{served.base}/edit?path=library/glute-bridge.json")
    checked(page)
    wait_until(page, f"{DRAWN} && {DRAWN}.complete && {DRAWN}.naturalWidth > 0")
    first = page.locator("#preview img").get_attribute("src")
    before = page.evaluate(DRAWING)
    type_into(page, "/poses/end/joints/left_knee/flexion", 60)
    wait_until(page, f"{DRAWN}.src !== {json.dumps(first)} && {DRAWN}.complete")
    wait_until(page, f"{DRAWN}.naturalWidth > 0")
    assert page.evaluate(DRAWING) != before  # the knee drawn at its new angle


SHOWN = "document.getElementById('preview').dataset.shown"


def test_the_preview_follows_the_form_page_by_page(page, served, axe_source):
    """An edit, large print and a language each bring a new sheet beside the form; only the
    pages the pane shows are drawn (the others when scrolled to). A 3-page sheet (mid-back:
    hip-flexor prints on 2 pages since the tenth sitting), so that its last page is below the
    pane."""
    page.goto(f"{served.base}/edit?path=mid-back-ankle-hip-mobility.json")
    checked(page)
    wait_until(page, SHOWN)
    first = page.evaluate(f"() => {SHOWN}")
    pages = page.locator("#preview img")
    count = pages.count()
    assert count >= 3
    assert pages.first.get_attribute("src") == f"/api/preview/{first}/1.jpg"
    assert page.evaluate("() => document.querySelector('#preview img').naturalWidth") > 500
    assert pages.nth(count - 1).get_attribute("src") is None  # below the pane: not drawn
    assert_accessible(page, axe_source, "protocol form with its sheet")

    type_into(page, "/summary", "A changed summary, to see the sheet follow the form.")
    wait_until(page, f"{SHOWN} && {SHOWN} !== {json.dumps(first)}")
    edited = page.evaluate(f"() => {SHOWN}")
    pdf = page.request.get(f"{served.base}/print?path=mid-back-ankle-hip-mobility.json").body()
    assert pdf.startswith(b"%PDF")  # the saved file still prints; the preview is the form's
    assert len(page.evaluate("() => window.workbench.previewTimes()")) >= 1

    page.locator(".preview-pane").evaluate("pane => { pane.scrollTop = pane.scrollHeight; }")
    last = f"document.querySelectorAll('#preview img')[{count - 1}]"
    wait_until(page, f"{last}.complete && {last}.naturalWidth > 0")

    page.get_by_label("Large print").check()
    wait_until(page, f"{SHOWN} !== {json.dumps(edited)}")
    assert page.locator("#preview img").count() > count
    assert "pages" in page.locator("#preview-status").inner_text()

    # A language the protocol has no translation for cannot be chosen (the server refuses it
    # too: tests/workbench/test_workbench_http.py).
    french = page.get_by_label("Language", exact=True).locator("option[value=fr]")
    assert french.is_disabled() and french.inner_text() == "French (not translated)"


def test_a_picture_is_uploaded_into_media_and_fills_the_exercise(page, served, axe_source):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(picture, "PNG")
    media = served.folder / "library" / "media"
    page.goto(f"{served.base}/edit?path=library/knee-to-chest-stretch.json")
    checked(page)
    wait_until(page, "document.getElementById('picture-count').textContent.startsWith('No ')")
    chooser = page.get_by_label("Add a picture from your computer")
    chooser.set_input_files(
        files=[{"name": "knee to chest.png", "mimeType": "image/png", "buffer": picture.getvalue()}]
    )
    status = "document.getElementById('picture-status').textContent"
    wait_until(page, f"{status}.startsWith('Saved media/knee-to-chest.png')")
    assert (media / "knee-to-chest.png").read_bytes() == picture.getvalue()
    media_field = "window.workbench.value().media"
    assert page.evaluate(f"() => {media_field}[0].path") == "media/knee-to-chest.png"
    assert page.get_by_role("button", name="Use media/knee-to-chest.png").count() == 1
    wait_until(page, "document.querySelector('#picture-list img').naturalWidth === 60")
    # Author, licence and what it shows are still to fill in: the checks say so.
    wait_until(page, f"{STATUS}.includes('error')")
    assert_accessible(page, axe_source, "exercise form with a picture")
    type_into(page, "/media/0/author", "Sam Example")
    type_into(page, "/media/0/licence", "CC-BY-4.0")
    type_into(page, "/media/0/alt", "Lying on the back, hugging one knee to the chest.")
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    # The pane beside the form shows what the sheet prints: this picture, not the drawing.
    # (Waited for as the final state: the pane showed the picture before its alt was typed.)
    pane_img = "document.querySelector('#preview img')"
    alt = "Lying on the back, hugging one knee to the chest."
    wait_until(page, f"{pane_img} && {pane_img}.alt === {json.dumps(alt)}")
    wait_until(page, f"{pane_img}.complete && {pane_img}.naturalWidth > 0")
    assert page.locator("#preview img").evaluate("img => img.naturalWidth") == 60
    assert (
        "The clinic's picture media/knee-to-chest.png"
        in page.locator("#preview-status").inner_text()
    )

    # The picker: the same picture chosen again from the list, for a second entry.
    page.get_by_role("button", name="Use media/knee-to-chest.png").click()
    wait_until(page, f"{media_field}.length === 2")
    assert page.evaluate(f"() => {media_field}[1].path") == "media/knee-to-chest.png"

    # Another picture under the same name never replaces it; a file that is no picture is
    # refused as a sheet refuses it.
    chooser.set_input_files(
        files=[{"name": "knee-to-chest.png", "mimeType": "image/png", "buffer": b"not a picture"}]
    )
    wait_until(page, f"{status}.startsWith('Not saved')")
    assert "not a PNG or JPEG" in page.locator("#picture-status").inner_text()
    assert (media / "knee-to-chest.png").read_bytes() == picture.getvalue()
    assert sorted(p.name for p in media.iterdir()) == ["knee-to-chest.png"]


def test_a_findings_rule_is_explained_in_the_page(page, served, axe_source):
    page.goto(f"{served.base}/new?kind=protocol&id=why-explained")
    checked(page)
    # A finding the change below leaves in place (the title's own finding goes with it).
    finding = page.locator(".pk-finding", has_text="TODO: what the programme does").first
    code = finding.locator("strong").inner_text().split()[1].rstrip(":")
    finding.get_by_text(f"Why? {code} explained").click()
    explained = finding.locator(".pk-why-text")
    opened = "document.querySelector('.pk-why[open] .pk-why-text')"
    wait_until(page, f"{opened} && {opened}.textContent.length > 0")
    # The words `protokit rules` prints, each paragraph one line for the box to wrap.
    assert explained.inner_text().split() == run_protokit("rules", code).stdout.split()
    assert_accessible(page, axe_source, "a rule explained at its finding")
    # Still open, and still explained, once the checks have run again for a change elsewhere:
    # the title's finding is gone when they have.
    type_into(page, "/title", "Knee pain: a gentle start")
    wait_until(page, "!document.querySelector('#findings-list [data-pointer=\"/title\"]')")
    wait_until(page, f"{opened} && {opened}.textContent.length > 0")
    open_findings = page.locator(".pk-finding", has=page.locator(".pk-why[open]"))
    assert open_findings.count() == 1
    assert "TODO: what the programme does" in open_findings.inner_text()
    assert open_findings.locator(".pk-why-text").inner_text().split() == (
        run_protokit("rules", code).stdout.split()
    )


def test_a_check_says_where_in_words_and_a_click_goes_to_the_field(page, served):
    """The Checks list read `error at /exercises/0/dosage/hold_seconds`: it says where with
    the form's words and the exercise's name, and a click puts the cursor in the field. The
    list's entries are named for what they are ("Exercise 1", not "item 1")."""
    from protocol_kit.templates import new_protocol

    authored = filled(new_protocol("knee-where"))
    authored["exercises"][0]["dosage"]["hold_seconds"] = 900
    (served.folder / "knee-where.json").write_text(dumps(authored), "utf-8")
    page.goto(f"{served.base}/edit?path=knee-where.json")
    checked(page)
    item = page.locator('#findings-list li[data-pointer="/exercises/0/dosage/hold_seconds"]')
    assert "at Exercise 1 (Heel slide) \u203a Dosage \u203a Hold (seconds):" in (
        item.first.inner_text()
    )
    assert "/exercises" not in page.locator("#findings-list").inner_text()
    item.first.locator("a").click()
    wait_until(page, "document.activeElement.name === 'root[exercises][0][dosage][hold_seconds]'")
    entry = page.locator('[data-schemapath="root.exercises.0"] > b')
    assert entry.first.inner_text().strip() == "Exercise 1"
    # Its choice is between the library and written here, not between languages.
    assert page.get_by_label("Exercise 1: one language or translations").count() == 0


def test_a_new_protocol_s_checks_name_each_part_of_the_form_once(page, served):
    """A new protocol's Checks list began a dozen lines with "Exercise 1 (TODO: the
    exercise's name as the patient will read it) ›": the part of the form is now said once,
    above its findings, and never by a placeholder; each finding still goes to its field."""
    from protocol_kit.templates import new_protocol

    (served.folder / "knee-grouped.json").write_text(dumps(new_protocol("knee-grouped")), "utf-8")
    page.goto(f"{served.base}/edit?path=knee-grouped.json")
    checked(page)
    parts = page.locator("#findings-list .pk-group-name").all_inner_texts()
    assert "Exercise 1" in parts and len(parts) == len(set(parts))
    assert "TODO" not in " ".join(parts)
    step = page.locator('#findings-list .pk-group li[data-pointer="/exercises/0/steps/0"]')
    assert step.inner_text().startswith("error at Step 1: TEXT003 placeholder left")
    step.locator("a").click()
    wait_until(page, "document.activeElement.name === 'root[exercises][0][steps][0]'")


def test_a_code_found_replaces_the_template_s_indication(page, served):
    """A new user's "Add as indication" was added beside the template's `R69` with its
    "TODO:" display, which stayed an error to find and delete by hand."""
    page.get_by_role("link", name="New protocol").click()
    page.get_by_label("Its id").fill("knee-codes")
    page.get_by_role("button", name="Start").click()
    checked(page)
    page.locator("#code-words").fill("osteoarthritis of knee")
    page.get_by_role("button", name="Add ICD-10-CM M17.9").first.click()
    wait_until(page, "window.workbench.value().indications[0].code === 'M17.9'")
    indications = page.evaluate("() => window.workbench.value().indications")
    assert indications == [
        {
            "system": "http://hl7.org/fhir/sid/icd-10-cm",
            "code": "M17.9",
            "display": "Osteoarthritis of knee, unspecified",
        }
    ]
    page.locator("#code-words").fill("low back pain")
    page.get_by_role("button", name="Add ICD-10-CM M54.5").first.click()
    wait_until(page, "window.workbench.value().indications.length === 2")  # real ones stay


def test_an_exercise_from_the_library_is_added_by_its_id_alone(page, served):
    """A therapist adds two library exercises to a new one-exercise protocol: "Add Exercise",
    then the exercise's id. The entry came with every optional field, each number 0 (seven
    "0 is too small" errors, and a dosage replacing the library's once the therapist had
    typed numbers to clear them); it is now the `ref` alone, and the library's dosage stands."""
    from protocol_kit.templates import new_protocol

    authored = filled(new_protocol("knee-library"))
    (served.folder / "knee-library.json").write_text(dumps(authored), "utf-8")
    page.goto(f"{served.base}/edit?path=knee-library.json")
    checked(page)
    exercises = page.locator('[data-schemapath="root.exercises"]')
    for index, ref in enumerate(("pelvic-tilt", "glute-bridge"), start=1):
        exercises.get_by_role("button", name="Add Exercise").last.click()
        wait_until(page, f"window.workbench.value().exercises.length === {index + 1}")
        type_into(page, f"/exercises/{index}/ref", ref)
        wait_until(page, f"window.workbench.value().exercises[{index}].ref === '{ref}'")
    # The file was valid when opened: "No problems" is only the verdict on the entries added
    # once the check of the form as it is now has answered.
    checked(page)
    assert findings_status(page).startswith("No problems"), findings_status(page)
    assert page.evaluate("() => window.workbench.value().exercises.slice(1)") == [
        {"ref": "pelvic-tilt"},
        {"ref": "glute-bridge"},
    ]


def test_the_choice_beside_a_patient_text_is_named_for_a_therapist(page, served):
    """Beside every text the patient reads, the form offered "string" or "object"."""
    page.goto(f"{served.base}/edit?path=library/glute-bridge.json")
    checked(page)
    switcher = page.locator('select[id="root[name]switcher"]')
    assert switcher.locator("option").all_inner_texts() == ["one language", "translations"]
    assert switcher.evaluate("e => e.value") == "one language"
    # The box and the choice are named by the field's label for a screen reader, not "one
    # language" and "root[name] switcher".
    assert (
        page.get_by_role("textbox", name="Exercise name", exact=True).get_attribute("id")
        == "root[name]"
    )
    assert page.get_by_label("Exercise name: one language or translations").count() == 1


def test_a_new_protocol_starts_from_library_exercises_ticked(page, served, axe_source):
    page.get_by_role("link", name="New protocol").click()
    # The page's script (deferred) keeps the order of the ticks from when it has run, which is
    # when each box shows a place: ticks made before then, on a loaded machine, were read in
    # the page's order.
    wait_until(page, "document.querySelectorAll('.pk-place').length > 0")
    page.get_by_label("Its id").fill("back-ticked")
    page.get_by_label("Pelvic tilt, lying on your back").check()
    page.get_by_label("Glute bridge").check()
    page.get_by_label("Lying march").check()
    page.get_by_label("Lying march").uncheck()  # changed their mind: out, and no place kept
    # Each tick shows its place in the programme.
    places = page.locator(".pk-place")
    assert [t for t in places.all_inner_texts() if t] == [
        "number 2 in the programme",
        "number 1 in the programme",
    ]
    assert_accessible(page, axe_source, "new protocol with the library's exercises")
    page.get_by_role("button", name="Start").click()
    checked(page)
    exercises = page.evaluate("() => window.workbench.value().exercises")
    # In the order ticked, not the library's (glute bridge is listed before pelvic tilt).
    assert exercises == [{"ref": "pelvic-tilt"}, {"ref": "glute-bridge"}]


def test_a_new_protocol_starts_with_its_conditions_red_flags_in_the_form(page, served):
    """The condition's code on the New protocol page (H783): the form opens with the condition
    coded and the 13 red flags low back pain needs, and its checks find none missing."""
    page.get_by_role("link", name="New protocol").click()
    wait_until(page, "document.querySelectorAll('.pk-place').length > 0")
    page.get_by_label("Its id").fill("back-coded")
    page.get_by_label("The condition's code (optional)").fill("M54.50")
    page.get_by_label("Glute bridge").check()
    page.get_by_role("button", name="Start").click()
    checked(page)
    value = page.evaluate("() => window.workbench.value()")
    assert [c["code"] for c in value["indications"]] == ["M54.50"]
    assert len(value["safety"]["red_flags"]) == 14
    shown = page.locator("#findings-list").inner_text()
    assert "GOV009" in shown and "SAFE005" not in shown


# The page's animation frames held back, then let go in order: what a busy machine does to
# json-editor's "change" event, which it fires at the next frame.
HOLD_FRAMES = """() => {
    window.heldFrames = [];
    window.realFrame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => window.heldFrames.push(callback);
}"""
RELEASE_FRAMES = """() => {
    window.requestAnimationFrame = window.realFrame;
    const now = performance.now();
    window.heldFrames.splice(0).forEach((callback) => callback(now));
}"""


def add_red_flag(page) -> None:
    """Click the red flags' own "Add" (not that of a list inside one of them)."""
    page.evaluate(
        """() => { const box = document.querySelector('[data-schemapath="root.safety.red_flags"]');
        [...box.querySelectorAll("button.json-editor-btn-add")]
            .find((b) => b.closest("[data-schemapath]") === box).click(); }"""
    )


def test_a_red_flag_added_shows_no_finding_of_a_state_already_left(page, served):
    """After "Add" a new red flag's empty text was checked; the therapist typed it before the
    answer came, and "missing required field 'text'" flashed at the entry (with an error about
    `covers: [""]`, a list the form had filled with an empty id nobody wrote)."""
    page.goto(f"{served.base}/edit?path=psoas-stretch-glute-bridge.json")
    checked(page)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    page.evaluate(
        """() => { window.shownFindings = []; const list = document.getElementById("findings-list");
        new MutationObserver(() => window.shownFindings.push(list.textContent))
            .observe(list, {childList: true, subtree: true, characterData: true}); }"""
    )
    held = []

    def hold_the_first(route) -> None:  # the check of the state after "Add" waits
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/check", hold_the_first)
    add_red_flag(page)
    wait_for(lambda: page.evaluate("() => 0") == 0 and held, "the check after Add")
    added = page.evaluate("() => window.workbench.value().safety.red_flags.at(-1)")
    assert "covers" not in added  # optional: added under Optional fields when wanted
    text = "You faint or nearly faint while you exercise."
    count = len(page.evaluate("() => window.workbench.value().safety.red_flags"))
    answered = page.evaluate("() => window.workbench.checksAnswered()")
    # The answer comes after the text is typed but before the form's "change" event (fired
    # one animation frame after the value changed; the page counted changes only there, and
    # a loaded machine showed the answer in between, H732): frames held until it is in.
    page.evaluate(HOLD_FRAMES)
    type_into(page, f"/safety/red_flags/{count - 1}/text", text)
    typed = f"window.workbench.value().safety.red_flags.at(-1).text === {json.dumps(text)}"
    wait_until(page, typed)
    # The status says "No problems" again only when a check of the page answers.
    page.evaluate("() => { document.getElementById('findings-status').textContent = ''; }")
    held[0].continue_()  # the answer about the empty text comes after the text was typed
    wait_until(page, f"window.workbench.checksAnswered() > {answered}")
    page.evaluate(RELEASE_FRAMES)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    assert page.evaluate("() => window.workbench.value().safety.red_flags.at(-1)") == {
        "text": text,
        "action": added["action"],
    }
    shown = page.evaluate("() => window.shownFindings")
    assert not any("text" in findings for findings in shown), shown


def test_a_note_and_a_goal_written_in_french_are_edited_and_printed_in_french(
    page, served, tmp_path
):
    """A prescription's texts written as one entry per language ({"fr": ...}, H835) open in
    their form field, are changed there as a therapist types, and print on the French sheet;
    the file keeps them per language (users' round, nineteenth sitting)."""
    shutil.copy(
        REPO / "tests/cases/validate/valid/translated-protocol/protocol.json",
        served.folder / "translated.json",
    )
    protocol = json.loads((served.folder / "translated.json").read_text("utf-8"))
    written = {
        "$schema": "https://schemas.protocol-kit.org/v1/prescription.schema.json",
        "protocol": {"id": protocol["id"], "version": protocol["version"]},
        "patient": {"name": "Camille Exemple", "identifier": "K-2001"},
        "therapist": {"name": "Sam Example", "credentials": "Kinésithérapeute"},
        "date": "2026-12-01",
        "start_date": "2026-12-01",
        "notes": [{"fr": "Faites la bascule du bassin chaque matin."}],
        "goals": [{"text": {"fr": "Jardiner une heure sans douleur"}}],
    }
    (served.folder / "prescriptions").mkdir(exist_ok=True)
    path = served.folder / "prescriptions" / "camille-fr.json"
    path.write_text(dumps(written), "utf-8")
    page.goto(f"{served.base}/edit?path=prescriptions/camille-fr.json")
    checked(page)
    value = page.evaluate("() => window.workbench.value()")
    assert value["notes"] == written["notes"] and value["goals"] == written["goals"]
    assert field(page, "/notes/0/fr").input_value() == written["notes"][0]["fr"]
    type_into(page, "/notes/0/fr", "Faites la bascule du bassin chaque soir, allongé(e).")
    wait_until(page, "window.workbench.value().notes[0].fr.endsWith('allongé(e).')")
    page.locator("#language").select_option("fr")
    checked(page)
    wait_until(page, f"{STATUS}.startsWith('No problems')")
    # The English clinic's texts on this French sheet are named under its preview (H876).
    wait_until(page, "document.getElementById('preview-warnings').textContent.includes(\"'fr'\")")
    text = " ".join(saved_and_printed(page, tmp_path).split())
    assert "Faites la bascule du bassin chaque soir, allongé(e)." in text
    assert "Jardiner une heure sans douleur" in text
    assert "Remarques de votre thérapeute" in text  # the French sheet's own words
    saved = json.loads(path.read_text("utf-8"))
    assert saved["notes"] == [{"fr": "Faites la bascule du bassin chaque soir, allongé(e)."}]
    assert saved["goals"] == written["goals"]


def test_the_preview_warns_of_the_clinics_english_texts_on_a_french_sheet(page, served):
    """`protokit render --language fr` warns that the clinic's name and notes are printed in
    English on the French sheet (H857); the workbench printed the same sheet without a word
    (H876). The warning is shown under the preview, and goes with a sheet in English."""
    shutil.copy(
        REPO / "tests/cases/validate/valid/translated-protocol/protocol.json",
        served.folder / "translated.json",
    )
    warnings = "document.getElementById('preview-warnings').textContent"
    page.goto(f"{served.base}/edit?path=translated.json")
    checked(page)
    wait_until(page, "document.getElementById('preview').dataset.shown")
    assert page.evaluate(f"() => {warnings}") == ""
    page.locator("#language").select_option("fr")
    wait_until(page, f"{warnings}.includes('printed as written on this')")
    shown = page.locator("#preview-warnings").inner_text()
    assert '[clinic] name "Example Physiotherapy Clinic (not a real clinic)"' in shown
    assert "'fr' sheet" in shown and "check that the patient can read them" in shown
    page.locator("#language").select_option("en")
    wait_until(page, f"{warnings} === ''")


def test_a_goal_is_added_under_optional_fields_named_for_a_therapist(page, served):
    """A new prescription has no goals field: it is added with json-editor's button beside
    the form's title, which said "Object Properties" (a therapist looking for the goals the
    docs promise did not open it). It says "Optional fields" and lists the goals."""
    page.get_by_role("link", name="Prescribe", exact=True).first.click()
    page.get_by_role("link", name="Lower back pain: hip flexor stretch and glute bridge").click()
    checked(page)
    assert page.get_by_role("button", name="Object Properties").count() == 0
    root = page.locator('[data-schemapath="root"]')
    root.get_by_role("button", name="Optional fields").first.click()
    root.get_by_label("Goals", exact=True).check()
    wait_until(page, "document.querySelector('[data-schemapath=\"root.goals\"]')")
    # Every field is labelled in words, not by its key in the file, and the label is tied to
    # its box (a screen reader reads it there).
    assert (
        page.get_by_role("textbox", name="Patient's full name").get_attribute("id")
        == "root[patient][name]"
    )


def test_an_imported_protocol_says_whose_it_is_before_it_is_changed(page, served):
    """A receiving clinic opened a protocol `bundle import` wrote, corrected or signed it off
    in the browser, and learnt only at the next import (refused) that its copy was now its
    own: the page says whose it is, and what a saved change does, before the change."""
    path = imported_copy(served.folder, "hip-flexor-stretch-programme.json", content_digest=False)
    version = json.loads(path.read_text("utf-8"))["version"]
    page.goto(f"{served.base}/edit?path=received/hip-flexor-stretch-programme.json")
    said = page.locator("#imported").inner_text()
    assert said.startswith(f'Imported version {version} from "Northside Physio" with key')
    assert "on 2026-11-22. A change saved here makes it your clinic's copy" in said
    assert "--replace-local-changes" in said
    path.write_text(path.read_text("utf-8").replace('"draft"', '"active"', 1), "utf-8")
    page.goto(f"{served.base}/edit?path=received/hip-flexor-stretch-programme.json")
    assert "on 2026-11-22, and changed here since." in page.locator("#imported").inner_text()
    page.goto(f"{served.base}/edit?path=hip-flexor-stretch-programme.json")  # the clinic's own
    assert page.locator("#imported").count() == 0


def test_a_check_about_a_library_exercise_s_text_names_that_file_and_line(page, served):
    """A protocol's finding about a text of a library exercise is changed in that exercise's
    file, not in the protocol's form: the Checks list says which file and line, named as the
    workbench names its files (it was named from the server's working folder: a whole path
    such as /tmp/.../clinic/library/bridge-where.json), and a click opens it."""
    library = served.folder / "library"
    exercise = json.loads((library / "glute-bridge.json").read_text("utf-8"))
    exercise["id"] = "bridge-where"
    exercise["steps"][1] = "TBC"
    (library / "bridge-where.json").write_text(dumps(exercise), "utf-8")
    protocol = json.loads((served.folder / "psoas-stretch-glute-bridge.json").read_text("utf-8"))
    protocol["id"] = "bridge-where-protocol"
    protocol["exercises"] = [{"ref": "bridge-where"}]
    (served.folder / "bridge-where-protocol.json").write_text(dumps(protocol), "utf-8")
    page.goto(f"{served.base}/edit?path=bridge-where-protocol.json")
    checked(page)
    item = page.locator('#findings-list li[data-pointer="/exercises/0"]', has_text="TEXT003")
    # At the place in that exercise's form, not its line (H1157).
    assert "(change it in library/bridge-where.json, at Step 2)" in item.first.inner_text()
    item.first.locator(".pk-library a").click()
    page.wait_for_url("**/edit?path=library%2Fbridge-where.json#at=%2Fsteps%2F1")
    checked(page)
    assert page.evaluate("() => window.workbench.value().steps[1]") == "TBC"


def test_a_new_protocol_s_starting_texts_are_said_once_in_the_checks(page, served):
    """The Checks list of a new protocol said "starting text from protokit new, not yet
    reviewed: ...: read it and change it to fit this programme, or keep it (a sign_off records
    the review)" 11 to 24 times: the words once in each part of the form, then each text."""
    from protocol_kit.templates import new_protocol

    (served.folder / "knee-starting.json").write_text(dumps(new_protocol("knee-starting")), "utf-8")
    page.goto(f"{served.base}/edit?path=knee-starting.json")
    checked(page)
    items = page.locator("#findings-list li:not(.pk-group)", has_text="GOV009").all_inner_texts()
    assert len(items) == 11
    whole = [text for text in items if "read it and change it to fit this programme" in text]
    assert 1 <= len(whole) <= 2  # once in Safety (and once in Delivery)
    again = [text for text in items if 'GOV009 as above: "' in text]
    assert len(whole) + len(again) == 11
    assert 'at Reason to stop 2: GOV009 as above: "Feeling dizzy or faint' in "\n".join(again)
