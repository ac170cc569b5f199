// 填报: the phone form's entry module. The server renders the form from the version and passes
// the field descriptors (#fields) and its translated texts (#texts) in as JSON; this binds a
// control to each field, keeps conditions and layout up to date as answers change, restores the
// draft kept on the phone, and hands the submit button to the outbox.
//
//   scope.js, widgets.js   controls for the fields, and the form read back into data
//   conditions.js          fields shown only for certain answers (the schema's if/then)
//   layout.js              one-line fields joined into WeUI lists
//   errors.js              what is wrong, next to the field: checked here or sent back
//   draft.js               the draft kept on the phone
//   outbox.js              sending until the server has the report, with the same id
//   delivery.js, store.js  the outbox kept on the phone, sent in the background too

import { applyConditions } from "./conditions.js";
import { Draft } from "./draft.js";
import { newUuid } from "./envelope.js";
import { clearError, setError } from "./errors.js";
import { joinRuns, relayout, setLayoutRoot } from "./layout.js";
import { fmt, pageJSON, toptips } from "./messages.js";
import { Outbox } from "./outbox.js";
import { bindScope, loadScope } from "./scope.js";

const form = document.getElementById("m-form");
const FIELDS = pageJSON("fields");
const TEXTS = pageJSON("texts");
const CONFIG = {
  person: document.body.dataset.person,
  app: form.dataset.app,
  appName: form.dataset.appName,
  version: Number(form.dataset.version),
  submitUrl: form.dataset.submitUrl,
  uploadUrl: form.dataset.uploadUrl,
  submittedUrl: form.dataset.submittedUrl,
};
// The report being filled in; its id stays the same until the server has answered.
const state = { id: newUuid(), pending: false, sending: false, touched: false, done: false };

/** What a control may ask of the page (photos.js and the others take the same). */
const ui = {
  texts: TEXTS,
  fmt,
  setError,
  clearError,
  changed: () => onChange(),
  toast: (message) => toptips(message),
  uploadUrl: CONFIG.uploadUrl,
  queuePhotos: true, // a photo met without network goes along with the report (photos.js)
};

const root = bindScope(form, FIELDS, ui);
setLayoutRoot(root);
const draft = new Draft({ person: CONFIG.person, app: CONFIG.app, version: CONFIG.version, root, state });
const outbox = new Outbox({ form, root, config: CONFIG, texts: TEXTS, state, draft });

function onChange() {
  applyConditions(root);
  relayout();
  state.touched = true;
  draft.saveSoon();
}

form.addEventListener("input", (event) => {
  const field = event.target.closest("[data-field]");
  if (field) clearError(field);
  onChange();
});
form.addEventListener("change", (event) => {
  const field = event.target.closest("[data-field]");
  if (field) clearError(field);
  onChange();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  outbox.submit();
});
draft.saveOnLeave();

// From the outbox list (被退回 → 去修改): the refused report becomes this form's draft.
const params = new URLSearchParams(window.location.search);
const fixing = params.get("fix");
let saved = draft.read();
// A draft filled against an earlier version is finished on that version's form and sent against
// it (the server renders any published version on ?version=N; 清空重填 goes back to the latest).
const older =
  !fixing && saved && !saved.pending && saved.version && saved.version !== CONFIG.version && !params.has("version");
if (older) window.location.replace(`${window.location.pathname}?version=${encodeURIComponent(saved.version)}`);
if (fixing) {
  saved = { id: fixing, pending: true, values: saved && saved.id === fixing ? saved.values : {} };
  state.fixing = true;
  window.history.replaceState(null, "", window.location.pathname);
}
if (older) {
  // leaving for the draft's version
} else if (saved) {
  // The draft's id is kept: if its submit reached the server, a resend is answered as the same.
  outbox.setId(saved.id || newUuid());
  state.pending = Boolean(saved.pending);
  loadScope(root, saved.values);
  draft.offerDiscard(TEXTS, params.has("version") ? fmt(TEXTS.draft_old_version, CONFIG.version) : "");
} else {
  outbox.setId(state.id);
}
applyConditions(root);
joinRuns(root);
outbox.button.textContent = TEXTS.submit;
form.dataset.ready = "1";
// When the first field could be filled in: make bench measures the page up to this mark.
performance.mark("lightapps:form-ready");

if (state.pending && !older) outbox.resume();
