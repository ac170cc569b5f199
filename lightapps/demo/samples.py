"""演示应用文件: the demo apps' export files (the builder's templates,
`lightapps/definitions/app_templates/`) and a valid sample submission of each (sample_files/).

An app file is what the builder's export writes (`lightapps.app/1`) and its import reads.
`sample_files/<key>.json` holds placeholder photo ids (`PHOTO_PLACEHOLDERS`); `sample_data(key,
photo_ids)` swaps in real attachment ids.
"""

import copy
import functools
import json
from pathlib import Path

from lightapps.definitions.app_templates import APP_TEMPLATE_KEYS, app_template
from lightapps.definitions.transfer import definition_read

HERE = Path(__file__).resolve().parent

# The demo apps in the order they are seeded (and so listed): the builder's templates.
DEMO_APP_KEYS = APP_TEMPLATE_KEYS

# Placeholder attachment ids used by the samples; each appears in at most one photos answer.
PHOTO_PLACEHOLDERS = [f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 13)]


@functools.cache
def _read(folder: str, key: str):
    if key not in DEMO_APP_KEYS:
        raise KeyError(key)
    with open(HERE / folder / f"{key}.json", encoding="utf-8") as f:
        return json.load(f)


def demo_app_export(key: str) -> dict:
    """A fresh copy of the app's export file, as a user would upload it to the builder."""
    export = app_template(key)
    if export is None:
        raise KeyError(key)
    return export


def demo_app(key: str) -> dict:
    """The app's definition as the import reads it: key, name, description, schema, ui, flow."""
    read = definition_read(demo_app_export(key))
    read.pop("notes")
    return read


def sample_data(key: str, photo_ids=None) -> dict:
    """A fresh copy of the app's valid sample; with photo_ids, real ids replace the placeholders.

    The n-th placeholder becomes photo_ids[n]; give at least as many ids as the sample holds
    placeholders (`len(sample_placeholders(key))`).
    """
    data = copy.deepcopy(_read("sample_files", key))
    if photo_ids is None:
        return data
    used = sample_placeholders(key)
    if len(photo_ids) < len(used):
        raise ValueError(f"{key} sample needs {len(used)} photo ids, got {len(photo_ids)}")
    mapping = {placeholder: str(pid) for placeholder, pid in zip(used, photo_ids, strict=False)}
    return _replace(data, mapping)


def sample_placeholders(key: str) -> list[str]:
    """The placeholder photo ids the app's sample uses, in the order of PHOTO_PLACEHOLDERS."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value in PHOTO_PLACEHOLDERS:
            found.add(value)

    walk(_read("sample_files", key))
    return [p for p in PHOTO_PLACEHOLDERS if p in found]


def _replace(value, mapping: dict):
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, mapping) for v in value]
    return mapping.get(value, value) if isinstance(value, str) else value
