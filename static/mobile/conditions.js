// 条件与计算: what shows, what is required and what is computed, as the answers change.
//
// Two kinds of condition reach a field descriptor (definitions/dialect/fields.py):
// - `visible_when`, {field, in: [...]} or {field, contains: [...]}, from the schema's allOf if/then;
// - `visible_if`, `required_if`, `compute`: JSON Logic (x-visibleIf, x-requiredIf, x-compute),
//   evaluated by logic.js.
// The rule is the server's (definitions/dialect/logic_answers.py): over the answers that would
// be sent (hidden fields are not sent), every computed field is evaluated (a field reading a
// computed field sees its new value; inside a repeated group per item), then the conditions;
// when that hides or shows a field, the answers to send changed, so it runs again (at most a few
// times: cycles are refused at publish). A hidden field keeps what was typed, for the draft, but
// is not sent; a computed field is read-only and sends the value shown.

import { answerValue, evaluate, itemScope, truthy } from "./logic.js";
import { same } from "./values.js";

const MAX_PASSES = 6;

/** The control named `name` in this scope or the nearest scope around it. */
export function findControl(scope, name) {
  for (let s = scope; s; s = s.parent) {
    const control = s.controls.find((c) => c.field.name === name);
    if (control) return control;
  }
  return null;
}

function rootOf(scope) {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

/** A computed control: read-only, and what it sends is the value computed, not what the DOM
 * shows (a number's text, trimmed text). */
function computedInit(control) {
  if (control.computedReady) return;
  control.computedReady = true;
  control.el.classList.add("m-field_computed");
  for (const input of control.el.querySelectorAll("input, select, textarea")) {
    input.readOnly = true;
    if (input.tagName === "SELECT" || input.type === "checkbox" || input.type === "radio") input.disabled = true;
    input.tabIndex = -1;
  }
  const show = control.set.bind(control);
  control.value = undefined;
  control.get = () => control.value;
  control.save = () => undefined; // recomputed when the draft comes back
  control.set = () => {}; // a draft or a default never overrides the computed value
  control.show = (value) => {
    control.value = value;
    try {
      show(value === undefined ? null : value);
    } catch (err) {
      // a value the widget cannot show (e.g. not one of a choice's values): sent all the same
    }
  };
}

function legacyVisible(control, scope) {
  const when = control.field.visible_when;
  const source = findControl(scope, when.field);
  const value = source && !source.el.hidden ? source.get() : undefined;
  const wanted = when.in || when.contains || [];
  return Array.isArray(value)
    ? value.some((v) => wanted.some((x) => same(x, v)))
    : wanted.some((x) => same(x, value));
}

/** The answers a scope would send, hidden fields left out (scope.collect without its rules on
 * empty optional arrays, which logic treats like the server does: absent). */
function answersOf(scope) {
  const data = {};
  for (const control of scope.controls) {
    if (control.el.hidden) continue;
    let value;
    if (control.items) {
      if (control.nested) value = answersOf(control.items[0]);
      else value = control.items.length ? control.items.map(answersOf) : undefined;
    } else {
      value = control.get();
    }
    if (value === undefined) continue;
    if (Array.isArray(value) && !value.length && !control.field.required) continue;
    data[control.field.name] = value;
  }
  return data;
}

/** Computed fields, in passes until nothing changes (dependencies settle in as many passes as
 * the longest chain). Group items see the item's fields first (logic.itemScope). */
function computeAll(root, data) {
  const computed = [];
  for (const control of root.controls) {
    if (control.field.compute !== null && control.field.compute !== undefined) {
      computedInit(control);
      computed.push({ control, expr: control.field.compute, item: null });
    }
    if (control.items && !control.nested) {
      const names = control.field.fields.map((f) => f.name);
      control.items.forEach((scope, i) => {
        for (const c of scope.controls) {
          if (c.field.compute === null || c.field.compute === undefined) continue;
          computedInit(c);
          computed.push({ control: c, expr: c.field.compute, item: { group: control.field.name, i, names } });
        }
      });
    }
  }
  for (let pass = 0; pass <= computed.length; pass += 1) {
    let changed = false;
    for (const { control, expr, item } of computed) {
      let target = data;
      let scope = data;
      if (item) {
        const items = data[item.group];
        if (!Array.isArray(items) || !items[item.i]) continue;
        target = items[item.i];
        scope = itemScope(data, target, item.names);
      }
      const value = answerValue(evaluate(expr, scope));
      const name = control.field.name;
      if (!same(target[name], value)) {
        changed = true;
        if (value === undefined) delete target[name];
        else target[name] = value;
      }
    }
    if (!changed) break;
  }
  for (const { control, item } of computed) {
    const target = item ? (data[item.group] || [])[item.i] || {} : data;
    if (!same(control.value, target[control.field.name])) control.show(target[control.field.name]);
  }
}

/** Shown-when and required-when of one scope's controls; true when a field was shown or hidden. */
function applyScope(scope, view, legacyScope) {
  let changed = false;
  for (const control of scope.controls) {
    const field = control.field;
    let visible = true;
    if (field.visible_when) visible = legacyVisible(control, legacyScope);
    if (visible && field.visible_if !== null && field.visible_if !== undefined) {
      visible = truthy(evaluate(field.visible_if, view));
    }
    if (control.el.hidden === visible) {
      control.el.hidden = !visible;
      changed = true;
    }
    if (field.required_if !== null && field.required_if !== undefined) {
      control.requiredNow = visible && truthy(evaluate(field.required_if, view));
      const mark = control.el.querySelector("[data-req-if]");
      if (mark) mark.hidden = !control.requiredNow;
    }
  }
  return changed;
}

/** Conditions of a scope and, below it, of its groups' items (an item reads its own fields
 * first: logic.itemScope); true when a field was shown or hidden. */
function applyTree(scope, data, view) {
  let changed = applyScope(scope, view, scope);
  for (const control of scope.controls) {
    if (!control.items) continue;
    const names = control.field.fields.map((f) => f.name);
    const value = data[control.field.name];
    control.items.forEach((item, i) => {
      const own = control.nested ? value : Array.isArray(value) ? value[i] : undefined;
      const itemData = own && typeof own === "object" ? own : {};
      if (applyTree(item, itemData, itemScope(view, itemData, names))) changed = true;
    });
  }
  return changed;
}

function applyPass(root) {
  const data = answersOf(root);
  computeAll(root, data);
  return applyTree(root, data, data);
}

/** Apply every condition and computed value of the form the scope belongs to. */
export function applyConditions(scope) {
  const root = rootOf(scope);
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    if (!applyPass(root)) break;
  }
}
