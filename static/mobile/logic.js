// 逻辑: the form's JSON Logic (x-visibleIf, x-requiredIf, x-compute) evaluated on the phone with
// json-logic-js (npm, loaded by form.html as a classic script: it is a UMD file that sets
// window.jsonLogic), plus the dialect's custom operations. The server evaluates the same
// expressions (definitions/dialect/logic.py) with the same rules; tests/browser/
// test_logic_agreement.py runs both on the same generated cases.

// Read when first used: pages that only import this module through others (the home page's
// outbox) do not load json-logic-js, and never evaluate anything.
let engine = null;

function jsonLogic() {
  if (engine === null) {
    engine = window.jsonLogic;
    engine.add_operation("count", count);
    engine.add_operation("sum", sum);
    engine.add_operation("date_diff", dateDiff);
  }
  return engine;
}

const isFiniteNumber = (v) => typeof v === "number" && Number.isFinite(v);

/** count: the number of items of an array (a repeated group, a multiple choice), else 0. */
function count(value) {
  return Array.isArray(value) ? value.length : 0;
}

/** sum: [items, "field"] adds item[field] over a group's items; [items] adds the items. Only
 * finite numbers count; anything else (missing, text) is skipped. */
function sum(items, key) {
  if (!Array.isArray(items)) return 0;
  let total = 0;
  for (let item of items) {
    if (key !== undefined) {
      item = item !== null && typeof item === "object" && !Array.isArray(item) ? item[String(key)] : null;
    }
    if (isFiniteNumber(item)) total += item;
  }
  return total;
}

const DAY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/;

/** Days since 0001-01-01 of a YYYY-MM-DD date (or a date-time's date as written), else null. */
export function dayNumber(value) {
  if (typeof value !== "string") return null;
  const found = DAY.exec(value);
  if (!found) return null;
  const [y, m, d] = [Number(found[1]), Number(found[2]), Number(found[3])];
  if (y < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(0, 0, 0, 0);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return Math.round(date.getTime() / 86400000);
}

/** date_diff: [start, end] = days from start to end, or null unless both are dates. */
function dateDiff(start, end) {
  const a = dayNumber(start);
  const b = dayNumber(end);
  return a === null || b === null ? null : b - a;
}

/** json-logic-js with the custom operations, errors thrown (the agreement test calls it). */
export const apply = (expr, data) => jsonLogic().apply(expr, data);

/** The value of an expression over data; an expression that fails gives null (the server
 * refused it at publish anyway). */
export function evaluate(expr, data) {
  try {
    return apply(expr, data);
  } catch (err) {
    return null;
  }
}

export const truthy = (value) => jsonLogic().truthy(value);

/** A computed result as an answer: NaN, ±Infinity, null give no answer; -0 is 0. */
export function answerValue(value) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    if (value === 0) return 0;
  }
  return value;
}

/** What `var` reads inside one item of a repeated group: the item's own fields (by name, even
 * when unanswered), then the top level for every other name (logic.item_scope on the server). */
export function itemScope(top, item, names) {
  const scope = {};
  for (const key of Object.keys(top)) if (!names.includes(key)) scope[key] = top[key];
  if (item && typeof item === "object") {
    for (const key of Object.keys(item)) if (names.includes(key)) scope[key] = item[key];
  }
  return scope;
}
