// 条件: fields shown only while another answer has certain values. The server turns the schema's
// allOf if/then into each field's `visible_when`, {field, in: [...]} or {field, contains: [...]}
// (see definitions/dialect/fields.py); this applies it. A hidden field keeps what was typed, for
// the draft, but is not sent; the server checks the same if/then when it validates.

import { same } from "./values.js";

/** The control named `name` in this scope or the nearest scope around it. */
export function findControl(scope, name) {
  for (let s = scope; s; s = s.parent) {
    const control = s.controls.find((c) => c.field.name === name);
    if (control) return control;
  }
  return null;
}

/** A field with visible_when shows only while the named field's value is one of `in`. */
export function applyConditions(scope) {
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
