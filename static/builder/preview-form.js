// 手机预览: the phone form's page (templates/mobile/form.html, the same field nodes and widget
// modules) filled in inside the designer's phone frame. Unlike mobile/form.js it keeps no draft
// on the phone, has no outbox and no service worker: 提交 first checks what the phone checks,
// then asks the builder to check the answers against the saved draft on the server — like a
// real submit, and nothing is stored — and shows the errors on their fields.

import { applyConditions } from "../mobile/conditions.js";
import { check, clearAllErrors, clearError, setError, showErrors } from "../mobile/errors.js";
import { csrfToken } from "../mobile/http.js";
import { joinRuns, relayout, setLayoutRoot } from "../mobile/layout.js";
import { fmt, pageJSON, toptips } from "../mobile/messages.js";
import { bindScope, collect } from "../mobile/scope.js";

const form = document.getElementById("m-form");
const FIELDS = pageJSON("fields");
const TEXTS = pageJSON("texts");
const PREVIEW = pageJSON("preview-texts");
const status = document.getElementById("submit-status");
const button = document.getElementById("submit-btn");

const ui = {
  texts: TEXTS,
  fmt,
  setError,
  clearError,
  changed: () => onChange(),
  toast: (message) => toptips(message),
  uploadUrl: form.dataset.uploadUrl,
  queuePhotos: false,
};

const root = bindScope(form, FIELDS, ui);
setLayoutRoot(root);

function onChange() {
  applyConditions(root);
  relayout();
}

function say(message, warn) {
  status.textContent = message;
  status.classList.toggle("m-submit-status_warn", Boolean(warn));
  status.dataset.outcome = warn ? "failed" : "passed";
}

for (const type of ["input", "change"]) {
  form.addEventListener(type, (event) => {
    const field = event.target.closest("[data-field]");
    if (field) clearError(field);
    onChange();
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearAllErrors(root);
  const local = check(root, TEXTS);
  if (Object.keys(local).length) {
    showErrors(root, local);
    say(fmt(PREVIEW.failed, Object.keys(local).length), true);
    return;
  }
  button.disabled = true;
  try {
    const response = await fetch(form.dataset.previewCheckUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ data: collect(root) }),
    });
    const body = await response.json();
    if (!response.ok) say(body.message || PREVIEW.network, true);
    else if (body.valid) say(PREVIEW.passed, false);
    else {
      const elsewhere = showErrors(root, body.fields || {});
      const count = Object.keys(body.fields || {}).length;
      say([fmt(PREVIEW.failed, count), ...elsewhere].join("；"), true);
    }
  } catch (err) {
    say(PREVIEW.network, true);
  } finally {
    button.disabled = false;
  }
});

applyConditions(root);
joinRuns(root);
button.textContent = TEXTS.submit;
form.dataset.ready = "1";
// The designer page waits for this to keep the scroll position across reloads.
window.parent.postMessage({ type: "preview-ready", revision: Number(form.dataset.revision) }, window.location.origin);
