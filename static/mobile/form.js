// 填报: the server renders the form; this reads it back into data using the field descriptors,
// shows conditional fields, keeps a draft on the phone and submits until the server has it.

import { NetworkError, postJSON } from "./http.js";
import { LocationControl } from "./location.js";
import { PhotosControl } from "./photos.js";
import { FilesControl } from "./files.js";
import { SignatureControl } from "./signature.js";

// Kinds read from one <select> of the field's choices.
const SELECT_KINDS = new Set(["select", "orgunit", "person"]);
// Kinds typed as one line of text.
const TEXT_KINDS = new Set(["text", "textarea", "address", "mobile", "idcard"]);

const form = document.getElementById("m-form");
const FIELDS = JSON.parse(document.getElementById("fields").textContent);
const TEXTS = JSON.parse(document.getElementById("texts").textContent);
const CONFIG = {
  app: form.dataset.app,
  version: Number(form.dataset.version),
  submitUrl: form.dataset.submitUrl,
  uploadUrl: form.dataset.uploadUrl,
  submittedUrl: form.dataset.submittedUrl,
};
const DRAFT_KEY = `lightapps:draft:${CONFIG.app}`;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const CHINA_OFFSET = "+08:00";
let root = null; // the form's scope, bound once the helpers below exist

// ------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------

/** "%s" and "%(name)s" placeholders, as in the gettext strings the server sent. */
function fmt(text, ...args) {
  if (args.length === 1 && args[0] && typeof args[0] === "object") {
    return text.replace(/%\((\w+)\)s/g, (_m, name) => String(args[0][name]));
  }
  let i = 0;
  return text.replace(/%s/g, () => String(args[i++]));
}

export function newUuid() {
  if (window.crypto && typeof crypto.randomUUID === "function") {
    try {
      return crypto.randomUUID();
    } catch (err) {
      // not a secure context: fall through
    }
  }
  const bytes = new Uint8Array(16);
  if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pad = (n) => String(n).padStart(2, "0");

/** The phone's clock as ISO 8601 with its own offset, e.g. 2026-11-23T09:30:05+08:00. */
function isoWithOffset(date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isEmpty = (v) => v === undefined || (Array.isArray(v) && v.length === 0);
const sleep = (ms) =>
  new Promise((resolve) => {
    const done = () => {
      window.removeEventListener("online", done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done); // back online: try at once
  });

// ------------------------------------------------------------------------------------------
// Messages on the page
// ------------------------------------------------------------------------------------------

let toptipsTimer = null;
function toptips(message, ms = 3500) {
  const box = document.getElementById("toptips");
  box.textContent = message;
  box.style.display = "block";
  clearTimeout(toptipsTimer);
  toptipsTimer = setTimeout(() => {
    box.style.display = "none";
  }, ms);
}

function ownBox(el, selector) {
  for (const child of el.children) if (child.matches(selector)) return child;
  return null;
}

function setError(el, message) {
  el.classList.add("m-field_error");
  const box = ownBox(el, "[data-error]");
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
  relayout();
}

function clearError(el) {
  if (!el.classList.contains("m-field_error")) return;
  el.classList.remove("m-field_error");
  const box = ownBox(el, "[data-error]");
  if (box) {
    box.textContent = "";
    box.hidden = true;
  }
  relayout();
}

function clearAllErrors() {
  for (const el of form.querySelectorAll(".m-field_error")) clearError(el);
}

const status = document.getElementById("submit-status");
function setStatus(message, warn = false) {
  status.textContent = message || "";
  status.classList.toggle("m-submit-status_warn", warn);
}

// ------------------------------------------------------------------------------------------
// Controls: one per field element, reading and writing its value by the field's kind
// ------------------------------------------------------------------------------------------

const ui = {
  texts: TEXTS,
  fmt,
  setError,
  clearError,
  changed: () => onChange(),
  toast: (message) => toptips(message),
  uploadUrl: CONFIG.uploadUrl,
};

function choiceIndex(field, value) {
  return (field.choices || []).findIndex((c) => same(c.value, value));
}

function inputControl(el, field) {
  const input = el.querySelector("input, textarea, select");
  const counter = el.querySelector("[data-count]");
  const kind = field.kind;
  const control = {
    el,
    field,
    get() {
      const raw = input.value;
      if (TEXT_KINDS.has(kind)) {
        const text = kind === "idcard" ? raw.trim().toUpperCase() : raw.trim();
        if (!text) return undefined;
        if (field.schema.type === "array") {
          const parts = text.split(/[\n,，、;；]/).map((s) => s.trim()).filter(Boolean);
          return parts.length ? parts : undefined;
        }
        return text;
      }
      if (raw === "") return undefined;
      if (kind === "integer" || kind === "number") {
        const number = Number(raw);
        return Number.isFinite(number) ? number : raw;
      }
      if (SELECT_KINDS.has(kind)) return field.choices[Number(raw)].value;
      if (kind === "time") return `${raw.length === 5 ? `${raw}:00` : raw}${CHINA_OFFSET}`;
      if (kind === "datetime") return `${raw.length === 16 ? `${raw}:00` : raw}${CHINA_OFFSET}`;
      return raw; // date: YYYY-MM-DD
    },
    set(value) {
      if (value === undefined || value === null) input.value = "";
      else if (SELECT_KINDS.has(kind)) {
        const i = choiceIndex(field, value);
        input.value = i >= 0 ? String(i) : "";
      } else if (kind === "time") input.value = String(value).slice(0, 5);
      else if (kind === "datetime") {
        const t = Date.parse(value);
        // Shown as Beijing wall time whatever offset it was stored with.
        input.value = Number.isNaN(t)
          ? ""
          : new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 16);
      } else if (Array.isArray(value)) input.value = value.join("、");
      else input.value = String(value);
      control.refresh();
    },
    refresh() {
      if (counter) counter.textContent = String(input.value.length);
      if (SELECT_KINDS.has(kind)) input.classList.toggle("m-placeholder", input.value === "");
    },
  };
  input.addEventListener("input", () => control.refresh());
  input.addEventListener("change", () => control.refresh());
  control.refresh();
  control.save = control.get;
  return control;
}

function radioControl(el, field) {
  const inputs = Array.from(el.querySelectorAll("input.weui-check"));
  const multiple = field.kind === "checkboxes";
  const ratingText = el.querySelector("[data-rating-text]");
  const control = {
    el,
    field,
    get() {
      const picked = inputs.filter((i) => i.checked).map((i) => field.choices[Number(i.value)].value);
      if (multiple) return picked.length ? picked : undefined;
      return picked.length ? picked[0] : undefined;
    },
    set(value) {
      const wanted = multiple ? (Array.isArray(value) ? value : []) : [value];
      for (const input of inputs) {
        const choice = field.choices[Number(input.value)];
        input.checked = value !== undefined && wanted.some((v) => same(v, choice.value));
      }
      control.refresh();
    },
    /** A rating lights every star up to the chosen one and says the score in words. */
    refresh() {
      if (!ratingText) return;
      const value = control.get();
      const top = field.choices.length ? field.choices[field.choices.length - 1].value : 5;
      inputs.forEach((input) => {
        const choice = field.choices[Number(input.value)];
        input.nextElementSibling.classList.toggle("m-rating__star_on", value !== undefined && choice.value <= value);
      });
      ratingText.textContent = value === undefined ? "" : fmt(TEXTS.rating_value, { n: value, max: top });
    },
  };
  for (const input of inputs) input.addEventListener("change", () => control.refresh());
  control.refresh();
  control.save = control.get;
  return control;
}

/** Headings and notes: shown, never answered. */
function staticControl(el, field) {
  return { el, field, get: () => undefined, save: () => undefined, set() {} };
}

function booleanControl(el, field) {
  const input = el.querySelector("input[type=checkbox]");
  const control = {
    el,
    field,
    get: () => input.checked,
    set(value) {
      input.checked = value === true;
    },
  };
  control.save = control.get;
  return control;
}

function groupControl(el, field, parentScope) {
  const container = ownBox(el, "[data-items]");
  const template = ownBox(el, "template[data-item-template]");
  const addBox = ownBox(el, ".m-group__add");
  const addButton = addBox ? addBox.querySelector("[data-add]") : null;
  const min = Number(container.dataset.min || 0);
  const max = Number(container.dataset.max || 0) || Infinity;
  let next = container.children.length;

  const nested = Boolean(field.nested);
  const control = {
    el,
    field,
    nested,
    items: Array.from(container.children).map((item) => bindScope(item, field.fields, parentScope)),
    add() {
      const html = template.innerHTML.replace(/__i__/g, String(next++));
      const holder = document.createElement("div");
      holder.innerHTML = html.trim();
      const item = holder.firstElementChild;
      container.appendChild(item);
      const scope = bindScope(item, field.fields, parentScope);
      control.items.push(scope);
      applyConditions(scope);
      control.refresh();
      return scope;
    },
    remove(item) {
      if (control.items.length <= min) return;
      control.items = control.items.filter((scope) => scope.el !== item);
      item.remove();
      control.refresh();
    },
    refresh() {
      if (nested) return;
      control.items.forEach((scope, i) => {
        scope.el.querySelector("[data-item-title]").textContent = `${field.item_title} ${i + 1}`;
        scope.el.querySelector("[data-remove]").disabled = control.items.length <= min;
      });
      addBox.hidden = control.items.length >= max;
    },
    get() {
      if (nested) {
        const value = collect(control.items[0]);
        return Object.keys(value).length ? value : undefined;
      }
      if (!control.items.length) return undefined;
      return control.items.map((scope) => collect(scope));
    },
    save() {
      if (nested) return saveScope(control.items[0]);
      return control.items.map((scope) => saveScope(scope));
    },
    set(list) {
      if (nested) {
        loadScope(control.items[0], list && typeof list === "object" ? list : {});
        return;
      }
      const values = Array.isArray(list) ? list : [];
      while (control.items.length < values.length) control.add();
      while (control.items.length > Math.max(values.length, min)) {
        control.remove(control.items[control.items.length - 1].el);
      }
      control.items.forEach((scope, i) => loadScope(scope, values[i] || {}));
      control.refresh();
    },
  };
  if (nested) return control;
  addButton.addEventListener("click", () => {
    const scope = control.add();
    onChange();
    const first = scope.el.querySelector("input, select, textarea");
    scope.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
    if (first && first.type !== "radio" && first.type !== "checkbox") first.focus();
  });
  container.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    const item = button.closest("[data-item]");
    if (!item || item.parentElement !== container) return;
    control.remove(item);
    onChange();
  });
  control.refresh();
  return control;
}

function makeControl(el, field, scope) {
  switch (field.kind) {
    case "radio":
    case "checkboxes":
      return radioControl(el, field);
    case "boolean":
      return booleanControl(el, field);
    case "rating":
      return radioControl(el, field);
    case "heading":
    case "note":
      return staticControl(el, field);
    case "photos":
      return new PhotosControl(el, field, ui);
    case "files":
      return new FilesControl(el, field, ui);
    case "signature":
      return new SignatureControl(el, field, ui);
    case "location":
      return new LocationControl(el, field, ui);
    case "group":
      return groupControl(el, field, scope);
    default:
      return inputControl(el, field);
  }
}

/** The controls of one scope (the form, or one group item), in the descriptors' order. */
function bindScope(scopeEl, fields, parent = null) {
  const scope = { el: scopeEl, parent, controls: [] };
  const byName = new Map();
  for (const el of scopeEl.querySelectorAll("[data-field]")) {
    if (el.parentElement.closest("[data-scope]") === scopeEl) byName.set(el.dataset.field, el);
  }
  for (const field of fields) {
    const el = byName.get(field.name);
    if (!el) continue;
    const control = makeControl(el, field, scope);
    // The schema's default fills a fresh form; a restored draft overrides it.
    if (field.schema && field.schema.default !== undefined && !control.items) {
      try {
        control.set(field.schema.default);
      } catch (err) {
        // a default the widget cannot show: leave the field empty
      }
    }
    scope.controls.push(control);
  }
  return scope;
}

function findControl(scope, name) {
  for (let s = scope; s; s = s.parent) {
    const control = s.controls.find((c) => c.field.name === name);
    if (control) return control;
  }
  return null;
}

// ------------------------------------------------------------------------------------------
// Conditions, data, drafts
// ------------------------------------------------------------------------------------------

/** A field with visible_when shows only while the named field's value is one of `in`. */
function applyConditions(scope) {
  for (const control of scope.controls) {
    const when = control.field.visible_when;
    if (when) {
      const source = findControl(scope, when.field);
      const value = source && !source.el.hidden ? source.get() : undefined;
      const wanted = when.in || when.contains || [];
      const visible = Array.isArray(value)
        ? value.some((v) => wanted.some((x) => same(x, v)))
        : wanted.some((x) => same(x, value));
      control.el.hidden = !visible;
    }
    if (control.items) control.items.forEach(applyConditions);
  }
}

/** Visible one-line fields that follow each other are drawn as one WeUI list. */
function joinRuns(scope) {
  let prev = null;
  for (const control of scope.controls) {
    const el = control.el;
    el.classList.remove("m-join", "m-join-next");
    if (control.items) control.items.forEach(joinRuns);
    if (el.hidden) continue;
    const inline = el.classList.contains("m-field_inline");
    const tips = prev && Array.from(prev.children).some((c) => c.matches(".weui-cells__tips") && !c.hidden);
    if (prev && inline && !tips && !ownBox(el, ".m-section") && prev.classList.contains("m-field_inline")) {
      el.classList.add("m-join");
      prev.classList.add("m-join-next");
    }
    prev = el;
  }
}

let layoutFrame = null;
function relayout() {
  if (layoutFrame !== null || !root) return;
  layoutFrame = requestAnimationFrame(() => {
    layoutFrame = null;
    joinRuns(root);
  });
}

/** The answers of the visible fields; empty optional ones are left out. */
function collect(scope) {
  const data = {};
  for (const control of scope.controls) {
    if (control.el.hidden) continue;
    const value = control.get();
    if (value === undefined) continue;
    if (Array.isArray(value) && !value.length && !control.field.required) continue;
    data[control.field.name] = value;
  }
  return data;
}

/** Everything typed so far, hidden fields included (the person may switch back). */
function saveScope(scope) {
  const data = {};
  for (const control of scope.controls) {
    const value = control.save();
    if (value !== undefined) data[control.field.name] = value;
  }
  return data;
}

function loadScope(scope, data) {
  for (const control of scope.controls) {
    if (Object.prototype.hasOwnProperty.call(data, control.field.name)) {
      try {
        control.set(data[control.field.name]);
      } catch (err) {
        // a draft from another version of the form: skip what no longer fits
      }
    }
  }
  applyConditions(scope);
}

/** What is missing before anything is sent; the server checks everything again. */
function check(scope, prefix = "", errors = {}) {
  for (const control of scope.controls) {
    if (control.el.hidden) continue;
    const { field } = control;
    const path = prefix + field.name;
    const value = control.get();
    if (field.kind === "photos" && control.pending()) errors[path] = [TEXTS.photos_pending];
    else if (field.kind === "photos" && control.failed()) errors[path] = [TEXTS.photos_failed];
    else if (field.kind === "files" && control.pending()) errors[path] = [TEXTS.files_pending];
    else if (field.kind === "signature" && control.pending()) errors[path] = [TEXTS.signature_saving];
    else if (field.required && isEmpty(value)) {
      const message =
        field.kind === "location"
          ? TEXTS.required_location
          : field.kind === "photos"
            ? TEXTS.required_photos
            : field.kind === "files"
              ? TEXTS.required_files
              : field.kind === "signature"
                ? TEXTS.required_signature
                : ["radio", "select", "checkboxes", "rating", "orgunit", "person"].includes(field.kind)
                  ? TEXTS.required_choice
                  : TEXTS.required;
      errors[path] = [fmt(message, field.title)];
    } else if (field.kind === "mobile" && value !== undefined && !/^1[3-9][0-9]{9}$/.test(value)) {
      errors[path] = [fmt(TEXTS.bad_mobile, field.title)];
    } else if (field.kind === "idcard" && value !== undefined && !/^[1-9][0-9]{16}[0-9X]$/.test(value)) {
      errors[path] = [fmt(TEXTS.bad_idcard, field.title)];
    }
    if (control.items) {
      control.items.forEach((item, i) =>
        check(item, control.nested ? `${path}.` : `${path}[${i}].`, errors),
      );
    }
  }
  return errors;
}

/** The control a server path such as `hazards[1].severity` names (or its nearest parent). */
function resolve(path) {
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let scope = root;
  let found = null;
  let match;
  while ((match = pattern.exec(path))) {
    if (match[1] !== undefined) {
      if (!scope && found && found.nested) scope = found.items[0];
      if (!scope) break;
      const control = scope.controls.find((c) => c.field.name === match[1]);
      if (!control) break;
      found = control;
      scope = null;
    } else if (found && found.items) {
      scope = found.items[Number(match[2])] || null;
      if (!scope) break;
    }
  }
  return found;
}

function showErrors(fields) {
  clearAllErrors();
  const elsewhere = [];
  for (const [path, messages] of Object.entries(fields || {})) {
    const text = (Array.isArray(messages) ? messages : [messages]).join("；");
    const control = path ? resolve(path) : null;
    if (control && !control.el.hidden) {
      const box = ownBox(control.el, "[data-error]");
      setError(control.el, box && !box.hidden ? `${box.textContent}；${text}` : text);
    } else elsewhere.push(text);
  }
  const first = form.querySelector(".m-field_error");
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  return elsewhere;
}

function readDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    return draft && typeof draft === "object" && draft.values ? draft : null;
  } catch (err) {
    return null;
  }
}

let draftTimer = null;
function saveDraft() {
  clearTimeout(draftTimer);
  if (state.done) return; // submitted: leaving the page must not bring the draft back
  try {
    localStorage.setItem(
      DRAFT_KEY,
      JSON.stringify({
        id: state.id,
        version: CONFIG.version,
        pending: state.pending,
        values: saveScope(root),
        saved_at: isoWithOffset(new Date()),
      }),
    );
  } catch (err) {
    // private mode or full storage: the form still works, only without a draft
  }
}

function clearDraft() {
  clearTimeout(draftTimer);
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch (err) {
    // nothing to clear
  }
}

// ------------------------------------------------------------------------------------------
// Submit: the same id until the server answers, so a resend is never a second report
// ------------------------------------------------------------------------------------------

const button = document.getElementById("submit-btn");
const idInput = document.getElementById("submission-id");
const state = { id: newUuid(), pending: false, sending: false, touched: false, done: false };

function setBusy(busy) {
  state.sending = busy;
  button.disabled = busy;
  button.classList.toggle("weui-btn_loading", busy);
  button.textContent = "";
  if (busy) {
    const spinner = document.createElement("span");
    spinner.className = "weui-primary-loading weui-primary-loading_transparent";
    spinner.innerHTML = '<i class="weui-primary-loading__dot"></i>';
    button.append(spinner, TEXTS.submitting);
  } else button.textContent = TEXTS.submit;
}

function setId(id) {
  state.id = id;
  idInput.value = id;
  form.dataset.submissionId = id;
}

async function send(body) {
  for (let attempt = 1; ; attempt++) {
    let res = null;
    try {
      res = await postJSON(CONFIG.submitUrl, body);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
    }
    if (res && (res.status === 200 || res.status === 201) && res.body && res.body.id) {
      return { ok: true, body: res.body };
    }
    const transient = !res || res.status >= 500 || res.status === 408 || res.status === 429;
    if (!transient) return { ok: false, status: res.status, body: res.body || {} };
    const seconds = Math.min(30, 2 ** Math.min(attempt, 5));
    setStatus(fmt(TEXTS.retrying_in, seconds), true);
    if (attempt === 1 || attempt % 3 === 0) toptips(TEXTS.retrying);
    await sleep(seconds * 1000);
    setStatus(TEXTS.retrying, true);
  }
}

async function submit() {
  if (state.sending) return;
  const errors = check(root);
  if (Object.keys(errors).length) {
    showErrors(errors);
    toptips(TEXTS.check_fields);
    return;
  }
  clearAllErrors();
  const body = {
    id: state.id,
    version: CONFIG.version,
    data: collect(root),
    device_time: isoWithOffset(new Date()),
  };
  state.pending = true;
  saveDraft();
  setBusy(true);
  setStatus("");
  let result;
  try {
    result = await send(body);
  } catch (err) {
    result = { ok: false, status: 0, body: {} };
  }
  if (result.ok) {
    state.done = true;
    clearDraft();
    const id = String(result.body.id || state.id);
    window.location.assign(CONFIG.submittedUrl.replace(NIL_UUID, id));
    return;
  }
  state.pending = false;
  const { body: error } = result;
  if (error.code === "id_taken") setId(newUuid());
  saveDraft();
  setBusy(false);
  setStatus("");
  const elsewhere = showErrors(error.fields || {});
  const message = error.message || TEXTS.submit_failed;
  toptips(elsewhere.length ? `${message}：${elsewhere.join("；")}` : message, 5000);
}

// ------------------------------------------------------------------------------------------
// Start
// ------------------------------------------------------------------------------------------

root = bindScope(form, FIELDS);

function onChange() {
  applyConditions(root);
  relayout();
  state.touched = true;
  clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, 400);
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
  submit();
});
// Leaving the page (WeCom to the background, a phone call): keep what is typed.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden" && state.touched) saveDraft();
});
window.addEventListener("pagehide", () => {
  if (state.touched) saveDraft();
});

const draft = readDraft();
if (draft) {
  // The draft's id is kept: if its submit reached the server, a resend is answered as the same.
  setId(draft.id || newUuid());
  state.pending = Boolean(draft.pending);
  loadScope(root, draft.values);
  const bar = document.getElementById("draft-bar");
  bar.querySelector("[data-draft-text]").textContent = TEXTS.draft_restored;
  bar.hidden = false;
  bar.querySelector("[data-discard]").addEventListener("click", () => {
    if (!window.confirm(TEXTS.confirm_discard)) return;
    clearDraft();
    window.location.replace(window.location.pathname);
  });
} else {
  setId(state.id);
}
applyConditions(root);
joinRuns(root);
button.textContent = TEXTS.submit;
form.dataset.ready = "1";

if (state.pending) {
  setStatus(TEXTS.resuming, true);
  submit();
}
