// 画布: the form's fields as cards, in order; a repeated group holds its fields' cards. Cards are
// reordered by drag (SortableJS, also into and out of groups), and from the keyboard: Enter
// selects, Alt+↑/↓ moves, Delete removes, Ctrl+D copies. The DOM a drag leaves behind is thrown
// away: the move is applied to the definition and the canvas drawn again from it.

import Sortable from "../vendor/sortablejs/sortable.esm.js";
import { h, fmt } from "./dom.js";
import { shownKind, choicesOf } from "./kinds.js";
import { conditionWords } from "./logic-model.js";
import { allFields, fieldTree } from "./model.js";
import { formulaWords } from "./words.js";

let sortables = [];

/** Titles and choice labels of the form's fields, for the words of a condition. */
export function wordsHelpers(state) {
  const byName = new Map();
  for (const f of allFields(state)) if (!byName.has(f.name)) byName.set(f.name, f);
  const titleOf = (name) => (byName.get(name) ? byName.get(name).title : name);
  const valueLabel = (name, value, texts) => {
    const f = byName.get(name);
    if (value === true) return texts ? texts.yes : "是";
    if (value === false) return texts ? texts.no : "否";
    const choices = f ? choicesOf(f.prop) || choicesOf(f.prop.items) : null;
    const hit = choices && choices.find((c) => c.value === value);
    return hit ? hit.label : String(value);
  };
  return { titleOf, valueLabel };
}

function badges(field, ctx, helpers) {
  const { texts } = ctx;
  const out = [];
  const vl = (n, v) => helpers.valueLabel(n, v, texts);
  if (field.cond) {
    const test = field.cond.test || {};
    const inner = test.contains || test;
    const values = "const" in inner ? [inner.const] : Array.isArray(inner.enum) ? inner.enum : [];
    const words = test.contains ? texts.legacy_contains : texts.legacy_condition;
    out.push(h("span.badge.badge-legacy", {}, fmt(words, {
      field: helpers.titleOf(field.cond.field), values: values.map((v) => vl(field.cond.field, v)).join("、") }))); // prettier-ignore
  }
  if ("x-visibleIf" in field.prop) {
    const words = conditionWords(field.prop["x-visibleIf"], helpers.titleOf, vl, texts);
    const badge = field.kind === "heading" && !field.group ? texts.section_visible_badge : texts.visible_badge;
    out.push(h("span.badge.badge-visible", {}, fmt(badge, words)));
  }
  if ("x-requiredIf" in field.prop) {
    const words = conditionWords(field.prop["x-requiredIf"], helpers.titleOf, vl, texts);
    out.push(h("span.badge.badge-required", {}, fmt(texts.required_badge, words)));
  }
  if ("x-compute" in field.prop) {
    out.push(h("span.badge.badge-compute", {}, fmt(texts.compute_badge, formulaWords(field.prop["x-compute"], helpers, texts))));
  }
  return out;
}

function card(field, ctx, helpers) {
  const { texts, kinds } = ctx;
  const kind = shownKind(field.prop, field.ui);
  const problems = ctx.problemsOf(field.path);
  const el = h(
    `div.card-field${ctx.selected === field.path ? ".selected" : ""}${problems.length ? ".has-problems" : ""}`,
    {
      tabindex: "0",
      role: "button",
      "aria-pressed": ctx.selected === field.path ? "true" : "false",
      dataset: { path: field.path, kind, cond: field.cond ? "1" : "" },
      onclick: (event) => {
        event.stopPropagation();
        ctx.select(field.path);
      },
      onkeydown: (event) => onKey(event, field, ctx),
    },
    h("div.card-line", {},
      ctx.mayEdit ? h("span.drag-handle", { "aria-hidden": "true", title: texts.move_up }, "⠿") : null,
      h("span.card-title", {}, field.title),
      field.required ? h("span.req-mark", { title: texts.required }, "*") : null,
      h("span.card-kind", {}, kinds[kind] || kind),
      h("code.card-key", {}, field.name),
      problems.length ? h("span.problem-count", { title: problems.map((p) => p.message).join("\n") },
        fmt(texts.problem_count, problems.length)) : null,
      ctx.mayEdit ? h("span.card-actions", {},
        h("button.icon", { type: "button", title: texts.copy, "aria-label": texts.copy, dataset: { action: "copy" },
          onclick: (e) => { e.stopPropagation(); ctx.copy(field.path); } }, texts.copy),
        h("button.icon.danger", { type: "button", title: texts.delete, "aria-label": texts.delete, dataset: { action: "delete" },
          onclick: (e) => { e.stopPropagation(); ctx.remove(field.path); } }, texts.delete)) : null,
    ),
    h("div.card-badges", {}, badges(field, ctx, helpers)),
    problems.length ? h("div.card-problems", {}, problems.map((p) => p.message).join("；")) : null,
  ); // prettier-ignore
  if (kind === "group" && field.children) {
    // The hint of an empty group is CSS (::before), so that a drop lands on the list itself.
    const list = h("div.group-list", { dataset: { group: field.name, empty: texts.empty_group } },
      field.children.map((child) => card(child, ctx, helpers)));
    el.append(list);
  } // prettier-ignore
  return el;
}

function onKey(event, field, ctx) {
  if (event.target !== event.currentTarget) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    ctx.select(field.path);
  } else if (!ctx.mayEdit) {
    return;
  } else if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
    event.preventDefault();
    ctx.nudge(field.path, event.key === "ArrowUp" ? -1 : 1);
  } else if (event.key === "Delete") {
    event.preventDefault();
    ctx.remove(field.path);
  } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "d") {
    event.preventDefault();
    ctx.copy(field.path);
  }
}

/** Draw the canvas from the state, and make its lists sortable. */
export function renderCanvas(ctx) {
  if (ctx.dragging) {
    ctx.drawAfterDrag = true; // never pull the lists from under a drag
    return;
  }
  const root = document.getElementById("canvas");
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest(".card-field");
  const focusPath = focused ? focused.dataset.path : null;
  for (const s of sortables) s.destroy();
  sortables = [];
  const tree = fieldTree(ctx.state());
  const helpers = wordsHelpers(ctx.state());
  const list = h("div.canvas-list", { dataset: { group: "" } }, tree.map((f) => card(f, ctx, helpers)));
  const children = [list];
  if (!tree.length) children.unshift(h("div.canvas-empty", {}, ctx.texts.empty_canvas));
  root.replaceChildren(...children);
  if (ctx.mayEdit) {
    for (const el of root.querySelectorAll(".canvas-list, .group-list")) sortables.push(sortable(el, ctx));
  }
  if (focusPath) {
    const again = root.querySelector(`.card-field[data-path="${CSS.escape(ctx.selected || focusPath)}"]`);
    if (again) again.focus();
  }
}

function sortable(el, ctx) {
  const inGroup = Boolean(el.dataset.group);
  return Sortable.create(el, {
    group: {
      name: "fields",
      pull: true,
      // A group never goes into a group; the old-style conditional fields stay in the form.
      put: (_to, _from, dragged) => !inGroup || (dragged.dataset.kind !== "group" && !dragged.dataset.cond),
    },
    draggable: ".card-field, .palette-item",
    filter: "button",
    preventOnFilter: false,
    animation: 120,
    forceFallback: true,
    fallbackOnBody: true,
    swapThreshold: 0.6,
    emptyInsertThreshold: 24,
    ghostClass: "drag-ghost",
    onStart: () => dragStarted(ctx),
    onAdd: (event) => {
      const item = event.item;
      if (item.classList.contains("palette-item")) {
        const index = indexAmongCards(event.to, item);
        item.remove();
        ctx.addKind(item.dataset.kind, { group: event.to.dataset.group || null, index });
      }
    },
    onEnd: (event) => {
      dragEnded(ctx);
      const item = event.item;
      if (!item.classList.contains("card-field") || event.pullMode === "clone") return;
      const group = event.to.dataset.group || null;
      const index = indexAmongCards(event.to, item);
      ctx.move(item.dataset.path, { group, index });
    },
  });
}

export function dragStarted(ctx) {
  ctx.dragging = true;
}

/** The drag is over: what was drawn meanwhile is drawn now. */
export function dragEnded(ctx) {
  ctx.dragging = false;
  if (ctx.drawAfterDrag) {
    ctx.drawAfterDrag = false;
    setTimeout(() => renderCanvas(ctx));
  }
}

function indexAmongCards(list, item) {
  return [...list.children].filter((c) => c.classList.contains("card-field") || c === item).indexOf(item);
}
