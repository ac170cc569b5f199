// 显示条件 / 必填条件 / 计算公式: the field's logic built from lists — "当 [字段] [等于…] [值]"
// rows joined by 且 / 或, and a computed field's formula (count, sum, date difference, if) —
// written as JSON Logic by logic-model.js. Logic this page did not write is shown as such and
// can only be cleared, never silently rewritten.

import { h } from "./dom.js";
import { choicesOf, shownKind } from "./kinds.js";
import { conditionLogic, conditionOf, formulaLogic, formulaOf, formulaType } from "./logic-model.js";
import { fieldTree, setSchema } from "./model.js";

const NO_ANSWER = new Set(["heading", "note", "group", "photos", "files", "signature", "location"]);
const NUMERIC = new Set(["integer", "number", "rating", "computed"]);

/** The fields a condition of `field` may read: its group's own fields first, then the form's. */
export function readableFields(state, field) {
  const tree = fieldTree(state);
  const out = [];
  const add = (f) => {
    const kind = shownKind(f.prop, f.ui);
    if (f.path !== field.path && !NO_ANSWER.has(kind)) out.push({ name: f.name, title: f.title, kind, prop: f.prop });
  };
  if (field.group) {
    const group = tree.find((f) => f.name === field.group);
    (group && group.children ? group.children : []).forEach(add);
  }
  tree.forEach(add);
  return out;
}

export function groupsOf(state) {
  return fieldTree(state).filter((f) => f.children);
}

function opsFor(kind) {
  if (kind === "radio" || kind === "select") return ["eq", "ne", "in", "filled"];
  if (kind === "checkboxes") return ["has", "filled"];
  if (kind === "boolean") return ["eq", "filled"];
  if (NUMERIC.has(kind)) return ["eq", "ne", "gt", "lt", "ge", "le", "filled"];
  if (["date", "time", "datetime"].includes(kind)) return ["eq", "gt", "lt", "filled"];
  return ["eq", "ne", "filled"];
}

function choicesFor(source) {
  if (!source) return null;
  if (source.kind === "boolean") return [{ value: true, label: null }, { value: false, label: null }];
  return choicesOf(source.kind === "checkboxes" ? source.prop.items : source.prop);
}

function firstValue(source, op) {
  const choices = choicesFor(source);
  if (op === "filled") return null;
  if (choices && choices.length) return op === "in" ? [choices[0].value] : choices[0].value;
  return NUMERIC.has(source && source.kind) ? 0 : "";
}

function valueControl(ctx, source, r, onValue) {
  const t = ctx.texts;
  if (r.op === "filled") return null;
  const choices = choicesFor(source);
  const label = (c) => (c.label === null ? (c.value ? t.yes : t.no) : c.label);
  if (choices && r.op === "in") {
    const chosen = Array.isArray(r.value) ? r.value : [];
    return h("span.logic-multi", {}, choices.map((c) => h("label", {},
      h("input", { type: "checkbox", checked: chosen.some((v) => v === c.value), onchange: (e) => {
        const next = choices.filter((x) => (x.value === c.value ? e.target.checked : chosen.includes(x.value))).map((x) => x.value);
        onValue(next);
      } }), label(c)))); // prettier-ignore
  }
  if (choices) {
    return h("select.logic-value", { "aria-label": t.pick_value, onchange: (e) => onValue(JSON.parse(e.target.value)) },
      choices.map((c) => h("option", { value: JSON.stringify(c.value), selected: c.value === r.value }, label(c)))); // prettier-ignore
  }
  const numeric = source && NUMERIC.has(source.kind);
  return h("input.logic-value", { type: numeric ? "number" : "text", value: r.value ?? "", "aria-label": t.pick_value,
    oninput: (e) => onValue(numeric ? (e.target.value === "" ? "" : Number(e.target.value)) : e.target.value) }); // prettier-ignore
}

/** A condition builder bound to `cond` ({join, rows}); `onChange(cond, structural)`. */
export function conditionBuilder(ctx, field, cond, onChange) {
  const t = ctx.texts;
  const fields = readableFields(ctx.state(), field);
  const box = h("div.logic-builder", {});
  const draw = () => {
    const rows = cond.rows.map((r, i) => {
      const source = fields.find((f) => f.name === r.field);
      const set = (patch, structural) => {
        cond.rows[i] = { ...r, ...patch };
        onChange(cond);
        if (structural) draw();
      };
      const ops = opsFor(source ? source.kind : "text");
      return h("div.logic-row", { dataset: { row: i } },
        h("span.logic-when", {}, i === 0 ? t.when : t[cond.join]),
        h("select.logic-field", { "aria-label": t.pick_field, onchange: (e) => {
          const next = fields.find((f) => f.name === e.target.value);
          const op = opsFor(next ? next.kind : "text")[0];
          set({ field: e.target.value, op, value: firstValue(next, op) }, true);
        } }, h("option", { value: "" }, t.pick_field), fields.map((f) => h("option", { value: f.name, selected: f.name === r.field }, f.title))),
        h("select.logic-op", { onchange: (e) => set({ op: e.target.value, value: firstValue(source, e.target.value) }, true) },
          ops.map((op) => h("option", { value: op, selected: op === r.op }, t.ops[op]))),
        valueControl(ctx, source, r, (value) => set({ value }, false)),
        h("button.icon", { type: "button", title: t.remove, "aria-label": t.remove, onclick: () => {
          cond.rows.splice(i, 1);
          onChange(cond);
          draw();
        } }, "✕")); // prettier-ignore
    });
    const join = cond.rows.length > 1
      ? h("select.logic-join", { onchange: (e) => { cond.join = e.target.value; onChange(cond); draw(); } },
          ["and", "or"].map((j) => h("option", { value: j, selected: cond.join === j }, t[j])))
      : null; // prettier-ignore
    const add = h("button.tool.logic-add", { type: "button", onclick: () => {
      const first = fields[0];
      const op = opsFor(first ? first.kind : "text")[0];
      cond.rows.push({ field: first ? first.name : "", op, value: firstValue(first, op) });
      onChange(cond);
      draw();
    } }, `+ ${t.add_row}`); // prettier-ignore
    box.replaceChildren(join || "", ...rows, add);
  };
  draw();
  return box;
}

/** 显示条件 or 必填条件 of a field: its `keyword` (x-visibleIf / x-requiredIf). */
export function conditionSection(ctx, field, keyword, title, hint, edit) {
  const t = ctx.texts;
  const current = field.prop[keyword];
  const cond = conditionOf(current);
  const body = cond
    ? conditionBuilder(ctx, field, cond, (c) => edit((s) => setSchema(s, field.path, keyword, conditionLogic(c)), keyword))
    : h("div.logic-custom", {}, h("code", {}, JSON.stringify(current)), h("button.tool", { type: "button",
        onclick: () => edit((s) => setSchema(s, field.path, keyword, undefined)) }, t.remove)); // prettier-ignore
  return h("section.prop-section.logic", { dataset: { logic: keyword } }, h("h3", {}, title), h("div.prop-hint", {}, hint), body);
}

/** 计算公式 of a computed field (x-compute), and the answer's type it implies. */
export function computeSection(ctx, field, edit) {
  const t = ctx.texts;
  const state = ctx.state();
  const current = formulaOf(field.prop["x-compute"]);
  if (!current) return conditionSection(ctx, field, "x-compute", t.section_compute, "", edit);
  const f = current.type === "value" ? { type: "count", group: "" } : current;
  const box = h("div.formula", {});
  const groups = groupsOf(state);
  const fields = readableFields(state, field);
  const write = () => edit((s) => {
    const typed = setSchema(s, field.path, "type", formulaType(f));
    return setSchema(typed, field.path, "x-compute", formulaLogic(f));
  }, "x-compute"); // prettier-ignore
  const pick = (label, options, value, onPick, cls) => h("label.formula-pick", {}, label, h(`select.${cls}`, {
    onchange: (e) => { onPick(e.target.value); write(); draw(); } },
    h("option", { value: "" }, t.pick_field), options.map((o) => h("option", { value: o.name, selected: o.name === value }, o.title)))); // prettier-ignore
  const draw = () => {
    const parts = [h("label.formula-pick", {}, t.formula_type, h("select.formula-type", { onchange: (e) => {
      f.type = e.target.value;
      if (f.type === "if") Object.assign(f, { cond: f.cond || { join: "and", rows: [] }, then: f.then ?? 1, else: f.else ?? 0 });
      write(); draw();
    } }, Object.entries(t.formulas).map(([k, label]) => h("option", { value: k, selected: k === f.type }, label))))]; // prettier-ignore
    if (f.type === "count" || f.type === "sum") parts.push(pick(t.formula_group, groups, f.group, (v) => (f.group = v), "formula-group"));
    if (f.type === "sum") {
      const g = groups.find((x) => x.name === f.group);
      const numbers = (g ? g.children : []).filter((c) => NUMERIC.has(shownKind(c.prop, c.ui)));
      parts.push(pick(t.formula_field, numbers, f.field, (v) => (f.field = v), "formula-field"));
    }
    if (f.type === "date_diff") {
      const dates = fields.filter((x) => x.kind === "date");
      parts.push(pick(t.formula_from, dates, f.from, (v) => (f.from = v), "formula-from"));
      parts.push(pick(t.formula_to, dates, f.to, (v) => (f.to = v), "formula-to"));
    }
    if (f.type === "if") {
      const literal = (v) => (v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
      parts.push(conditionBuilder(ctx, field, f.cond, () => write()));
      parts.push(h("label.formula-pick", {}, t.formula_then, h("input.formula-then", { type: "text", value: String(f.then ?? ""),
        oninput: (e) => { f.then = literal(e.target.value); write(); } }))); // prettier-ignore
      parts.push(h("label.formula-pick", {}, t.formula_else, h("input.formula-else", { type: "text", value: String(f.else ?? ""),
        oninput: (e) => { f.else = literal(e.target.value); write(); } }))); // prettier-ignore
    }
    box.replaceChildren(...parts);
  };
  draw();
  return h("section.prop-section.logic", { dataset: { logic: "x-compute" } }, h("h3", {}, t.section_compute), box);
}
