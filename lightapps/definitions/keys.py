"""标识: keys made from Chinese titles — a field's (建筑名称 → `jian_zhu_ming_cheng`) and an app's
(小型工地检查 → `xiao-xing-gong-di-jian-cha`) — unique among those already taken.

A field's key is what its answers are stored under, so once a version holding it is published it
never changes again (`published_field_keys`); renaming the field's title keeps it.
"""

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
APP_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _words(title: str) -> list[str]:
    # Han characters become their pinyin without tones; Latin letters and digits stay.
    syllables = lazy_pinyin(title or "", style=Style.NORMAL, errors=lambda s: [s])
    words: list[str] = []
    for syllable in syllables:
        words += [w for w in _NOT_WORD.split(syllable.lower().replace("ü", "v")) if w]
    return words


def _unique(base: str, taken: set[str], limit: int, sep: str) -> str:
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"{sep}{n}"
        candidate = base[: limit - len(suffix)].rstrip(sep) + suffix
        if candidate not in taken:
            return candidate
        n += 1


def field_key_for(title: str, taken: Iterable[str] = ()) -> str:
    """A field key from its title: pinyin words joined by `_`, at most 40 characters, starting
    with a letter (`f_` when the title starts with a digit), `field` for a title with no word."""
    base = "_".join(_words(title))[:40].rstrip("_")
    if not base:
        base = "field"
    elif not base[0].isalpha():
        base = f"f_{base}"[:40].rstrip("_")
    return _unique(base, set(taken), 40, "_")


def app_key_for(name: str, taken: Iterable[str] = ()) -> str:
    """An app key from its name: pinyin words joined by `-`, at most 64 characters."""
    base = "-".join(_words(name))[:64].rstrip("-")
    if len(base) < 2:
        base = "app"
    return _unique(base, set(taken), 64, "-")


def _field_props(schema: dict):
    """(path, property schema) of every field, those of repeated groups as `group[].key`, and of
    the conditional parts (`allOf` then) too."""

    def walk(node: dict, prefix: str):
        parts = [node, *(p.get("then") for p in node.get("allOf") or [] if isinstance(p, dict))]
        for part in parts:
            props = part.get("properties") if isinstance(part, dict) else None
            if not isinstance(props, dict):
                continue
            for name, prop in props.items():
                yield f"{prefix}{name}", prop
                if not isinstance(prop, dict):
                    continue
                items = prop.get("items")
                if prop.get("type") == "array" and isinstance(items, dict):
                    yield from walk(items, f"{prefix}{name}[].")
                elif prop.get("type") == "object":
                    yield from walk(prop, f"{prefix}{name}.")

    if isinstance(schema, dict):
        yield from walk(schema, "")


def schema_field_keys(schema: dict) -> set[str]:
    """Every field key of a schema (paths as in `_field_props`)."""
    return {path for path, _prop in _field_props(schema)}


def title_keyed_fields(schema: dict, frozen: Iterable[str]) -> list[str]:
    """Paths of the fields not yet published whose key is still the one made from their title
    (with or without a `_2`-like suffix): the designer keeps such a key following the title, in
    this page session or a later one. A key the designer typed is left alone."""
    frozen = set(frozen)
    out = []
    for path, prop in _field_props(schema):
        if path in frozen or not isinstance(prop, dict) or not isinstance(prop.get("title"), str):
            continue
        name = path.rsplit(".", 1)[-1]
        base = field_key_for(prop["title"])
        suffixed = re.fullmatch(r"(.+)(_\d+)", name)
        if (
            name == base
            or (
                suffixed  # as _unique makes it: the base cut to leave room for the suffix
                and suffixed.group(1) == base[: 40 - len(suffixed.group(2))].rstrip("_")
            )
        ):
            out.append(path)
    return out
