// The workbench's form page: a json-editor form generated from the published schema, the
// checks of `protokit validate` shown at their fields as the therapist types, the sheet's
// preview beside the form, saves that never overwrite a file changed on disk, and a warning
// before a tab with unsaved changes is closed. Text from files is only ever set as text.
"use strict";

(function () {
  const doc = JSON.parse(document.getElementById("document").textContent);
  let version = doc.version;
  let saved = JSON.stringify(doc.data);
  let editor = null;
  let checkTimer = null;
  let checkSeq = 0, previewSeq = 0;

  const $ = (id) => document.getElementById(id);
  const post = (url, payload) => fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
    credentials: "same-origin",
  });
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  // An exercise's members named "x-..." (`x-library`, where `protokit bundle import`'s
  // inlined exercise came from) are kept out of the form and put back in its value, by the
  // exercise's id. json-editor judged an "x-" object against a schema without properties
  // (its option `no_additional_properties`), found the written-out exercise invalid and drew
  // each as a reference to a library exercise: an imported protocol's page could not be
  // saved, so its review could not be signed off there (H1199); drawn as a field, the
  // object's numbers came back as text.
  const outOfForm = (key) => key.startsWith("x-");
  function withoutExtras(data) {
    const extras = new Map();
    if (!data || !Array.isArray(data.exercises)) return { formData: data, extras };
    const exercises = data.exercises.map((exercise) => {
      if (!exercise || typeof exercise !== "object" || typeof exercise.id !== "string" ||
          extras.has(exercise.id)) return exercise;
      const kept = Object.entries(exercise).filter(([key]) => outOfForm(key));
      if (!kept.length) return exercise;
      extras.set(exercise.id, kept);
      return Object.fromEntries(Object.entries(exercise).filter(([key]) => !outOfForm(key)));
    });
    return { formData: { ...data, exercises }, extras };
  }
  function withExtras(data, extras) {
    if (!extras.size || !Array.isArray(data.exercises)) return data;
    const exercises = data.exercises.map((exercise) => {
      const kept = exercise && extras.get(exercise.id);
      return kept ? { ...exercise, ...Object.fromEntries(kept) } : exercise;
    });
    return { ...data, exercises };
  }
  const { formData, extras: heldAside } = withoutExtras(doc.data);

  // `$schema` says what the file is: not a form field, kept as the file has it, first.
  function value() {
    return withExtras({ $schema: doc.data.$schema, ...editor.getValue() }, heldAside);
  }
  // What the checks and the sheet are of: the form, or, when the form cannot hold the file
  // (`lost`, below), the file as written. The form then showed its own stand-in (an override
  // of an exercise the protocol lacks as the protocol's first exercise), and the checks said
  // "No problems" and the preview drew a sheet of what the file does not say.
  let asWritten = false;
  function checkedValue() { return asWritten ? doc.data : value(); }
  function dirty() { return JSON.stringify(value()) !== saved; }

  // Findings ------------------------------------------------------------------------------
  function schemaPath(pointer) {
    const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    return ["root", ...parts];
  }
  function fieldOf(pointer) {
    const parts = schemaPath(pointer);
    while (parts.length) {
      const found = document.querySelector(`[data-schemapath="${CSS.escape(parts.join("."))}"]`);
      if (found) return found;
      parts.pop();
    }
    return $("form");
  }
  function showFindings(findings) {
    document.querySelectorAll(".pk-finding").forEach((n) => n.remove());
    whyOnPage.clear();
    document.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    const list = $("findings-list");
    list.replaceChildren();
    const errors = findings.filter((f) => f.severity === "error").length;
    const warnings = findings.length - errors;
    $("findings-status").textContent = findings.length === 0
      ? "No problems: this file passes protokit validate."
      : `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`;
    $("save").textContent = errors ? `Save as draft (${errors} error${errors === 1 ? "" : "s"})` : "Save";
    findings.forEach((f, i) => {
      const id = `finding-${i}`;
      const note = el("div", "", `pk-finding pk-${f.severity}`);
      note.id = id;
      const said = el("p");
      said.append(el("strong", `${f.severity} ${f.code}: `), el("span", f.message));
      note.append(said, explanation(f));
      const field = fieldOf(f.pointer || "");
      field.prepend(note);
      const input = field.querySelector("input, select, textarea");
      if (input && f.severity === "error") {
        input.setAttribute("aria-invalid", "true");
        const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.startsWith("finding-"));
        input.setAttribute("aria-describedby", [...described, id].join(" "));
      }
      // Where it is in the form's words ("Exercise 3 (Glute bridge) › Dosage › Hold
      // (seconds)"), not the JSON pointer the command line prints; a click takes the
      // therapist to the field itself. Findings in one part of the form one after another
      // are listed under its name, said once: a new protocol's list repeated "Exercise 1
      // (...)" at the start of a dozen lines.
      const grouped = Boolean(f.group) && [findings[i - 1], findings[i + 1]]
        .some((other) => other && other.group === f.group);
      const item = el("li");
      item.dataset.pointer = f.pointer || "";
      // A run of findings in one part that differ only in the text they quote (a new
      // protocol's 11 to 24 starting texts, GOV009) says its words once, as the command
      // line's report does (H1018): a therapist stopped reading 24 lines of the same words.
      const previous = findings[i - 1];
      const again = Boolean(f.brief) && Boolean(previous) && previous.code === f.code &&
        previous.brief === f.brief && previous.group === f.group;
      const link = el("a", again ? `${f.code} as above: ${f.value}` : `${f.code} ${f.message}`);
      link.href = `#${id}`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        goTo(f.pointer || "", note);
      });
      const where = grouped ? f.within : (f.where || f.pointer || "/");
      item.append(el("span", `${f.severity} at ${where}: `), link);
      // A text that comes from a library exercise is changed in that exercise's file, not
      // in this form: say which file and line (the server's `library`, never the message),
      // and open that file when it is one of this folder's.
      if (f.library) {
        // In that exercise's form's words, and opened at the field, when it is one of this
        // folder's files ("line 28" is a text editor's word: H1157).
        const line = f.library.where ? `, at ${f.library.where}`
          : f.library.line ? `, line ${f.library.line}` : "";
        const said = el("span", " (change it in ", "pk-library");
        if (f.library.open) {
          const open = el("a", f.library.path);
          const at = f.library.where ? `#at=${encodeURIComponent(f.library.pointer)}` : "";
          open.href = `/edit?path=${encodeURIComponent(f.library.open)}${at}`;
          said.append(open);
        } else {
          said.append(f.library.path);
        }
        said.append(`${line})`);
        item.append(said);
      }
      (grouped ? groupList(list, f.group, findings[i - 1]) : list).append(item);
    });
  }
  // The list of the findings in the part of the form named `group`: the one the finding
  // before (`previous`) was put in, or a new one under the part's name.
  function groupList(list, group, previous) {
    if (previous && previous.group === group) return list.lastElementChild.querySelector("ul");
    const part = el("li", "", "pk-group");
    const name = el("span", group, "pk-group-name");
    name.id = `findings-group-${list.children.length}`;
    const inner = el("ul");
    inner.setAttribute("aria-labelledby", name.id);
    part.append(name, inner);
    list.append(part);
    return inner;
  }
  // The field a finding is about, scrolled into view and focused (its first box or choice),
  // or the finding's note at the nearest part of the form that is drawn.
  function goTo(pointer, note) {
    const field = fieldOf(pointer);
    // The box itself before the choice of "one language or translations" drawn above it;
    // nothing hidden (json-editor's closed "Optional fields" list holds tick boxes).
    const shown = (selector) => [...field.querySelectorAll(selector)]
      .find((n) => n.getClientRects().length > 0);
    const input = shown("input:not([type=hidden]), textarea, select:not(.je-switcher)") ||
      shown("select");
    (input || note).scrollIntoView({ block: "center" });
    if (input) input.focus({ preventScroll: true });
    else {
      note.tabIndex = -1;
      note.focus({ preventScroll: true });
    }
  }
  // The rule's explanation, one click away at the finding: the text `protokit rules CODE`
  // prints, asked of the server once per rule when first opened. An open explanation stays
  // open while the checks run again.
  const explained = new Map();
  const openWhy = new Set();
  // The explanation on the page now for each finding: a click can land on one that the
  // checks are replacing, and its toggle then arrives after the new one was made.
  const whyOnPage = new Map();
  function explanation(f) {
    const key = `${f.code} ${f.pointer}`;
    const details = el("details", "", "pk-why");
    const summary = el("summary", `Why? ${f.code} explained`);
    const text = el("pre", "", "pk-why-text");
    details.append(summary, text);
    const fill = async () => {
      if (!explained.has(f.code)) {
        const response = await fetch(`/api/rules/${encodeURIComponent(f.code)}`);
        explained.set(f.code, response.ok ? (await response.json()).text : "No explanation found.");
      }
      text.textContent = explained.get(f.code);
    };
    details.addEventListener("toggle", () => {
      if (details.open) { openWhy.add(key); fill(); } else openWhy.delete(key);
      const live = whyOnPage.get(key);
      if (live && live !== details) live.open = details.open;
    });
    whyOnPage.set(key, details);
    if (openWhy.has(key)) { details.open = true; fill(); }
    return details;
  }

  // One request of each kind at a time, for the latest state of the form: typing faster
  // than the server answers never queues up stale work.
  function coalesced(work) {
    let busy = false, again = false;
    const run = async () => {
      if (busy) { again = true; return; }
      busy = true;
      try { await work(); } finally {
        busy = false;
        if (again) { again = false; run(); }
      }
    };
    return run;
  }
  // Findings of a state the form has already left are never shown: right after "Add item"
  // the new entry's empty field was checked, and when the therapist had typed into it before
  // the answer came (a busy server), "missing required field" flashed at the entry until
  // the check of what they typed replaced it.
  // Counting changes alone was not enough (H732): json-editor fires its "change" event one
  // animation frame after the form's value changed (later still on a busy machine), and an
  // answer that came in between was shown; the value itself is compared too.
  let formChanges = 0;
  let findingsOf = null;  // the form's value (as JSON) that the findings shown are about
  let checksAnswered = 0;
  const check = coalesced(async () => {
    const seq = ++checkSeq;
    const state = formChanges;
    const data = checkedValue();
    const asked = JSON.stringify(data);
    const left = () => seq !== checkSeq || state !== formChanges || JSON.stringify(checkedValue()) !== asked;
    try {
      const response = await post("/api/check", { path: doc.path, data });
      if (left()) return;
      const answer = await response.json();
      if (left()) return;
      findingsOf = asked;
      showAnswer(answer);
    } finally {
      checksAnswered++;
    }
  });
  function showAnswer(answer) {
    if (answer.findings) {
      showFindings(answer.findings);
      // The findings come in rounds: say that more may follow once these are fixed.
      if (answer.rules_waiting) {
        $("findings-status").textContent += " The clinical safety rules check this file once its " +
          "schema and reference errors are fixed: more may follow.";
      }
      sheetAfterCheck(answer.findings);
    } else $("findings-status").textContent = answer.error || "The check failed.";
  }
  // The sheet follows the check of the same state of the form: a form with errors has no
  // sheet (the server refuses it too), so none is asked for.
  function sheetAfterCheck(findings) {
    const errors = findings.filter((f) => f.severity === "error").length;
    if (doc.kind === "exercise" || errors === 0) { preview(); return; }
    ++previewSeq;  // a sheet on its way is of an older state
    editedAt = null;
    $("preview-status").textContent = `No sheet: not printable until the ${errors} error${errors === 1 ? " is" : "s are"} fixed (see Checks).`;
    sheetWarnings([]);
    $("preview").replaceChildren();
    delete $("preview").dataset.shown;
  }

  // Preview -------------------------------------------------------------------------------
  // The server makes the PDF and answers with its key and page count; each page is a picture
  // the page asks for only when it scrolls into the pane, so a long sheet costs no more than
  // its first page. A page keeps showing the previous sheet until the new picture is in.
  let editedAt = null;
  const shownTimes = [];
  const pagesInView = new IntersectionObserver((entries) => {
    entries.forEach((entry) => { if (entry.isIntersecting) load(entry.target); });
  }, { root: document.querySelector(".preview-pane"), rootMargin: "300px 0px" });
  function load(img) {
    if (img.dataset.src && img.getAttribute("src") !== img.dataset.src) img.src = img.dataset.src;
  }
  const preview = coalesced(async () => {
    if (doc.kind === "exercise") return picture();
    const seq = ++previewSeq;
    const asked = editedAt;
    editedAt = null;
    $("preview-status").textContent = "Making the sheet…";
    const response = await post("/api/preview", {
      path: doc.path, data: checkedValue(),
      large_print: $("large-print").checked, language: $("language").value,
    });
    if (seq !== previewSeq) return;
    const answer = await response.json();
    const pane = $("preview");
    // What `protokit render` would warn of this sheet (the clinic's English texts on a
    // French sheet, H876), shown under the status until the next sheet.
    sheetWarnings(answer.warnings || []);
    if (answer.refused || answer.error) {
      $("preview-status").textContent = `No sheet: ${answer.refused || answer.error}`;
      pane.replaceChildren();
      delete pane.dataset.shown;
      return;
    }
    const old = pane.querySelectorAll("img");
    const pages = [];
    for (let n = 1; n <= answer.pages; n++) {
      const img = old[n - 1] || el("img");
      img.alt = `Page ${n} of ${answer.pages} of the sheet`;
      img.dataset.src = `/api/preview/${answer.sheet}/${n}.jpg`;
      pages.push(img);
    }
    const shown = () => {
      if (seq !== previewSeq) return;
      pane.dataset.shown = answer.sheet;
      // From the change in the form to the new sheet on screen (docs/performance.md).
      if (asked !== null) shownTimes.push(Math.round(performance.now() - asked));
    };
    pane.replaceChildren(...pages);
    $("preview-status").textContent = `The sheet as it prints: ${answer.pages} page${answer.pages === 1 ? "" : "s"}.`;
    const first = pages[0];
    // The same sheet as the one shown (or still loading): shown once its picture is in.
    if (first.getAttribute("src") === first.dataset.src && first.complete && first.naturalWidth) shown();
    else first.addEventListener("load", shown, { once: true });
    load(pages[0]);
    pages.forEach((img) => pagesInView.observe(img));
  });
  function sheetWarnings(warnings) {
    const shown = $("preview-warnings");
    if (shown) shown.replaceChildren(...warnings.map((w) => el("p", `Warning: ${w}`, "pk-finding pk-warning")));
  }
  async function picture() {
    const response = await post("/api/picture", { path: doc.path, data: value() });
    const pane = $("preview");
    if (response.status !== 200) {
      $("preview-status").textContent = "No picture yet: describe the start and end poses.";
      pane.replaceChildren();
      return;
    }
    // The picture the sheet prints: the clinic's own when `media` names one, else the
    // drawing of the poses.
    const shown = await response.json();
    $("preview-status").textContent = shown.says;
    if (!shown.src && !shown.svg) { pane.replaceChildren(); return; }
    const img = el("img");
    img.src = shown.src || URL.createObjectURL(new Blob([shown.svg], { type: "image/svg+xml" }));
    img.alt = shown.alt;
    pane.replaceChildren(img);
  }

  // The sheet's languages: each by its name, and those the protocol has no translation for
  // disabled, rather than offered and then refused with the file's path and pointer.
  const languageNames = new Intl.DisplayNames(["en"], { type: "language" });
  function sheetLanguages() {
    const select = $("language");
    if (!select) return;
    const current = value();
    const written = doc.kind === "protocol"
      ? [current.language, ...(Array.isArray(current.translations) ? current.translations : [])]
      : doc.sheet_languages;
    const primary = (tag) => String(tag).toLowerCase().split("-")[0];
    const printable = written ? written.filter((t) => typeof t === "string").map(primary) : null;
    [...select.options].forEach((option) => {
      if (!option.value) return;
      const ok = printable === null || printable.includes(option.value);
      option.disabled = !ok;
      option.textContent = `${languageNames.of(option.value)}${ok ? "" : " (not translated)"}`;
    });
    if (select.selectedOptions[0] && select.selectedOptions[0].disabled) {
      select.value = "";
      preview();
    }
  }

  function changed() {
    formChanges++;
    clearTimeout(checkTimer);
    if (editedAt === null) editedAt = performance.now();
    // A field changes when it is left (not at each key): a short wait gathers what one
    // gesture changes; the sheet follows the check.
    checkTimer = setTimeout(check, 50);
    if (dirty() && !asWritten) $("save-status").textContent = "Unsaved changes.";
  }

  // Save ----------------------------------------------------------------------------------
  async function save(force) {
    // "Save and print" comes here too: it saved the form's stand-in over the file (H753).
    if (asWritten) return false;
    const data = value();
    const response = await post("/api/save", { path: doc.path, data, version: force || version });
    const answer = await response.json();
    if (response.status === 409) {
      $("theirs").textContent = answer.theirs || "(the file was deleted)";
      $("mine").textContent = answer.mine;
      $("conflict").hidden = false;
      $("conflict").dataset.version = answer.version;
      $("save-status").textContent = "Not saved: the file changed on disk. Choose below.";
      $("conflict-title").scrollIntoView();
      return false;
    }
    if (!response.ok) {
      $("save-status").textContent = `Not saved: ${answer.error}`;
      return false;
    }
    version = answer.version;
    saved = JSON.stringify(data);
    $("conflict").hidden = true;
    $("save-status").textContent = answer.errors
      ? `Saved ${doc.path} as a draft with ${answer.errors} error${answer.errors === 1 ? "" : "s"}: it cannot be printed for a patient until they are fixed.`
      : `Saved ${doc.path}.`;
    // The saved file's findings, unless the form has changed since it was sent (H732): the
    // check that change asked for shows the form's own.
    if (JSON.stringify(value()) === saved) {
      findingsOf = saved;
      showFindings(answer.findings);
    }
    return answer.errors === 0;
  }

  // json-editor's button that adds an optional part (a prescription's goals and measures, a
  // review date) said "Object Properties": a therapist could not tell that goals were there.
  JSONEditor.defaults.languages.en.button_object_properties = "Optional fields";
  // An open "Optional fields" box closes at the next click outside it, and json-editor
  // swallowed that click (preventDefault, stopPropagation): with the box still open after
  // ticking Sign-off or Goals, the first click on Save, or into a field, did nothing, and the
  // page said "Unsaved changes." as if Save had failed. The box still closes; the click goes
  // on to what was clicked (its own button still just closes it).
  JSONEditor.defaults.editors.object.prototype.onOutsideModalClick = function (event) {
    const target = event.composedPath ? event.composedPath()[0] : event.target;
    if (!this.adding_property || !this.addproperty_holder) return;
    if (this.addproperty_holder.contains(target)) return;
    if (this.addproperty_button && this.addproperty_button.contains(target)) return;
    this.toggleAddProperty();
  };

  // json-editor's options. Not `use_default_values: false`: with it, json-editor drops
  // numbers it was given (a hold of 3 seconds would vanish from the file).
  const FORM_OPTIONS = {
    theme: "html", iconlib: null, disable_edit_json: true, disable_properties: false,
    show_errors: "never", remove_empty_properties: true, prompt_before_delete: false,
    no_additional_properties: true, display_required_only: false, compact: false,
  };

  // What the forms make of each document (the tests hold every example to its file): one
  // form per kind, given each document of that kind in turn.
  async function formValues(documents) {
    const forms = {};
    const held = [];
    for (const data of documents) {
      const kind = data.$schema.split("/").pop().split(".")[0];
      const { formData: shown, extras } = withoutExtras(data);
      if (!forms[kind]) {
        const schema = await (await fetch(`/api/schema/${kind}`)).json();
        const holder = document.createElement("div");
        holder.hidden = true;
        document.body.append(holder);
        forms[kind] = new JSONEditor(holder, { schema, startval: shown, ...FORM_OPTIONS });
        await new Promise((resolve) => forms[kind].on("ready", resolve));
      } else {
        forms[kind].setValue(shown);
      }
      held.push(withExtras({ $schema: data.$schema, ...forms[kind].getValue() }, extras));
    }
    Object.values(forms).forEach((form) => { form.element.remove(); form.destroy(); });
    return held;
  }

  function start() {
    const schema = window.__schema;
    editor = new JSONEditor($("form"), { schema, startval: formData, ...FORM_OPTIONS });
    editor.on("ready", () => {
      // What the form makes of the file as opened is the baseline for "unsaved changes".
      if (doc.version) saved = JSON.stringify(value());
      window.workbench.lost = lostMembers(doc.data, value(), "");
      if (window.workbench.lost.length) {
        // Saving would drop what the form cannot hold: refuse, and say what and where.
        asWritten = true;
        $("save").disabled = true;
        if ($("print")) $("print").disabled = true;
        $("save-status").textContent = "This file holds values the form cannot show (" +
          window.workbench.lost.join(", ") + "): the checks and the sheet below are of the " +
          "file as written, not of the form. Correct it in a text editor (the checks say " +
          "what to change), then open it here again; saving and printing here are off.";
      }
      editor.on("change", changed);
      omitSwitches();
      editor.on("change", omitSwitches);
      textNames();
      editor.on("change", textNames);
      editor.on("change", protocolDosages);
      sheetLanguages();
      editor.on("change", sheetLanguages);
      startPictures();
      check();
      // Opened from another file's finding at a field of this one (`#at=POINTER`).
      if (location.hash.startsWith("#at=")) {
        const pointer = decodeURIComponent(location.hash.slice(4));
        goTo(pointer, fieldOf(pointer));
      }
    });
    $("save").addEventListener("click", () => save());
    const printButton = $("print");
    if (printButton) {
      printButton.addEventListener("click", async () => {
        if (await save()) {
          const query = new URLSearchParams({ path: doc.path });
          if ($("large-print").checked) query.set("large_print", "1");
          if ($("language").value) query.set("language", $("language").value);
          window.open(`/print?${query}`, "_blank");
        } else if ($("conflict").hidden) {
          $("save-status").textContent += " Fix the errors before printing.";
        }
      });
    }
    $("keep-mine").addEventListener("click", () => save($("conflict").dataset.version));
    $("take-theirs").addEventListener("click", () => { saved = JSON.stringify(value()); location.reload(); });
    ["large-print", "language"].forEach((id) => $(id) && $(id).addEventListener("change", () => {
      if (editedAt === null) editedAt = performance.now();
      preview();
    }));
    const words = $("code-words");
    if (words) {
      let timer = null;
      words.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => searchCodes(words.value), 200);
      });
    }
    window.addEventListener("beforeunload", (event) => {
      if (editor && dirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // Leaving an exercise out of a prescription is one tick at its entry: the format's `omit`
  // (hidden in the form, see forms.py) set and the entry's dosage taken away, as the format
  // wants (an exercise left out has no dosage). It took four clicks in json-editor's own
  // controls (open Object Properties, tick omit, untick dosage, choose true). Untick it and
  // the dosage comes back as it was.
  //
  // Each tick is redrawn the moment its entry changes (json-editor's watch on the entry), not
  // at the form's "change" event, which json-editor fires one animation frame later (later
  // still on a busy machine): in between, after entries were moved, the tick labelled "Leave
  // quad-set" belonged to the entry that now held another exercise, and a click there (the
  // second of two quick ones) put back or took away the other exercise's dosage (H403). A
  // tick also acts on the exercise it names, wherever that entry is now.
  // A text the patient reads is written in one language or in several (json-editor's choice
  // between two forms, forms.py): a screen reader named its box "one language" and its choice
  // "root[title] switcher", not by the field's label, which only the eye saw above them. Both
  // are named by that label again whenever the form changes (a choice draws a new box).
  function textNames() {
    document.querySelectorAll("#form select.je-switcher").forEach((switcher) => {
      const holder = switcher.parentElement;
      const heading = holder.querySelector(":scope > b, :scope > .je-header");
      const name = heading ? heading.textContent.trim() : "";
      if (!name) return;
      const choice = holder.querySelector(`:scope > label[for="${CSS.escape(switcher.id)}"]`);
      // Not every choice is of languages: an exercise is taken from the library or written
      // in the protocol.
      const kinds = [...switcher.options].map((o) => o.textContent);
      const languages = kinds.join() === "one language,translations";
      if (choice) choice.textContent = `${name}: ${languages ? "one language or translations" : kinds.join(" or ")}`;
      holder.querySelectorAll(":scope > div > .je-child-editor-holder > .form-control > label")
        .forEach((label) => { label.textContent = name; });
    });
  }

  const dosageLeftOut = new Map();
  const watchedEntries = new Set();
  function omitSwitches() {
    if (doc.kind !== "prescription") return;
    const overrides = editor.getEditor("root.overrides");
    const count = overrides ? (overrides.getValue() || []).length : 0;
    for (let i = 0; i < count; i++) omitSwitch(i);
  }
  function omitSwitch(i) {
    const holder = editor.getEditor(`root.overrides.${i}`);
    const box = document.querySelector(`[data-schemapath="root.overrides.${i}"]`);
    const override = holder ? holder.getValue() : undefined;
    if (!box || !override || typeof override !== "object") return;
    let label = box.querySelector(":scope > .pk-omit");
    if (!label) {
      label = el("label", undefined, "pk-omit");
      const input = el("input");
      input.type = "checkbox";
      input.addEventListener("change", () => leaveOut(i, input.dataset.exercise, input.checked));
      label.append(input, el("span"));
      const controls = box.querySelector(":scope > .je-object__controls");
      if (controls) controls.after(label); else box.prepend(label);
    }
    if (!watchedEntries.has(i)) {
      watchedEntries.add(i);
      editor.watch(`root.overrides.${i}`, () => omitSwitch(i));
    }
    const input = label.querySelector("input");
    input.checked = override.omit === true;
    input.dataset.exercise = typeof override.exercise === "string" ? override.exercise : "";
    label.querySelector("span").textContent =
      ` Leave ${override.exercise || "this exercise"} out of this patient's sheet`;
  }
  function leaveOut(place, exercise, out) {
    const overrides = editor.getEditor("root.overrides").getValue() || [];
    const holds = (i) => overrides[i] && overrides[i].exercise === exercise;
    const i = !exercise || holds(place) ? place : overrides.findIndex((o, n) => holds(n));
    const holder = i < 0 ? null : editor.getEditor(`root.overrides.${i}`);
    const { omit, dosage, ...entry } = (holder && holder.getValue()) || {};
    if (!holder || out === (omit === true)) {
      omitSwitches();  // nothing to change: the ticks show the entries as they are
      return;
    }
    // Kept by the exercise's id, not the entry's place: entries can be moved, and another
    // exercise's dosage must never come back on this one.
    if (out) {
      if (dosage) dosageLeftOut.set(entry.exercise, dosage);
      // The dosage's own fields emptied first: fields drawn after the form was (an entry
      // added and given its protocol dosage) stayed in the form's value otherwise.
      const fields = editor.getEditor(`root.overrides.${i}.dosage`);
      if (fields) fields.setValue({});
      holder.setValue({ ...entry, omit: true });
    } else {
      holder.setValue({ ...entry, dosage: dosageLeftOut.get(entry.exercise) || {} });
    }
  }

  // Members of the file the form does not hold (a field the schema does not describe), or
  // holds changed (a choice the file's value is not one of is shown as the list's first
  // choice: a screening answer "TODO: yes or no" became "yes"): listed on the page, so that a
  // save cannot drop or change them unseen. A `TODO` the form leaves empty is no loss: the
  // checks say what is still to fill in there.
  function lostMembers(before, after, at) {
    if (before === null || typeof before !== "object") return before === after ? [] : [at || "/"];
    if (after === null || typeof after !== "object") return [at || "/"];
    return Object.keys(before).flatMap((k) => (k in after
      ? lostMembers(before[k], after[k], `${at}/${k}`)
      : placeholder(before[k]) ? [] : [`${at}/${k}`]));
  }
  // A `TODO`, or a part made only of them (every screening answer still to give).
  const placeholder = (held) => (typeof held === "string" ? /^TODO\b/.test(held)
    : held !== null && typeof held === "object" && Object.keys(held).length > 0 &&
      Object.values(held).every(placeholder));

  // Pictures ------------------------------------------------------------------------------
  // The PNG and JPEG files in media/ beside this file, to choose for an exercise, and an
  // upload that saves a picture there (checked by the server as a sheet checks the pictures
  // it prints, never over another picture) and then chooses it.
  function pictureTargets() {
    const select = $("picture-exercise");
    if (!select) return;
    const chosen = select.value;
    const exercises = (value().exercises || []);
    select.replaceChildren(...exercises.flatMap((x, i) => {
      if (!x || x.ref !== undefined) return [];  // a library exercise's pictures are in its own file
      const name = typeof x.name === "object" && x.name ? Object.values(x.name)[0] : x.name;
      const option = el("option", `${i + 1}. ${name || x.id || "exercise"}`);
      option.value = String(i);
      return [option];
    }));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    $("picture-none").hidden = select.options.length > 0;
    $("picture-target").hidden = select.options.length === 0;
  }
  function usePicture(path) {
    const select = $("picture-exercise");
    if (select && !select.value) {
      $("picture-status").textContent = "No exercise written in full here: add a library exercise's pictures in its own file.";
      return;
    }
    const at = select ? `root.exercises.${select.value}` : "root";
    const holder = editor.getEditor(at);
    const current = holder.getValue() || {};
    // Author, licence and what it shows (alt) are the therapist's to fill in: the checks
    // point at them. Empty texts make the form draw their fields (and are never saved).
    const item = { kind: "image", path, alt: "", caption: "", author: "", licence: "" };
    holder.setValue({ ...current, media: [...(current.media || []), item] });
    $("picture-status").textContent = `${path} added to ${select ? select.selectedOptions[0].textContent : "this exercise"}: fill in its author, licence and what it shows.`;
  }
  function showPictures(names) {
    const list = $("picture-list");
    const options = $("media-pictures");
    options.replaceChildren(...names.map((n) => { const o = el("option"); o.value = n; return o; }));
    list.replaceChildren(...names.map((name) => {
      const item = el("li");
      const use = el("button", "Use");
      use.type = "button";
      use.setAttribute("aria-label", `Use ${name}`);
      use.addEventListener("click", () => usePicture(name));
      const thumbnail = el("img", undefined, "pk-thumbnail");
      thumbnail.src = `/api/pictures/file?${new URLSearchParams({ path: doc.path, name })}`;
      thumbnail.alt = "";  // the name beside it says which picture it is
      item.append(thumbnail, el("span", ` ${name} `), use);
      return item;
    }));
    $("picture-count").textContent = names.length
      ? `${names.length} picture${names.length === 1 ? "" : "s"} in media/ beside this file.`
      : "No pictures in media/ beside this file yet.";
  }
  async function uploadPicture(file) {
    // A name the format accepts: letters, digits, '.', '-' and '_'.
    const name = file.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "");
    $("picture-status").textContent = `Saving ${name}…`;
    const response = await fetch(`/api/pictures?${new URLSearchParams({ path: doc.path, name })}`, {
      method: "POST", body: file, credentials: "same-origin",
      headers: { "content-type": "application/octet-stream" },
    });
    const answer = await response.json();
    if (!response.ok) {
      $("picture-status").textContent = `Not saved: ${answer.error}`;
      return;
    }
    showPictures(answer.pictures);
    usePicture(answer.path);
    $("picture-status").textContent = `Saved ${answer.path}. ` + $("picture-status").textContent;
  }
  function startPictures() {
    if (!$("pictures")) return;
    fetch(`/api/pictures?${new URLSearchParams({ path: doc.path })}`)
      .then((r) => r.json()).then((answer) => showPictures(answer.pictures || []));
    pictureTargets();
    editor.on("change", pictureTargets);
    $("picture-file").addEventListener("change", (event) => {
      const [file] = event.target.files;
      if (file) uploadPicture(file).finally(() => { event.target.value = ""; });
    });
  }

  async function searchCodes(words) {
    const list = $("code-results");
    if (!words.trim()) { list.replaceChildren(); return; }
    const response = await fetch(`/api/codes?q=${encodeURIComponent(words)}`);
    const answer = await response.json();
    list.replaceChildren(...answer.codes.map((c) => {
      const item = el("li");
      const add = el("button", "Add as indication");
      add.type = "button";
      add.setAttribute("aria-label", `Add ${c.system_name} ${c.code} ${c.display} as an indication`);
      add.addEventListener("click", () => {
        const field = editor.getEditor("root.indications");
        const coding = { system: c.system, code: c.code, display: c.display };
        // The template's indication (display "TODO: ...") is what this replaces: kept, it
        // stayed an error the therapist had to find and delete by hand.
        const kept = (field ? field.getValue() || [] : []).filter(
          (old) => !(typeof old.display === "string" && old.display.startsWith("TODO:")));
        if (field) field.setValue([...kept, coding]);
      });
      item.append(el("span", `${c.system_name} ${c.code}: ${c.display}${c.billable ? "" : " (has more specific codes)"} `), add);
      return item;
    }));
  }

  // Each screening answer labelled by the question the therapist asks the patient (the
  // label is text, never markup), in the protocol's order; other answers keep their id.
  function withQuestions(schema) {
    const screening = schema.properties && schema.properties.screening;
    const questions = Object.entries(doc.screening_questions || {});
    if (screening && screening.additionalProperties && questions.length) {
      screening.properties = Object.fromEntries(questions.map(([id, text]) =>
        [id, { ...screening.additionalProperties, title: text }]));
    }
    return schema;
  }

  // A prescription's override names one of its protocol's exercises: chosen from them, each
  // with its name (a typed id could name none).
  function withExercises(schema) {
    const override = schema.definitions && schema.definitions["prescription.override"];
    const exercises = doc.prescribed_exercises || [];
    if (override && override.properties && exercises.length) {
      override.properties.exercise = {
        ...override.properties.exercise, $ref: undefined, type: "string",
        enum: exercises.map((e) => e.id),
        options: { enum_titles: exercises.map((e) => `${e.id}: ${e.name}`) },
      };
      delete override.properties.exercise.$ref;
    }
    return schema;
  }

  // A new prescription starts with no override: every exercise as the protocol has it (H719).
  // An entry the therapist adds starts from its exercise's dosage in the protocol, to change;
  // choosing another exercise in an entry still as it started brings that one's dosage.
  const startedFrom = new Map();  // entry's place -> the exercise and dosage it was given
  // The form gives a dosage's fields in the schema's order: compared whatever the order.
  const sameDosage = (dosage) => JSON.stringify(Object.entries(dosage || {}).sort());
  function protocolDosages() {
    if (doc.kind !== "prescription" || !(doc.prescribed_exercises || []).length) return;
    const overrides = editor.getEditor("root.overrides");
    const entries = overrides ? overrides.getValue() || [] : [];
    let changed = false;
    const started = entries.map((entry, i) => {
      const own = doc.prescribed_exercises.find((e) => e.id === entry.exercise);
      if (!own || entry.omit === true) return entry;
      const given = startedFrom.get(i);
      const untouched = given && given.exercise !== entry.exercise &&
        sameDosage(entry.dosage) === given.dosage;
      if (entry.dosage !== undefined && !untouched) return entry;
      changed = true;
      startedFrom.set(i, { exercise: entry.exercise, dosage: sameDosage(own.dosage) });
      // A new entry holds json-editor's `"omit": false`: not the format's way to say "kept".
      const { omit, ...kept } = entry;
      return { ...kept, dosage: { ...own.dosage } };
    });
    if (changed) overrides.setValue(started);
  }

  fetch(`/api/schema/${doc.kind}`).then((r) => r.json()).then((schema) => {
    window.__schema = withExercises(withQuestions(schema));
    start();
  });
  window.workbench = {
    value: () => value(), dirty: () => dirty(), editor: () => editor, formValues,
    previewTimes: () => [...shownTimes],
    // For the tests: whether the findings shown are those of the form as it is now, and how
    // many checks have answered (shown or left behind).
    findingsCurrent: () => editor !== null && findingsOf === JSON.stringify(checkedValue()),
    checksAnswered: () => checksAnswered,
  };
})();
