// 属性: the selected field's settings. Every input edits the definition through model.js (one
// undo step per input run); the panel is drawn again only when the selection changes or the
// change came from elsewhere (undo, the canvas), so typing keeps its focus.

import { choicesEditor } from "./choices.js";
import { h, fmt } from "./dom.js";
import { shownKind } from "./kinds.js";
import { computeSection, conditionSection } from "./logic-editor.js";
import * as M from "./model.js";

export const PATTERNS = {
  mobile: "^1[3-9][0-9]{9}$",
  idcard: "^[1-9][0-9]{16}[0-9Xx]$",
  uscc: "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
  plate: "^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$",
};
const TEXTUAL = new Set(["text", "textarea", "address"]);
const PLACEHOLDER = new Set(["text", "textarea", "address", "integer", "number", "mobile", "idcard"]);

let uid = 0;
/** A labelled control: `input` is an element; returns the row. */
export function row(label, input, hint = "") {
  const id = input.id || `prop-${++uid}`;
  input.id = id;
  return h("div.prop-row", {}, h("label", { for: id }, label), input, hint ? h("div.prop-hint", {}, hint) : null);
}

function textInput(value, onInput, attrs = {}) {
  return h("input", { type: "text", value: value ?? "", oninput: (e) => onInput(e.target.value), ...attrs });
}

function numberInput(value, onInput, attrs = {}) {
  return h("input", {
    type: "number", value: value ?? "", ...attrs,
    oninput: (e) => onInput(e.target.value === "" ? undefined : Number(e.target.value)),
  }); // prettier-ignore
}

function check(label, checked, onChange, attrs = {}) {
  const id = `prop-${++uid}`;
  return h("div.prop-row.prop-check", {},
    h("input", { type: "checkbox", id, checked: Boolean(checked), onchange: (e) => onChange(e.target.checked), ...attrs }),
    h("label", { for: id }, label)); // prettier-ignore
}

function select(options, value, onChange, attrs = {}) {
  return h("select", { onchange: (e) => onChange(e.target.value), ...attrs },
    options.map(([v, label]) => h("option", { value: v, selected: String(value) === String(v) }, label)));
} // prettier-ignore

function section(title, ...children) {
  return h("section.prop-section", {}, h("h3", {}, title), ...children);
}

/** Draw the panel for ctx.selected. */
export function renderProps(ctx) {
  const root = document.getElementById("props");
  const state = ctx.state();
  const field = ctx.selected && M.allFields(state).find((f) => f.path === ctx.selected);
  if (!field) {
    root.replaceChildren(h("p.props-empty", {}, ctx.texts.props_empty));
    return;
  }
  const t = ctx.texts;
  const kind = shownKind(field.prop, field.ui);
  const path = field.path;
  const edit = (fn, merge) => ctx.commit(fn(ctx.state()), { merge: merge && `${path}:${merge}`, fromPanel: true });
  const parts = [h("h2.props-title", {}, ctx.kinds[kind] || kind)];

  // 基本
  const basic = [];
  basic.push(row(kind === "heading" ? t.section : t.title, textInput(field.title, (v) => ctx.retitle(path, v), { id: "prop-title" })));
  basic.push(keyRow(ctx, field));
  if (kind === "note") {
    basic.push(row(t.note_text, h("textarea", { rows: 3, oninput: (e) => edit((s) => M.setSchema(s, path, "description", e.target.value), "description") }, field.prop.description || "")));
  }
  if (!["heading", "note", "computed"].includes(kind)) {
    basic.push(check(t.required, field.required, (v) => edit((s) => M.setRequired(s, path, v)), { id: "prop-required" }));
    basic.push(row(t.help, textInput(field.ui["ui:help"], (v) => edit((s) => M.setUi(s, path, "ui:help", v), "help"), { id: "prop-help" })));
  }
  if (PLACEHOLDER.has(kind)) {
    basic.push(row(t.placeholder, textInput(field.ui["ui:placeholder"], (v) => edit((s) => M.setUi(s, path, "ui:placeholder", v), "placeholder"))));
  }
  const def = defaultInput(field, kind, t, (v) => edit((s) => M.setSchema(s, path, "default", v), "default"));
  if (def) basic.push(row(t.default, def));
  if (!field.group) {
    const options = field.ui["ui:options"] || {};
    basic.push(row(t.section, textInput(options.section, (v) => edit((s) => M.setOption(s, path, "section", v), "section"))));
  }
  parts.push(section(t.section_basic, ...basic));

  const own = kindSettings(ctx, field, kind, edit);
  if (own.length) parts.push(section(t.section_kind, ...own));
  if (kind === "computed") parts.push(computeSection(ctx, field, edit));
  if (!["computed"].includes(kind)) {
    // A heading of the form (not of a group) takes its section with it (sections_applied).
    const wholeSection = kind === "heading" && !field.group;
    const hint = wholeSection ? t.section_visible_hint : t.visible_hint;
    parts.push(conditionSection(ctx, field, "x-visibleIf", t.section_visible, hint, edit));
  }
  if (!["heading", "note", "computed", "group"].includes(kind)) {
    parts.push(conditionSection(ctx, field, "x-requiredIf", t.section_required_if, t.required_if_hint, edit));
  }
  root.replaceChildren(...parts);
  if (!ctx.mayEdit) for (const el of root.querySelectorAll("input, select, textarea, button")) el.disabled = true;
}

function keyRow(ctx, field) {
  const t = ctx.texts;
  const frozen = ctx.frozen.has(field.path);
  const error = h("div.prop-error", { hidden: true });
  const input = textInput(field.name, (value) => {
    const taken = M.namesIn(ctx.state(), field.group).filter((n) => n !== field.name);
    let message = "";
    if (!/^[a-z][a-z0-9_]*$/.test(value)) message = t.key_bad;
    else if (taken.includes(value)) message = fmt(t.key_taken, value);
    error.textContent = message;
    error.hidden = !message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
    if (!message && value !== field.name) ctx.rekey(field.path, value);
  }, { id: "prop-key", readOnly: frozen, title: frozen ? t.key_frozen : "", spellcheck: false }); // prettier-ignore
  const r = row(t.key, input, frozen ? t.key_frozen : "");
  r.append(error);
  return r;
}

function defaultInput(field, kind, t, set) {
  const value = field.prop.default;
  if (TEXTUAL.has(kind)) return textInput(value, (v) => set(v));
  if (kind === "integer" || kind === "number") return numberInput(value, set);
  if (kind === "boolean") {
    return select([["", t.none], ["true", t.yes], ["false", t.no]], value === undefined ? "" : String(value),
      (v) => set(v === "" ? undefined : v === "true")); // prettier-ignore
  }
  if (kind === "radio" || kind === "select") {
    const choices = field.prop.enum || (field.prop.oneOf || []).map((o) => o.const);
    const labels = field.prop.enumNames || (field.prop.oneOf || []).map((o) => o.title);
    return select([["", t.none], ...choices.map((c, i) => [JSON.stringify(c), labels[i] ?? String(c)])],
      value === undefined ? "" : JSON.stringify(value), (v) => set(v === "" ? undefined : JSON.parse(v))); // prettier-ignore
  }
  if (kind === "date") return h("input", { type: "date", value: value || "", oninput: (e) => set(e.target.value) });
  return null;
}

function kindSettings(ctx, field, kind, edit) {
  const t = ctx.texts;
  const p = field.prop;
  const path = field.path;
  const num = (label, key, attrs = {}) =>
    row(label, numberInput(p[key], (v) => edit((s) => M.setSchema(s, path, key, v), key), attrs));
  const itemsOpt = field.ui["ui:options"] || {};
  const opt = (label, key) => row(label, textInput(itemsOpt[key], (v) => edit((s) => M.setOption(s, path, key, v), key)));
  const out = [];
  if (TEXTUAL.has(kind)) {
    out.push(num(t.min_length, "minLength", { min: 0 }), num(t.max_length, "maxLength", { min: 1 }));
    if (kind === "text") out.push(...patternRows(ctx, field, edit));
  }
  if (kind === "integer" || kind === "number") {
    out.push(num(t.minimum, "minimum"), num(t.maximum, "maximum"), opt(t.unit, "unit"));
    if (kind === "number") {
      const places = p.multipleOf ? Math.round(-Math.log10(p.multipleOf)) : "";
      out.push(row(t.decimals, select([["", t.decimals_any], ["1", "1"], ["2", "2"], ["3", "3"], ["4", "4"]], places,
        (v) => edit((s) => M.setSchema(s, path, "multipleOf", v === "" ? undefined : Number((10 ** -Number(v)).toFixed(Number(v)))))))); // prettier-ignore
    }
  }
  if (kind === "rating") out.push(num(t.rating_max, "maximum", { min: 2, max: 10 }));
  if (["radio", "select", "checkboxes"].includes(kind)) out.push(choicesEditor(ctx, field, edit));
  if (kind === "checkboxes") out.push(num(t.check_min, "minItems", { min: 0 }), num(t.check_max, "maxItems", { min: 1 }));
  if (kind === "photos") {
    out.push(num(t.photo_min, "minItems", { min: 0, max: 9 }), num(t.photo_max, "maxItems", { min: 1, max: 9 }));
    out.push(check(t.camera_only, itemsOpt.capture !== false, (v) => edit((s) => M.setOption(s, path, "capture", v))));
    out.push(check(t.watermark, itemsOpt.watermark === true, (v) => edit((s) => M.setOption(s, path, "watermark", v || undefined))));
  }
  if (kind === "files") out.push(num(t.file_max, "maxItems", { min: 1, max: 9 }));
  if (kind === "location") {
    const acc = p.properties && p.properties.accuracy && Array.isArray(p.required) && p.required.includes("accuracy")
      ? p.properties.accuracy.maximum : undefined; // prettier-ignore
    out.push(row(t.accuracy, numberInput(acc, (v) => edit((s) => M.setAccuracy(s, path, v), "accuracy"), { min: 1 })));
  }
  if (kind === "group") {
    out.push(num(t.group_min, "minItems", { min: 0 }), num(t.group_max, "maxItems", { min: 1 }), opt(t.item_title, "itemTitle"));
  }
  if (kind === "orgunit") out.push(multiCheck(t.levels, t.level_names, itemsOpt.levels || [], (v) => edit((s) => M.setOption(s, path, "levels", v.length ? v : undefined))));
  if (kind === "person") out.push(multiCheck(t.roles, t.role_names, itemsOpt.roles || [], (v) => edit((s) => M.setOption(s, path, "roles", v.length ? v : undefined))));
  return out;
}

function multiCheck(label, names, chosen, onChange) {
  const box = h("fieldset.prop-multi", {}, h("legend", {}, label));
  for (const [value, text] of Object.entries(names)) {
    box.append(check(text, chosen.includes(value), (on) => {
      const next = Object.keys(names).filter((v) => (v === value ? on : chosen.includes(v)));
      onChange(next);
    })); // prettier-ignore
  }
  return box;
}

function patternRows(ctx, field, edit) {
  const t = ctx.texts;
  const path = field.path;
  const current = field.prop.pattern || "";
  const known = Object.entries(PATTERNS).find(([, p]) => p === current);
  const choice = !current ? "" : known ? known[0] : "custom";
  const error = h("div.prop-error", { hidden: true });
  const custom = textInput(choice === "custom" ? current : "", (v) => {
    let message = "";
    try {
      if (v) new RegExp(v, "u");
    } catch (err) {
      message = fmt(t.pattern_bad, err.message);
    }
    error.textContent = message;
    error.hidden = !message;
    if (!message) edit((s) => M.setSchema(s, path, "pattern", v), "pattern");
  }, { id: "prop-pattern-custom", spellcheck: false, hidden: choice !== "custom" }); // prettier-ignore
  const picker = select([["", t.pattern_none], ...Object.entries(t.patterns), ["custom", t.pattern_custom]], choice, (v) => {
    custom.hidden = v !== "custom";
    if (v !== "custom") edit((s) => M.setSchema(s, path, "pattern", v ? PATTERNS[v] : undefined));
  }, { id: "prop-pattern" }); // prettier-ignore
  const r = row(t.pattern, picker);
  r.append(custom, error);
  return [r];
}
