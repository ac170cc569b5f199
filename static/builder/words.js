// 公式的文字: a computed field's formula in words for its card, from formulaOf's parts.

import { fmt } from "./dom.js";
import { conditionWords, formulaOf } from "./logic-model.js";

export function formulaWords(expr, helpers, texts) {
  const f = formulaOf(expr);
  const words = texts.formula_words;
  if (!f) return texts.custom_logic;
  const t = helpers.titleOf;
  switch (f.type) {
    case "count": return fmt(words.count, t(f.group));
    case "sum": return fmt(words.sum, { group: t(f.group), field: f.field });
    case "date_diff": return fmt(words.date_diff, { from: t(f.from), to: t(f.to) });
    case "if": {
      const cond = conditionWords(expr.if[0], t, (n, v) => helpers.valueLabel(n, v, texts), texts);
      return fmt(words.if, { cond, then: f.then, else: f.else });
    }
    default: return String(f.value);
  }
} // prettier-ignore
