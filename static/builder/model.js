// 模型: the designer's state is the definition itself, {schema, ui}. Every edit is a small pure
// function taking a state and returning a new one (the old one is never changed), so undo/redo
// keeps snapshots and a state that was not edited is the very JSON that was loaded: whatever the
// designer does not understand (allOf if/then parts, unknown keywords) is carried along untouched.
//
// A field is named by its path: "name" for a top-level field (in `properties` or in an
// `allOf[i].then.properties`), "group[].name" for a field of a repeated group.

import { kindOf } from "./kinds.js";

const clone = (x) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));
const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

/** The `allOf` parts whose `then` holds fields (the old-style conditions), with their index. */
export function thenParts(schema) {
  const parts = Array.isArray(schema.allOf) ? schema.allOf : [];
  const out = [];
  parts.forEach((part, i) => {
    if (isObj(part) && isObj(part.if) && isObj(part.then) && isObj(part.then.properties)) {
      const props = isObj(part.if.properties) ? Object.entries(part.if.properties) : [];
      if (props.length === 1) out.push({ index: i, part, field: props[0][0], test: props[0][1] });
    }
  });
  return out;
}

/** Where a field lives in a (mutable) state: its holders for schema, required and ui. */
export function locate(state, path) {
  const [head, tail] = path.split("[].");
  const top = topHolder(state.schema, head);
  if (!top) return null;
  if (tail === undefined) {
    if (!isObj(state.ui[head]) && state.ui[head] !== undefined) return null;
    return { name: head, props: top.props, req: top.req, uiHolder: state.ui, cond: top.cond, group: null };
  }
  const group = top.props[head];
  if (!isObj(group) || !isObj(group.items) || !isObj(group.items.properties)) return null;
  if (!(tail in group.items.properties)) return null;
  const groupUi = isObj(state.ui[head]) ? state.ui[head] : {};
  return {
    name: tail,
    props: group.items.properties,
    req: group.items,
    uiHolder: isObj(groupUi.items) ? groupUi.items : {},
    cond: top.cond,
    group: head,
  };
}

function topHolder(schema, name) {
  if (isObj(schema.properties) && name in schema.properties) {
    return { props: schema.properties, req: schema, cond: null };
  }
  for (const t of thenParts(schema)) {
    if (name in t.part.then.properties) return { props: t.part.then.properties, req: t.part.then, cond: t };
  }
  return null;
}

/** The display order of the names in `props` given a ui:order (RJSF `*` = the rest). */
export function ordered(names, spec) {
  spec = Array.isArray(spec) ? spec : [];
  const named = spec.filter((n) => names.includes(n));
  const star = spec.indexOf("*");
  if (star >= 0) {
    const before = spec.slice(0, star).filter((n) => names.includes(n));
    const after = spec.slice(star + 1).filter((n) => names.includes(n));
    return [...before, ...names.filter((n) => !named.includes(n)), ...after];
  }
  return [...named, ...names.filter((n) => !named.includes(n))];
}

function topNames(schema) {
  const names = Object.keys(isObj(schema.properties) ? schema.properties : {});
  for (const t of thenParts(schema)) {
    for (const n of Object.keys(t.part.then.properties)) if (!names.includes(n)) names.push(n);
  }
  return names;
}

/** The canvas' view of the form: fields in order, a group's fields as its children. */
export function fieldTree(state) {
  const { schema, ui } = state;
  const names = ordered(topNames(schema), ui["ui:order"]);
  return names.map((name) => {
    const loc = locate(state, name);
    const prop = loc.props[name];
    const fieldUi = isObj(ui[name]) ? ui[name] : {};
    const node = describe(name, name, prop, fieldUi, loc);
    if (node.kind === "group" && isObj(prop.items) && isObj(prop.items.properties)) {
      const itemsUi = isObj(fieldUi.items) ? fieldUi.items : {};
      const inner = ordered(Object.keys(prop.items.properties), itemsUi["ui:order"]);
      node.children = inner.map((n) => {
        const childUi = isObj(itemsUi[n]) ? itemsUi[n] : {};
        const childLoc = { req: prop.items, cond: null, group: name };
        return describe(n, `${name}[].${n}`, prop.items.properties[n], childUi, childLoc);
      });
    }
    return node;
  });
}

function describe(name, path, prop, fieldUi, loc) {
  prop = isObj(prop) ? prop : {};
  const required = Array.isArray(loc.req.required) && loc.req.required.includes(name);
  return {
    name,
    path,
    prop,
    ui: fieldUi,
    kind: kindOf(prop, fieldUi),
    title: fieldUi["ui:title"] || prop.title || name,
    required,
    cond: loc.cond ? { field: loc.cond.field, test: loc.cond.test } : null,
    group: loc.group,
  };
}

/** Every field path, flat (groups' fields after their group). */
export function allFields(state) {
  const out = [];
  for (const node of fieldTree(state)) {
    out.push(node);
    if (node.children) out.push(...node.children);
  }
  return out;
}

function mutate(state, fn) {
  const next = { schema: clone(state.schema), ui: clone(state.ui) };
  return fn(next) === false ? state : next;
}

function orderOf(next, group) {
  if (!group) return ordered(topNames(next.schema), next.ui["ui:order"]);
  const loc = topHolder(next.schema, group);
  const items = loc.props[group].items;
  const gui = isObj(next.ui[group]) ? next.ui[group] : {};
  return ordered(Object.keys(items.properties), isObj(gui.items) ? gui.items["ui:order"] : []);
}

function writeOrder(next, group, names) {
  if (!group) {
    next.ui["ui:order"] = names;
    return;
  }
  if (!isObj(next.ui[group])) next.ui[group] = {};
  if (!isObj(next.ui[group].items)) next.ui[group].items = {};
  next.ui[group].items["ui:order"] = names;
}

function containerOf(next, group) {
  if (!group) {
    if (!isObj(next.schema.properties)) next.schema.properties = {};
    return { props: next.schema.properties, req: next.schema, uiHolder: next.ui };
  }
  const loc = topHolder(next.schema, group);
  const items = loc.props[group].items;
  if (!isObj(next.ui[group])) next.ui[group] = {};
  if (!isObj(next.ui[group].items)) next.ui[group].items = {};
  return { props: items.properties, req: items, uiHolder: next.ui[group].items };
}

/** Add a field (made by kinds.newField) into `group` (null: the form) at `index`. */
export function addField(state, { name, prop, ui, required = false, group = null, index = null }) {
  return mutate(state, (next) => {
    const order = orderOf(next, group);
    const box = containerOf(next, group);
    if (name in box.props) return false;
    box.props[name] = clone(prop);
    if (required) box.req.required = [...(box.req.required || []), name];
    if (ui && Object.keys(ui).length) box.uiHolder[name] = clone(ui);
    const at = index === null || index > order.length ? order.length : Math.max(0, index);
    order.splice(at, 0, name);
    writeOrder(next, group, order);
  });
}

function takeOut(next, path) {
  const loc = locate(next, path);
  if (!loc) return null;
  const { name } = loc;
  const prop = loc.props[name];
  delete loc.props[name];
  let required = false;
  if (Array.isArray(loc.req.required) && loc.req.required.includes(name)) {
    required = true;
    loc.req.required = loc.req.required.filter((n) => n !== name);
  }
  const ui = loc.uiHolder[name];
  delete loc.uiHolder[name];
  const spec = loc.group ? loc.uiHolder["ui:order"] : next.ui["ui:order"];
  if (Array.isArray(spec)) {
    const kept = spec.filter((n) => n !== name);
    if (loc.group) loc.uiHolder["ui:order"] = kept;
    else next.ui["ui:order"] = kept;
  }
  return { name, prop, ui, required, loc };
}

/** Remove a field (and, for a group, its fields). */
export function removeField(state, path) {
  return mutate(state, (next) => (takeOut(next, path) ? undefined : false));
}

/** Move a field to `index` of `group` (null: the form). Old-style conditional fields stay in
 * their `then` and move only among the form's fields; a group never goes into a group. */
export function moveField(state, path, { group = null, index }) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const from = loc.group;
    if (from === group) {
      const order = orderOf(next, group).filter((n) => n !== loc.name);
      order.splice(Math.min(index, order.length), 0, loc.name);
      writeOrder(next, group, order);
      return undefined;
    }
    if (loc.cond) return false;
    if (group && kindOf(loc.props[loc.name], loc.uiHolder[loc.name] || {}) === "group") return false;
    const box = containerOf(next, group);
    if (loc.name in box.props) return false;
    const order = orderOf(next, group);
    const taken = takeOut(next, path);
    const target = containerOf(next, group);
    target.props[taken.name] = taken.prop;
    if (taken.required) target.req.required = [...(target.req.required || []), taken.name];
    if (taken.ui !== undefined) target.uiHolder[taken.name] = taken.ui;
    order.splice(Math.min(index, order.length), 0, taken.name);
    writeOrder(next, group, order);
    return undefined;
  });
}

/** A copy of a field, named `newName`, right after it, in the same place (group or then). */
export function duplicateField(state, path, newName, newTitle) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc || newName in loc.props) return false;
    const prop = clone(loc.props[loc.name]);
    if (newTitle) prop.title = newTitle;
    const entries = Object.entries(loc.props);
    const at = entries.findIndex(([k]) => k === loc.name) + 1;
    entries.splice(at, 0, [newName, prop]);
    for (const k of Object.keys(loc.props)) delete loc.props[k];
    for (const [k, v] of entries) loc.props[k] = v;
    if (Array.isArray(loc.req.required) && loc.req.required.includes(loc.name)) {
      loc.req.required = [...loc.req.required, newName];
    }
    if (loc.uiHolder[loc.name] !== undefined) loc.uiHolder[newName] = clone(loc.uiHolder[loc.name]);
    const order = orderOf(next, loc.group).filter((n) => n !== newName);
    order.splice(order.indexOf(loc.name) + 1, 0, newName);
    writeOrder(next, loc.group, order);
    return undefined;
  });
}

function mutateOrder(state, group) {
  return orderOf({ schema: clone(state.schema), ui: clone(state.ui) }, group);
}

/** Set (or, with undefined / "" / null, remove) a keyword of the field's schema. */
export function setSchema(state, path, key, value) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const prop = loc.props[loc.name];
    return assign(prop, key, value);
  });
}

/** The same for a keyword of the field's array `items` (a multiple choice's enum). */
export function setItemsSchema(state, path, key, value) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc || !isObj(loc.props[loc.name].items)) return false;
    return assign(loc.props[loc.name].items, key, value);
  });
}

function assign(holder, key, value) {
  const empty = value === undefined || value === null || value === "";
  if (empty) {
    if (!(key in holder)) return false;
    delete holder[key];
    return undefined;
  }
  if (JSON.stringify(holder[key]) === JSON.stringify(value)) return false;
  holder[key] = clone(value);
  return undefined;
}

/** Set a `ui:*` key of the field (ui:help, ui:placeholder, ui:widget…); empty removes it. */
export function setUi(state, path, key, value) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const had = isObj(loc.uiHolder[loc.name]);
    const fieldUi = had ? loc.uiHolder[loc.name] : {};
    if (assign(fieldUi, key, value) === false) return false;
    if (Object.keys(fieldUi).length) loc.uiHolder[loc.name] = fieldUi;
    else delete loc.uiHolder[loc.name];
    return undefined;
  });
}

/** Set one of the field's `ui:options` (section, unit, capture, itemTitle, levels, roles…). */
export function setOption(state, path, key, value) {
  const loc = locate(clone(state), path);
  if (!loc) return state;
  const options = clone((loc.uiHolder[loc.name] || {})["ui:options"]) || {};
  if (assign(options, key, value) === false) return state;
  return setUi(state, path, "ui:options", Object.keys(options).length ? options : undefined);
}

/** The title: `ui:title` when the field has one, else the schema's title. */
export function setTitle(state, path, title) {
  const loc = locate(clone(state), path);
  if (!loc) return state;
  if (isObj(loc.uiHolder[loc.name]) && loc.uiHolder[loc.name]["ui:title"]) {
    return setUi(state, path, "ui:title", title);
  }
  return setSchema(state, path, "title", title);
}

/** Required or not (in the `required` list that holds the field). */
export function setRequired(state, path, required) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const list = Array.isArray(loc.req.required) ? loc.req.required : [];
    if (list.includes(loc.name) === Boolean(required)) return false;
    loc.req.required = required ? [...list, loc.name] : list.filter((n) => n !== loc.name);
    return undefined;
  });
}

/** The choices of a radio / select / multiple choice, [{value, label}], in the field's own shape
 * (enum + enumNames, or oneOf of const + title). */
export function setChoices(state, path, choices) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const prop = loc.props[loc.name];
    const holder = prop.type === "array" && isObj(prop.items) ? prop.items : prop;
    const key = Array.isArray(holder.oneOf) ? "oneOf" : Array.isArray(holder.anyOf) && !holder.enum ? "anyOf" : null;
    if (key) {
      holder[key] = choices.map((c) => ({ const: c.value, title: c.label }));
    } else {
      holder.enum = choices.map((c) => c.value);
      holder.enumNames = choices.map((c) => c.label);
    }
    return undefined;
  });
}

/** 定位精度: a location answer must carry an accuracy of at most `metres` (null: any). */
export function setAccuracy(state, path, metres) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc) return false;
    const prop = loc.props[loc.name];
    if (!isObj(prop.properties)) return false;
    const acc = isObj(prop.properties.accuracy) ? prop.properties.accuracy : { type: "number", minimum: 0 };
    const req = Array.isArray(prop.required) ? prop.required : [];
    if (metres === null || metres === undefined || metres === "") {
      if (!("maximum" in acc) && !req.includes("accuracy")) return false;
      delete acc.maximum;
      prop.required = req.filter((n) => n !== "accuracy");
    } else {
      acc.maximum = Number(metres);
      if (!req.includes("accuracy")) prop.required = [...req, "accuracy"];
    }
    prop.properties.accuracy = acc;
    return undefined;
  });
}

/** Rename a field's key everywhere the definition names it (required, ui, order, logic). */
export function renameField(state, path, newName) {
  return mutate(state, (next) => {
    const loc = locate(next, path);
    if (!loc || newName in loc.props || !/^[a-z][a-z0-9_]*$/.test(newName)) return false;
    const old = loc.name;
    const entries = Object.entries(loc.props).map(([k, v]) => [k === old ? newName : k, v]);
    for (const k of Object.keys(loc.props)) delete loc.props[k];
    for (const [k, v] of entries) loc.props[k] = v;
    if (Array.isArray(loc.req.required)) loc.req.required = loc.req.required.map((n) => (n === old ? newName : n));
    if (old in loc.uiHolder) {
      const uiEntries = Object.entries(loc.uiHolder).map(([k, v]) => [k === old ? newName : k, v]);
      for (const k of Object.keys(loc.uiHolder)) delete loc.uiHolder[k];
      for (const [k, v] of uiEntries) loc.uiHolder[k] = v;
    }
    const spec = loc.group ? loc.uiHolder["ui:order"] : next.ui["ui:order"];
    if (Array.isArray(spec)) spec.forEach((n, i) => (spec[i] = n === old ? newName : n));
    renameVars(next.schema, old, newName);
    if (!loc.group) renameInConditions(next.schema, old, newName);
    return undefined;
  });
}

/** The old-style conditions (allOf if) that test the renamed field test it under its new key. */
function renameInConditions(schema, old, newName) {
  for (const t of thenParts(schema)) {
    const cond = t.part.if;
    if (t.field === old) {
      cond.properties = Object.fromEntries(Object.entries(cond.properties).map(([k, v]) => [k === old ? newName : k, v]));
    }
    if (Array.isArray(cond.required)) cond.required = cond.required.map((n) => (n === old ? newName : n));
  }
}

function renameVars(node, old, newName) {
  if (Array.isArray(node)) return node.forEach((x) => renameVars(x, old, newName));
  if (!isObj(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === "var" && v === old) node[k] = newName;
    else if (k.startsWith("x-") || isObj(v) || Array.isArray(v)) renameVars(v, old, newName);
  }
}

/** The names already used where `group` keeps its fields (null: the form). */
export function namesIn(state, group) {
  return mutateOrder(state, group);
}

export const _test = { clone, isObj };
