// 错误提示: what is wrong is said next to the field. Found on the phone before anything is sent
// (required answers, a photo still uploading, the shape of a mobile or ID number), or sent back
// by the server per field path, e.g. `hazards[1].severity`. The server checks everything again;
// what no visible field can show is handed back to be said at the top of the page.

import { ownBox, relayout } from "./layout.js";
import { fmt } from "./messages.js";
import { isEmpty } from "./values.js";

// Kinds answered by picking, so a missing answer reads 请选择 rather than 请填写.
const CHOICE_KINDS = ["radio", "select", "checkboxes", "rating", "orgunit", "person"];

export function setError(el, message) {
  el.classList.add("m-field_error");
  const box = ownBox(el, "[data-error]");
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
  relayout();
}

export function clearError(el) {
  if (!el.classList.contains("m-field_error")) return;
  el.classList.remove("m-field_error");
  const box = ownBox(el, "[data-error]");
  if (box) {
    box.textContent = "";
    box.hidden = true;
  }
  relayout();
}

/** Clear every field's error in the form (the root scope's element). */
export function clearAllErrors(root) {
  for (const el of root.el.querySelectorAll(".m-field_error")) clearError(el);
}

/**
 * What is missing before anything is sent, as {path: [message]}. The mobile and ID patterns are
 * those of definitions/dialect/formats.py; the ID's check digit is left to the server.
 */
export function check(scope, texts, prefix = "", errors = {}) {
  for (const control of scope.controls) {
    if (control.el.hidden) continue;
    const { field } = control;
    const path = prefix + field.name;
    const value = control.get();
    if (field.kind === "photos" && control.pending()) errors[path] = [texts.photos_pending];
    else if (field.kind === "photos" && control.failed()) errors[path] = [texts.photos_failed];
    else if (field.kind === "files" && control.pending()) errors[path] = [texts.files_pending];
    else if (field.kind === "signature" && control.pending()) errors[path] = [texts.signature_saving];
    else if ((field.required || control.requiredNow) && isEmpty(value)) {
      const message =
        field.kind === "location"
          ? texts.required_location
          : field.kind === "photos"
            ? texts.required_photos
            : field.kind === "files"
              ? texts.required_files
              : field.kind === "signature"
                ? texts.required_signature
                : CHOICE_KINDS.includes(field.kind)
                  ? texts.required_choice
                  : texts.required;
      errors[path] = [fmt(message, field.title)];
    } else if (field.kind === "mobile" && value !== undefined && !/^1[3-9][0-9]{9}$/.test(value)) {
      errors[path] = [fmt(texts.bad_mobile, field.title)];
    } else if (field.kind === "idcard" && value !== undefined && !/^[1-9][0-9]{16}[0-9X]$/.test(value)) {
      errors[path] = [fmt(texts.bad_idcard, field.title)];
    }
    if (control.items) {
      control.items.forEach((item, i) =>
        check(item, texts, control.nested ? `${path}.` : `${path}[${i}].`, errors),
      );
    }
  }
  return errors;
}

/** The control a server path such as `hazards[1].severity` names (or its nearest parent). */
function resolve(root, path) {
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

/** Show {path: messages} next to their fields; returns the messages no visible field took. */
export function showErrors(root, fields) {
  clearAllErrors(root);
  const elsewhere = [];
  for (const [path, messages] of Object.entries(fields || {})) {
    const text = (Array.isArray(messages) ? messages : [messages]).join("；");
    const control = path ? resolve(root, path) : null;
    if (control && !control.el.hidden) {
      const box = ownBox(control.el, "[data-error]");
      setError(control.el, box && !box.hidden ? `${box.textContent}；${text}` : text);
    } else elsewhere.push(text);
  }
  const first = root.el.querySelector(".m-field_error");
  if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  return elsewhere;
}
