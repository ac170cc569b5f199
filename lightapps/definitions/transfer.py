"""导入导出: a light app as one JSON file, and a plain JSON Schema (+ RJSF uiSchema) brought in.

- `definition_export` writes {"format": "lightapps.app/1", key, name, description, schema, ui,
  flow}; reading it back (`definition_read`) gives the identical definition.
- `definition_read` also takes a bare JSON Schema, or {"schema", "uiSchema"|"ui"} as
  react-jsonschema-form users keep them, turned into the
  dialect (see `importing/`: what is translated and what becomes a note).
"""

from typing import Any

from django.utils.translation import gettext as _

from .importing import ImportError_, json_schema_import

EXPORT_FORMAT = "lightapps.app/1"
__all__ = ["EXPORT_FORMAT", "ImportError_", "definition_export", "definition_read"]


def definition_export(*, key: str, name: str, description: str, schema, ui, flow) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "key": key,
        "name": name,
        "description": description,
        "schema": schema,
        "ui": ui,
        "flow": flow,
    }


def definition_read(data: Any) -> dict:
    """{"name", "description", "key", "schema", "ui", "flow", "notes"} from an uploaded file."""
    if not isinstance(data, dict):
        raise ImportError_(_("导入的文件必须是 JSON 对象"))
    if data.get("format") == EXPORT_FORMAT:
        return {
            "key": data.get("key", ""),
            "name": data.get("name", ""),
            "description": data.get("description", ""),
            "schema": data.get("schema"),
            "ui": data.get("ui") or {},
            "flow": data.get("flow") or {"template": "none"},
            "notes": [],
        }
    if isinstance(data.get("schema"), dict):
        schema, ui = data["schema"], data.get("uiSchema") or data.get("ui") or {}
    else:
        schema, ui = data, {}
    schema, ui, notes = json_schema_import(schema, ui)
    return {
        "key": "",
        "name": str(schema.get("title", "")),
        "description": str(schema.get("description", "")),
        "schema": schema,
        "ui": ui,
        "flow": {"template": "none"},
        "notes": notes,
    }
