"""The form dialect: JSON Schema (draft 2020-12) for what is valid, a uiSchema for how to show it.

Conventions (kept close to react-jsonschema-form):

- The top-level schema is an object with `properties`, `required` and
  `"unevaluatedProperties": false` (unknown answers are refused).
- Conditional parts live in `allOf` items of the shape
  `{"if": {"properties": {"a": {"const": v}}, "required": ["a"]}, "then": {"properties": {...},
  "required": [...]}}` (or `{"enum": [...]}` instead of `const`, or `{"contains": {"const": v}}`
  for a multiple choice). The fields of `then` are shown on the phone only while the condition
  holds; when it does not hold they are unknown answers, so a hidden answer is never stored.
- `ui` holds `ui:order` (top-level order, `*` for the rest) and, per field, `ui:widget`,
  `ui:title`, `ui:description`, `ui:help`, `ui:placeholder` and `ui:options` (`section`: a
  heading before the field, `unit`, `capture`, `watermark`, `accept`, `itemTitle`, `levels`, `roles`).
- Widgets (fields.WIDGETS): text, textarea, integer, number, radio, select, checkboxes, boolean,
  date, time, datetime, photos, files, location, address, orgunit, person, mobile, idcard,
  signature, rating, heading, note; a repeated group is an array of objects whose ui entry has
  `items` with the same keys; a nested object is a one-item group.
- Formats checked on the server: date, time, date-time, uuid, cn-mobile, cn-resident-id.

- Logic (logic.py, logic_answers.py, logic_checks.py): on a property schema (top level, or a
  repeated group's `items.properties`) `x-visibleIf` (shown only while truthy; a hidden answer is
  refused), `x-requiredIf` (required while truthy and shown; `required` + `x-visibleIf` means
  required while shown) and `x-compute` (read-only on the phone, recomputed by the server, a
  differing answer refused with code `computed_mismatch`, a missing one filled in; types
  string/number/integer/boolean). Values are JSON Logic with the operators `var missing == != in
  > >= < <= !! ! and or if + - * / cat` and three custom ones: `count` (array length, else 0),
  `sum` ([items, "field"]: adds the finite numbers of item[field]; [items]: of the items) and
  `date_diff` ([start, end]: days between YYYY-MM-DD dates, else null). `{"var": "k"}` reads a
  top-level answer; inside a group item, a name of the item's fields reads the item (even when
  unanswered), any other name the top level. `logic_vars(expr)` lists the names an expression
  reads. Bounds: 12 levels, 200 nodes. Fields of another group cannot be read; cycles are refused.

Split into fields (descriptors), formats, validation (both validators, Chinese messages) and
checks (publishing); every public name stays importable from here.
"""

from .checks import definition_problems, pointer
from .fields import (
    ATTACHMENT_KINDS,
    DISPLAY_ONLY,
    WIDGETS,
    answer_paths,
    attachment_paths,
    choices_of,
    conditional_parts,
    field_titles,
    fields_of,
    kind_of,
    photo_paths,
    ui_order_kept,
)
from .formats import FORMAT_CHECKER, FORMATS, is_cn_mobile, is_resident_id
from .logic import CUSTOM_OPERATORS, OPERATORS, logic_apply, logic_vars
from .logic_answers import logic_errors, logic_evaluate, logic_filled
from .validation import (
    FORMAT_NAMES,
    SchemaUncompilable,
    compile_schema,
    compiled_count,
    error_path,
    keyword_message,
    submission_check,
    submission_errors,
    validator_for,
)

__all__ = [
    "CUSTOM_OPERATORS",
    "OPERATORS",
    "logic_apply",
    "logic_errors",
    "logic_evaluate",
    "logic_filled",
    "logic_vars",
    "submission_check",
    "ATTACHMENT_KINDS",
    "DISPLAY_ONLY",
    "FORMATS",
    "FORMAT_CHECKER",
    "FORMAT_NAMES",
    "SchemaUncompilable",
    "WIDGETS",
    "answer_paths",
    "attachment_paths",
    "choices_of",
    "compile_schema",
    "compiled_count",
    "conditional_parts",
    "definition_problems",
    "error_path",
    "field_titles",
    "fields_of",
    "is_cn_mobile",
    "is_resident_id",
    "keyword_message",
    "kind_of",
    "ui_order_kept",
    "photo_paths",
    "pointer",
    "submission_errors",
    "validator_for",
]
