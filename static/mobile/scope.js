// 范围: a scope is the form, or one item of a group, with its controls in the descriptors'
// order. Binding makes one control per field element the server drew; collect, save and load
// turn a scope into data (what is sent, what the draft keeps) and back. Groups live here because
// each of their items is a scope of its own.
//
// ui: {texts, fmt, setError, clearError, changed, toast, uploadUrl}, from form.js.

import { applyConditions } from "./conditions.js";
import { FilesControl } from "./files.js";
import { ownBox } from "./layout.js";
import { LocationControl } from "./location.js";
import { PhotosControl } from "./photos.js";
import { SignatureControl } from "./signature.js";
import { booleanControl, inputControl, radioControl, staticControl } from "./widgets.js";

/** A list of items (add, remove, between min and max), or one nested object (`nested`). */
function groupControl(el, field, parentScope, ui) {
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
    items: Array.from(container.children).map((item) => bindScope(item, field.fields, ui, parentScope)),
    add() {
      const html = template.innerHTML.replace(/__i__/g, String(next++));
      const holder = document.createElement("div");
      holder.innerHTML = html.trim();
      const item = holder.firstElementChild;
      container.appendChild(item);
      const scope = bindScope(item, field.fields, ui, parentScope);
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
    ui.changed();
    const first = scope.el.querySelector("input, select, textarea");
    scope.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
    if (first && first.type !== "radio" && first.type !== "checkbox") first.focus();
  });
  container.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    const item = button.closest("[data-item]");
    if (!item || item.parentElement !== container) return;
    // A thumb on a small screen hits 删除 by mistake: ask before the answers go.
    const title = item.querySelector("[data-item-title]");
    const question = ui.fmt(ui.texts.confirm_remove_item, title ? title.textContent.trim() : "");
    if (!window.confirm(question)) return;
    control.remove(item);
    ui.changed();
  });
  control.refresh();
  return control;
}

function makeControl(el, field, scope, ui) {
  switch (field.kind) {
    case "radio":
    case "checkboxes":
      return radioControl(el, field, ui);
    case "boolean":
      return booleanControl(el, field);
    case "rating":
      return radioControl(el, field, ui);
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
      return groupControl(el, field, scope, ui);
    default:
      return inputControl(el, field);
  }
}

/**
 * 只读: shown with its default and not editable. It sends the default exactly as the schema
 * writes it (never read back from the input, which would reformat a date or time), or nothing
 * when there is none; the server refuses any other answer. A draft never overrides it.
 */
function readOnly(control) {
  const value = control.field.schema.default;
  for (const input of control.el.querySelectorAll("input, select, textarea, button")) input.disabled = true;
  control.el.classList.add("m-field_readonly");
  control.el.setAttribute("aria-readonly", "true");
  control.readOnly = true;
  control.get = () => value;
  control.save = () => undefined;
  control.set = () => {};
}

/** The controls of one scope (the form, or one group item), in the descriptors' order. */
export function bindScope(scopeEl, fields, ui, parent = null) {
  const scope = { el: scopeEl, parent, controls: [] };
  const byName = new Map();
  for (const el of scopeEl.querySelectorAll("[data-field]")) {
    if (el.parentElement.closest("[data-scope]") === scopeEl) byName.set(el.dataset.field, el);
  }
  for (const field of fields) {
    const el = byName.get(field.name);
    if (!el) continue;
    const control = makeControl(el, field, scope, ui);
    // The schema's default fills a fresh form; a restored draft overrides it.
    if (field.schema && field.schema.default !== undefined && !control.items) {
      try {
        control.set(field.schema.default);
      } catch (err) {
        // a default the widget cannot show: leave the field empty
      }
    }
    if (field.read_only) readOnly(control);
    scope.controls.push(control);
  }
  return scope;
}

/** The answers of the visible fields; empty optional ones are left out. */
export function collect(scope) {
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
export function saveScope(scope) {
  const data = {};
  for (const control of scope.controls) {
    const value = control.save();
    if (value !== undefined) data[control.field.name] = value;
  }
  return data;
}

export function loadScope(scope, data) {
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

/** The photos waiting for a network, with the path of their field: [{token, path, blob, name}]. */
export function queuedPhotos(scope, prefix = "", found = []) {
  for (const control of scope.controls) {
    if (control.el.hidden) continue;
    const path = prefix + control.field.name;
    if (typeof control.queued === "function") {
      for (const photo of control.queued()) found.push({ ...photo, path, attachment: null });
    }
    if (control.items) {
      control.items.forEach((item, i) =>
        queuedPhotos(item, control.nested ? `${path}.` : `${path}[${i}].`, found),
      );
    }
  }
  return found;
}
