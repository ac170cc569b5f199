"""导入: a JSON Schema (draft-07 or 2020-12) and an RJSF uiSchema as they are written in the wild,
turned into the dialect (see definitions/dialect/__init__.py), with notes.

Three passes over one copy of the schema:
1. refs.py — every `$ref` inlined (`#/definitions/x`, `#/$defs/x`, `$id`-named bundled
   subschemas); unresolved → `false`, recursive → kept under `$defs` for the server;
2. keywords.py — draft-07 keywords as 2020-12 (`dependencies`, tuple `items`,
   `additionalItems`) and the top-level `allOf` / `anyOf` / `oneOf` / `if`;
3. form.py — each field as the phone shows it (choices, labels, read-only, files, notes).

The rule: the imported definition refuses every answer the original schema refuses (a property
test holds it to that against python jsonschema); a construct the phone cannot show stays in the
schema for the server and is named in the notes, `{"pointer", "message"}`: the pointer is where
the construct is written in the imported file (`/schema/...` or `/ui/...`), each pointer once.
"""

from typing import Any

from django.utils.translation import gettext as _

from .form import walk_object
from .keywords import Context, rewrite, root_combinators
from .notes import Notes
from .refs import ImportTooLarge, Inliner

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class ImportError_(ValueError):
    """The file is not a definition at all (not JSON, not an object, too large once expanded)."""


def json_schema_import(schema: Any, ui: Any) -> tuple[dict, dict, list[dict]]:
    """A plain JSON Schema (+ RJSF uiSchema) as our dialect, and notes on what was changed."""
    if not isinstance(schema, dict):
        raise ImportError_(_("JSON Schema 必须是对象"))
    notes = Notes()
    inliner = Inliner(schema, notes)
    try:
        out = inliner.run()
    except ImportTooLarge as exc:
        raise ImportError_(str(exc)) from exc
    except RecursionError as exc:
        raise ImportError_(_("表单定义嵌套过深，无法导入")) from exc
    if not isinstance(out, dict):
        raise ImportError_(_("表单定义不接受任何数据（顶层为 false 或找不到引用），无法导入"))
    ui = _plain(ui) if isinstance(ui, dict) else {}
    ctx = Context(notes, inliner.origins)
    source = schema.get("$schema")
    ctx.legacy = isinstance(source, str) and any(f"draft-0{n}" in source for n in (4, 6, 7))
    rewrite(out, ("schema",), ctx)
    ptype = out.get("type")
    if isinstance(ptype, list) and "object" in ptype:
        out["type"] = "object"
    if out.get("type") != "object":
        if "properties" in out or "type" not in out:
            out["type"] = "object"
        else:
            notes.add("/schema", _("顶层必须是带字段的对象，无法生成表单"))
            out["$schema"] = DIALECT
            return out, ui, notes.as_list()
    root_combinators(out, ctx)
    walk_object(out, ui, ("schema",), ("ui",), ctx)
    if "additionalProperties" not in out and "unevaluatedProperties" not in out:
        out["unevaluatedProperties"] = False  # the dialect: an answer no field names is refused
    if ui.get("ui:readonly") or ui.get("ui:disabled"):
        notes.add("/ui/ui:readonly", _("整张表单只读无法导入：请在各字段上设置只读"))
        ui.pop("ui:readonly", None)
        ui.pop("ui:disabled", None)
    return {"$schema": DIALECT, **out}, ui, notes.as_list()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
