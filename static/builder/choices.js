// 选项: the choices of a radio, a select or a multiple choice — value and label rows, reordered by
// drag, added and removed, or pasted all at once (批量导入: "label" or "value,label" a line).

import Sortable from "../vendor/sortablejs/sortable.esm.js";
import { h } from "./dom.js";
import { choicesOf } from "./kinds.js";
import { setChoices } from "./model.js";

const numeric = (prop) => {
  const holder = prop.type === "array" ? prop.items || {} : prop;
  return holder.type === "integer" || holder.type === "number";
};

/** A value for a new choice that no other choice has: option_N. */
function freshValue(choices, prop) {
  const used = new Set(choices.map((c) => String(c.value)));
  for (let n = choices.length + 1; ; n++) {
    const v = numeric(prop) ? String(n) : `option_${n}`;
    if (!used.has(v)) return numeric(prop) ? n : v;
  }
}

/** Lines pasted into 批量导入 → choices; a line "value,label" (，too) or just "label". */
export function parseChoiceLines(text, prop) {
  const out = [];
  for (const line of text.split(/\r?\n/)) {
    const s = line.trim();
    if (!s) continue;
    const m = s.match(/^([^,，\t]+)[,，\t](.+)$/);
    let value = m ? m[1].trim() : null;
    const label = m ? m[2].trim() : s;
    if (value !== null && numeric(prop)) value = Number(value);
    if (value === null || Number.isNaN(value)) value = freshValue(out, prop);
    out.push({ value, label });
  }
  return out;
}

export function choicesEditor(ctx, field, edit) {
  const t = ctx.texts;
  const path = field.path;
  const prop = field.prop;
  const current = () => choicesOf(prop.type === "array" ? prop.items : prop) || [];
  let choices = current();
  const error = h("div.prop-error", { hidden: true });
  const write = (next, merge) => {
    const values = next.map((c) => JSON.stringify(c.value));
    const dup = new Set(values).size !== values.length;
    error.textContent = dup ? t.choice_value_taken : "";
    error.hidden = !dup;
    choices = next;
    if (!dup) edit((s) => setChoices(s, path, next), merge);
  };
  const list = h("ol.choice-list", {});
  const draw = () => {
    list.replaceChildren(...choices.map((c, i) => h("li.choice-row", { dataset: { index: i } },
      h("span.drag-handle", { "aria-hidden": "true" }, "⠿"),
      h("input.choice-value", { type: "text", value: String(c.value), "aria-label": t.choice_value, spellcheck: false,
        oninput: (e) => {
          const v = numeric(prop) ? Number(e.target.value) : e.target.value;
          write(choices.map((x, j) => (j === i ? { ...x, value: v } : x)), `choice-value-${i}`);
        } }),
      h("input.choice-label", { type: "text", value: c.label, "aria-label": t.choice_label,
        oninput: (e) => write(choices.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)), `choice-label-${i}`) }),
      h("button.icon", { type: "button", title: t.remove, "aria-label": t.remove, onclick: () => {
        write(choices.filter((_, j) => j !== i));
        draw();
      } }, "✕")))); // prettier-ignore
  };
  draw();
  if (ctx.mayEdit) {
    Sortable.create(list, {
      handle: ".drag-handle",
      animation: 120,
      forceFallback: true,
      onEnd: (event) => {
        const next = [...choices];
        const [moved] = next.splice(event.oldIndex, 1);
        next.splice(event.newIndex, 0, moved);
        write(next);
        draw();
      },
    });
  }
  const add = h("button.tool", { type: "button", id: "choice-add", onclick: () => {
    write([...choices, { value: freshValue(choices, prop), label: ctx.fmt(t.option, choices.length + 1) }]);
    draw();
  } }, `+ ${t.add_choice}`); // prettier-ignore
  const bulk = h("textarea", { rows: 5, id: "choice-bulk", placeholder: t.bulk_hint });
  const apply = h("button.tool", { type: "button", id: "choice-bulk-apply", onclick: () => {
    const parsed = parseChoiceLines(bulk.value, prop);
    if (!parsed.length) return;
    write(parsed);
    draw();
    bulk.value = "";
  } }, t.bulk_apply); // prettier-ignore
  const details = h("details.choice-bulk", {}, h("summary", {}, t.bulk_import), h("div.prop-hint", {}, t.bulk_hint), bulk, apply);
  return h("div.prop-row.choices", {}, h("label", {}, t.choices), list, error, add, details);
}
