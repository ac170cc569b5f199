// 表单设计: the designer page's entry module. It loads the draft through the API, keeps the
// definition as its state (model.js, history.js), draws the palette, the canvas and the property
// panel from it, saves it (autosave.js), marks the publish problems on their fields
// (problems.js) and reloads the phone preview after each save.
//
//   kinds.js        what each palette kind puts into the definition; kindOf as the server reads it
//   model.js        pure edits of {schema, ui}
//   logic-model.js  JSON Logic of conditions and formulas, written and read back
//   palette.js canvas.js properties.js choices.js logic-editor.js   the three columns

import { Autosave } from "./autosave.js";
import { renderCanvas } from "./canvas.js";
import { api, fmt, pageJSON } from "./dom.js";
import { History } from "./history.js";
import { newField } from "./kinds.js";
import * as M from "./model.js";
import { renderPalette } from "./palette.js";
import { renderProblems, problemsByField } from "./problems.js";
import { renderProps } from "./properties.js";
import { openConflict } from "./conflict.js";

const config = pageJSON("designer-config");
const texts = pageJSON("designer-texts");
const kinds = pageJSON("designer-kinds");
const root = document.getElementById("designer");
const preview = document.getElementById("preview");

let history = null;
let saver = null;
let problemIndex = new Map();

const ctx = {
  config,
  texts,
  kinds,
  fmt,
  mayEdit: config.may_edit,
  selected: null,
  frozen: new Set(),
  autoKeyed: new Set(), // fields whose key follows their title until published (title_keyed)
  problems: [],
  flow: {},
  revision: null,
  state: () => history.state,
  problemsOf: (path) => problemIndex.get(path) || [],

  commit(next, { merge = null, fromPanel = false, select } = {}) {
    if (!ctx.mayEdit) return false;
    const changed = history.commit(next, merge);
    if (select !== undefined) ctx.selected = select;
    if (changed || select !== undefined) drawAll({ panel: !fromPanel || select !== undefined });
    if (changed) saver.changed();
    return changed;
  },

  select(path) {
    ctx.selected = path;
    drawAll({ panel: true });
    const titleInput = document.getElementById("prop-title");
    if (titleInput && document.activeElement === document.body) titleInput.focus({ preventScroll: true });
  },

  /** Where a click on the palette adds: after the selected field, in its group. */
  insertPoint() {
    const sel = ctx.selected && M.allFields(ctx.state()).find((f) => f.path === ctx.selected);
    if (!sel) return { group: null, index: null };
    const order = M.namesIn(ctx.state(), sel.group);
    return { group: sel.group, index: order.indexOf(sel.name) + 1 };
  },

  async addKind(kind, { group = null, index = null } = {}) {
    const title = kinds[kind];
    const made = newField(kind, title, { choices: [fmt(texts.option, 1), fmt(texts.option, 2)] });
    const name = await fieldKey(title, M.namesIn(ctx.state(), group));
    const next = M.addField(ctx.state(), { name, prop: made.prop, ui: made.ui, group, index });
    const path = group ? `${group}[].${name}` : name;
    ctx.autoKeyed.add(path);
    ctx.commit(next, { select: path });
  },

  move(path, { group, index }) {
    const next = M.moveField(ctx.state(), path, { group, index });
    const name = path.split("[].").pop();
    const moved = group ? `${group}[].${name}` : name;
    setTimeout(() => {
      if (!ctx.commit(next, { select: next === ctx.state() ? ctx.selected : moved })) drawAll({ panel: false });
    });
  },

  nudge(path, delta) {
    const sel = M.allFields(ctx.state()).find((f) => f.path === path);
    const order = M.namesIn(ctx.state(), sel.group);
    const index = order.indexOf(sel.name) + delta;
    if (index < 0 || index >= order.length) return;
    ctx.commit(M.moveField(ctx.state(), path, { group: sel.group, index }), { select: path });
  },

  async copy(path) {
    const sel = M.allFields(ctx.state()).find((f) => f.path === path);
    const title = `${sel.title}${texts.copy_suffix}`;
    const name = await fieldKey(title, M.namesIn(ctx.state(), sel.group));
    const copyPath = sel.group ? `${sel.group}[].${name}` : name;
    ctx.autoKeyed.add(copyPath);
    ctx.commit(M.duplicateField(ctx.state(), path, name, title), { select: copyPath });
  },

  remove(path) {
    const sel = M.allFields(ctx.state()).find((f) => f.path === path);
    if (!sel) return;
    if (ctx.commit(M.removeField(ctx.state(), path), { select: null })) toast(fmt(texts.deleted, sel.title));
  },

  /** A new title; a key made here follows it (until the field is published). */
  retitle(path, title) {
    const before = M.allFields(ctx.state()).find((f) => f.path === path);
    let next = M.setTitle(ctx.state(), path, title);
    // A group's items are named after it until the designer names them otherwise.
    const options = (before && before.ui["ui:options"]) || {};
    if (before && before.kind === "group" && options.itemTitle === before.title) {
      next = M.setOption(next, path, "itemTitle", title);
    }
    ctx.commit(next, { merge: `${path}:title`, fromPanel: true });
    if (!ctx.autoKeyed.has(path) || ctx.frozen.has(path) || !title.trim()) return;
    clearTimeout(ctx.keyTimer);
    ctx.keyTimer = setTimeout(async () => {
      const group = path.includes("[].") ? path.split("[].")[0] : null;
      const current = path.split("[].").pop();
      const name = await fieldKey(title, M.namesIn(ctx.state(), group).filter((n) => n !== current));
      const still = M.allFields(ctx.state()).find((f) => f.path === path);
      if (still && still.title === title && name !== current) ctx.rekey(path, name, true);
    }, 350);
  },

  rekey(path, name, follow = false) {
    const group = path.includes("[].") ? path.split("[].")[0] : null;
    const renamed = group ? `${group}[].${name}` : name;
    const next = M.renameField(ctx.state(), path, name);
    if (next === ctx.state()) return;
    if (ctx.autoKeyed.delete(path) && follow) ctx.autoKeyed.add(renamed);
    const wasSelected = ctx.selected === path;
    if (wasSelected) ctx.selected = renamed;
    // Typed by hand: the panel stays as it is; followed from the title: the key input shows it.
    ctx.commit(next, { merge: `${path}:key`, fromPanel: !follow || !wasSelected });
  },
};

/** A key from the title (pinyin, from the server); locally made if the server cannot say. */
async function fieldKey(title, taken) {
  try {
    const answer = await api("POST", config.field_key_api, { title, taken });
    if (answer.status === 200 && answer.body.key) return answer.body.key;
  } catch (err) {
    // offline: fall through
  }
  for (let n = 1; ; n++) if (!taken.includes(`field_${n}`)) return `field_${n}`;
}

function drawAll({ panel }) {
  renderCanvas(ctx);
  if (panel) {
    // Drawn again while typing (a key following its title): the caret stays where it was.
    const active = document.activeElement;
    const keep = active && active.id && active.id.startsWith("prop-") ? active : null;
    const caret = keep && typeof keep.selectionStart === "number" ? keep.selectionStart : null;
    renderProps(ctx);
    const again = keep && document.getElementById(keep.id);
    if (again && again !== keep) {
      again.focus({ preventScroll: true });
      if (caret !== null && again.setSelectionRange) again.setSelectionRange(caret, caret);
    }
  }
  document.getElementById("undo").disabled = !history.past.length || !ctx.mayEdit;
  document.getElementById("redo").disabled = !history.future.length || !ctx.mayEdit;
}

function step(undo) {
  if (!ctx.mayEdit || !(undo ? history.undo() : history.redo())) return;
  const known = M.allFields(ctx.state()).some((f) => f.path === ctx.selected);
  if (!known) ctx.selected = null;
  drawAll({ panel: true });
  saver.changed();
}

let toastTimer = null;
function toast(message) {
  const box = document.getElementById("toast");
  box.querySelector("[data-toast-text]").textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), 6000);
}

function setProblems(list) {
  ctx.problems = list || [];
  problemIndex = problemsByField(ctx.problems);
  renderProblems(ctx);
}

function load(body) {
  ctx.flow = body.draft.flow;
  ctx.revision = body.revision;
  ctx.frozen = new Set(body.frozen_keys || []);
  // Keys still made from their titles keep following them, in this session or a later one.
  ctx.autoKeyed = new Set(body.title_keyed || []);
  const state = { schema: body.draft.schema || {}, ui: body.draft.ui || {} };
  if (history) history.reset(state);
  else history = new History(state);
  setProblems(body.problems);
}

async function start() {
  let answer;
  try {
    answer = await api("GET", config.api);
  } catch (err) {
    answer = { status: 0, body: null };
  }
  const status = document.getElementById("save-status");
  if (answer.status !== 200) {
    status.textContent = fmt(texts.load_failed, (answer.body && answer.body.message) || answer.status);
    return;
  }
  load(answer.body);
  root.dataset.revision = ctx.revision;
  ctx.reload = async () => {
    const fresh = await api("GET", config.api);
    if (fresh.status !== 200) return false;
    load(fresh.body);
    root.dataset.revision = ctx.revision;
    ctx.selected = null;
    saver.reset(ctx.state());
    drawAll({ panel: true });
    preview.src = `${config.preview}?r=${ctx.revision}`;
    return true;
  };
  saver = new Autosave(ctx, {
    saved: (body) => {
      root.dataset.revision = body.revision;
      ctx.frozen = new Set(body.frozen_keys || []);
      setProblems(body.problems);
      drawAll({ panel: false });
      preview.src = `${config.preview}?r=${body.revision}`;
    },
    conflict: (body) => openConflict(ctx, body),
  });
  if (!ctx.mayEdit) saver.stop("readonly");
  renderPalette(ctx);
  // ?field=path (the versions page's problem links): open with that field selected.
  const asked = new URLSearchParams(window.location.search).get("field");
  if (asked && M.allFields(ctx.state()).some((f) => f.path === asked)) ctx.selected = asked;
  drawAll({ panel: true });
  if (ctx.selected) {
    const card = document.querySelector(`.card-field[data-path="${CSS.escape(ctx.selected)}"]`);
    if (card) card.scrollIntoView({ block: "center" });
  }
  document.getElementById("undo").addEventListener("click", () => step(true));
  document.getElementById("redo").addEventListener("click", () => step(false));
  document.querySelector("[data-toast-undo]").addEventListener("click", () => {
    document.getElementById("toast").hidden = true;
    step(true);
  });
  document.getElementById("canvas").addEventListener("click", () => ctx.select(null));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing || !(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) step(true);
    else if ((key === "z" && event.shiftKey) || key === "y") step(false);
    else return;
    event.preventDefault();
  });
  root.dataset.ready = "1";
}

start();
