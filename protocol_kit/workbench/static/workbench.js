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
  let checkTimer = null, previewTimer = null, pictureTimer = null;
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

  // `$schema` says what the file is: not a form field, kept as the file has it, first.
  function value() { return { $schema: doc.data.$schema, ...editor.getValue() }; }
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
      const note = el("p", "", `pk-finding pk-${f.severity}`);
      note.id = id;
      note.append(el("strong", `${f.severity} ${f.code}: `), el("span", f.message), " ");
      const why = el("a", "why?");
      why.href = `/rules/${encodeURIComponent(f.code)}`;
      why.target = "_blank";
      why.rel = "noopener";
      why.setAttribute("aria-label", `why? ${f.code} explained (opens a new tab)`);
      note.append(why);
      const field = fieldOf(f.pointer || "");
      field.prepend(note);
      const input = field.querySelector("input, select, textarea");
      if (input && f.severity === "error") {
        input.setAttribute("aria-invalid", "true");
        const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.startsWith("finding-"));
        input.setAttribute("aria-describedby", [...described, id].join(" "));
      }
      const item = el("li");
      const link = el("a", `${f.code} ${f.message}`);
      link.href = `#${id}`;
      item.append(el("span", `${f.severity} at ${f.pointer || "/"}: `), link);
      list.append(item);
    });
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
  const check = coalesced(async () => {
    const seq = ++checkSeq;
    const response = await post("/api/check", { path: doc.path, data: value() });
    if (seq !== checkSeq) return;
    const answer = await response.json();
    if (answer.findings) showFindings(answer.findings);
    else $("findings-status").textContent = answer.error || "The check failed.";
  });

  // Preview -------------------------------------------------------------------------------
  const preview = coalesced(async () => {
    if (doc.kind === "exercise") return picture();
    const seq = ++previewSeq;
    $("preview-status").textContent = "Making the sheet…";
    const response = await post("/api/preview", {
      path: doc.path, data: value(),
      large_print: $("large-print").checked, language: $("language").value,
    });
    if (seq !== previewSeq) return;
    const answer = await response.json();
    const pane = $("preview");
    if (answer.refused || answer.error) {
      $("preview-status").textContent = `No sheet: ${answer.refused || answer.error}`;
      pane.replaceChildren();
      return;
    }
    $("preview-status").textContent = `The sheet as it prints: ${answer.pages.length || "its"} page${answer.pages.length === 1 ? "" : "s"}.`;
    if (answer.pages.length) {
      pane.replaceChildren(...answer.pages.map((png, i) => {
        const img = el("img");
        img.src = `data:image/png;base64,${png}`;
        img.alt = `Page ${i + 1} of the sheet`;
        return img;
      }));
    } else {
      const frame = el("iframe");
      frame.title = "The sheet (PDF)";
      const bytes = Uint8Array.from(atob(answer.pdf), (c) => c.charCodeAt(0));
      frame.src = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
      pane.replaceChildren(frame);
    }
  });
  async function picture() {
    const response = await post("/api/picture", { data: value() });
    const pane = $("preview");
    if (response.status !== 200) {
      $("preview-status").textContent = "No picture yet: describe the start and end poses.";
      pane.replaceChildren();
      return;
    }
    const svg = await response.text();
    const img = el("img");
    img.src = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    img.alt = "The exercise drawn from its poses";
    $("preview-status").textContent = "Drawn from the poses.";
    pane.replaceChildren(img);
  }

  function changed() {
    clearTimeout(checkTimer);
    clearTimeout(previewTimer);
    checkTimer = setTimeout(check, 120);
    previewTimer = setTimeout(preview, 400);
    if (dirty()) $("save-status").textContent = "Unsaved changes.";
  }

  // Save ----------------------------------------------------------------------------------
  async function save(force) {
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
    showFindings(answer.findings);
    return answer.errors === 0;
  }

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
      if (!forms[kind]) {
        const schema = await (await fetch(`/api/schema/${kind}`)).json();
        const holder = document.createElement("div");
        holder.hidden = true;
        document.body.append(holder);
        forms[kind] = new JSONEditor(holder, { schema, startval: data, ...FORM_OPTIONS });
        await new Promise((resolve) => forms[kind].on("ready", resolve));
      } else {
        forms[kind].setValue(data);
      }
      held.push({ $schema: data.$schema, ...forms[kind].getValue() });
    }
    Object.values(forms).forEach((form) => { form.element.remove(); form.destroy(); });
    return held;
  }

  function start() {
    const schema = window.__schema;
    editor = new JSONEditor($("form"), { schema, startval: doc.data, ...FORM_OPTIONS });
    editor.on("ready", () => {
      // What the form makes of the file as opened is the baseline for "unsaved changes".
      if (doc.version) saved = JSON.stringify(value());
      window.workbench.lost = lostMembers(doc.data, value(), "");
      if (window.workbench.lost.length) {
        // Saving would drop what the form cannot hold: refuse, and say what and where.
        $("save").disabled = true;
        $("save-status").textContent = "This file holds parts the form cannot show (" +
          window.workbench.lost.join(", ") + "): edit it in a text editor; saving here is off.";
      }
      editor.on("change", changed);
      check();
      preview();
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
    ["large-print", "language"].forEach((id) => $(id) && $(id).addEventListener("change", preview));
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

  // Members of the file the form does not hold (a field the schema does not describe):
  // listed on the page, so that a save cannot drop them unseen.
  function lostMembers(before, after, at) {
    if (before === null || typeof before !== "object") return [];
    if (after === null || typeof after !== "object") return [at || "/"];
    return Object.keys(before).flatMap((k) => (k in after
      ? lostMembers(before[k], after[k], `${at}/${k}`) : [`${at}/${k}`]));
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
        if (field) field.setValue([...(field.getValue() || []), coding]);
      });
      item.append(el("span", `${c.system_name} ${c.code}: ${c.display}${c.billable ? "" : " (has more specific codes)"} `), add);
      return item;
    }));
  }

  fetch(`/api/schema/${doc.kind}`).then((r) => r.json()).then((schema) => {
    window.__schema = schema;
    start();
  });
  window.workbench = { value: () => value(), dirty: () => dirty(), editor: () => editor, formValues };
})();
