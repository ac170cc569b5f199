// 逻辑: the JSON Logic the designer writes from lists (x-visibleIf, x-requiredIf, x-compute) and
// reads back into the same lists. The format is the contract with the phone and the server
// (static/mobile/logic.js, definitions/dialect/logic.py): `{"var": "key"}` names an answer; a
// condition is one row or rows under `and` / `or`; a formula is count / sum / date_diff / if.

const isObj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);
const isVar = (x) => isObj(x) && Object.keys(x).length === 1 && typeof x.var === "string";

// The operators of a row, in the order the picker lists them.
export const OPS = ["eq", "ne", "in", "has", "gt", "lt", "ge", "le", "filled"];
const SIMPLE = { eq: "==", ne: "!=", gt: ">", lt: "<", ge: ">=", le: "<=" };
const BY_SYMBOL = Object.fromEntries(Object.entries(SIMPLE).map(([k, v]) => [v, k]));

/** One row {field, op, value} as JSON Logic. */
export function rowLogic({ field, op, value }) {
  const v = { var: field };
  if (op === "filled") return { "!!": v };
  if (op === "in") return { in: [v, Array.isArray(value) ? value : [value]] };
  if (op === "has") return { in: [value, v] };
  return { [SIMPLE[op]]: [v, value] };
}

/** JSON Logic of one row back into {field, op, value}, or null when it is not one we write. */
export function rowOf(expr) {
  if (!isObj(expr) || Object.keys(expr).length !== 1) return null;
  const [[sym, args]] = Object.entries(expr);
  if (sym === "!!") {
    const arg = Array.isArray(args) ? args[0] : args;
    return isVar(arg) ? { field: arg.var, op: "filled", value: null } : null;
  }
  if (!Array.isArray(args) || args.length !== 2) return null;
  if (sym === "in") {
    if (isVar(args[0]) && Array.isArray(args[1])) return { field: args[0].var, op: "in", value: args[1] };
    if (isVar(args[1]) && !isObj(args[0])) return { field: args[1].var, op: "has", value: args[0] };
    return null;
  }
  if (BY_SYMBOL[sym] && isVar(args[0]) && !isObj(args[1]) && !Array.isArray(args[1])) {
    return { field: args[0].var, op: BY_SYMBOL[sym], value: args[1] };
  }
  return null;
}

/** {join: "and"|"or", rows} as JSON Logic; no rows: undefined (the keyword is removed). */
export function conditionLogic({ join, rows }) {
  const done = rows.filter((r) => r.field && (r.op === "filled" || (r.value !== undefined && r.value !== "")));
  if (!done.length) return undefined;
  if (done.length === 1) return rowLogic(done[0]);
  return { [join === "or" ? "or" : "and"]: done.map(rowLogic) };
}

/** JSON Logic of a condition back into {join, rows}; null when it is not one we write. */
export function conditionOf(expr) {
  if (expr === undefined || expr === null) return { join: "and", rows: [] };
  if (isObj(expr) && Object.keys(expr).length === 1 && ("and" in expr || "or" in expr)) {
    const join = "and" in expr ? "and" : "or";
    const list = expr[join];
    if (!Array.isArray(list)) return null;
    const rows = list.map(rowOf);
    return rows.every(Boolean) ? { join, rows } : null;
  }
  const row = rowOf(expr);
  return row ? { join: "and", rows: [row] } : null;
}

// Formulas: {type: "count", group} | {type: "sum", group, field} | {type: "date_diff", from, to}
// | {type: "if", cond: {join, rows}, then, else} | {type: "value", value}.

/** A formula as JSON Logic. */
export function formulaLogic(f) {
  switch (f.type) {
    case "count": return f.group ? { count: { var: f.group } } : 0;
    case "sum": return f.group && f.field ? { sum: [{ var: f.group }, f.field] } : 0;
    case "date_diff": return f.from && f.to ? { date_diff: [{ var: f.from }, { var: f.to }] } : 0;
    case "if": return { if: [conditionLogic(f.cond) ?? false, f.then ?? "", f.else ?? ""] };
    default: return f.value ?? 0;
  }
} // prettier-ignore

/** JSON Logic of a formula back into its parts; null when it is not one we write. */
export function formulaOf(expr) {
  if (!isObj(expr)) return Array.isArray(expr) ? null : { type: "value", value: expr };
  const keys = Object.keys(expr);
  if (keys.length !== 1) return null;
  const args = expr[keys[0]];
  if (keys[0] === "count" && isVar(args)) return { type: "count", group: args.var };
  if (keys[0] === "sum" && Array.isArray(args) && isVar(args[0]) && typeof args[1] === "string") {
    return { type: "sum", group: args[0].var, field: args[1] };
  }
  if (keys[0] === "date_diff" && Array.isArray(args) && isVar(args[0]) && isVar(args[1])) {
    return { type: "date_diff", from: args[0].var, to: args[1].var };
  }
  if (keys[0] === "if" && Array.isArray(args) && args.length === 3 && !isObj(args[1]) && !isObj(args[2])) {
    const cond = args[0] === false ? { join: "and", rows: [] } : conditionOf(args[0]);
    if (cond) return { type: "if", cond, then: args[1], else: args[2] };
  }
  return null;
}

/** The JSON type a formula's answer has: numbers for counts, sums and days. */
export function formulaType(f) {
  if (f.type === "if") return typeof f.then === "number" && typeof f.else === "number" ? "number" : "string";
  if (f.type === "value") return typeof f.value === "number" ? "number" : "string";
  return f.type === "sum" ? "number" : "integer";
}

/** A condition in words for a card's badge: 当 是否有隐患 等于 是 且 …; null if not ours. */
export function conditionWords(expr, titleOf, valueLabel, texts) {
  const cond = conditionOf(expr);
  if (!cond || !cond.rows.length) return cond ? "" : texts.custom_logic;
  const parts = cond.rows.map((r) => {
    const title = titleOf(r.field);
    if (r.op === "filled") return `${title} ${texts.ops.filled}`;
    const values = Array.isArray(r.value) ? r.value : [r.value];
    return `${title} ${texts.ops[r.op]} ${values.map((v) => valueLabel(r.field, v)).join("、")}`;
  });
  return parts.join(cond.join === "or" ? ` ${texts.or} ` : ` ${texts.and} `);
}
