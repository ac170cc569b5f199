"""应用模板: the light apps a designer can start from. They are export files
(`app_templates/<key>.json`, format `lightapps.app/1`) — the same three the demo seeds — so a new
app made from one is exactly what importing that file would give."""

import copy
import functools
import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "app_templates"

# In the order the builder offers them (and the demo seeds them).
APP_TEMPLATE_KEYS = ("facade-hazard", "small-site", "flood-patrol")


@functools.cache
def _read(key: str) -> dict:
    with open(FOLDER / f"{key}.json", encoding="utf-8") as f:
        return json.load(f)


def app_template(key: str) -> dict | None:
    """A fresh copy of the template's export file; None for an unknown key."""
    if key not in APP_TEMPLATE_KEYS:
        return None
    return copy.deepcopy(_read(key))


def app_templates() -> list[dict]:
    """{"key", "name", "description", "fields"} of every template, for the new-app dialog."""
    out = []
    for key in APP_TEMPLATE_KEYS:
        data = _read(key)
        props = (data.get("schema") or {}).get("properties") or {}
        out.append(
            {
                "key": key,
                "name": data.get("name", key),
                "description": data.get("description", ""),
                "fields": len(props),
            }
        )
    return out
