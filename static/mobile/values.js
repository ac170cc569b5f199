// 答案: how two answers are compared and when one counts as not given, the same for the widgets,
// the conditions and the checks before sending. A choice's value may be a string, a number or
// an object, so equality is by JSON.

export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export const isEmpty = (v) => v === undefined || (Array.isArray(v) && v.length === 0);
