"""`$ref`s inlined: local pointers, `definitions` / `$defs`, and subschemas bundled under an `$id`.

The phone draws a form from one tree, so every reference is replaced by a copy of what it names
(resolved by `referencing`, the library python jsonschema uses, with no network: a remote
reference that is not bundled is unresolved). What cannot be inlined stays strict:

- an unresolved reference becomes `false` (no answer is accepted there) and is noted;
- a recursive one (a tree: an item holding items) is inlined once for the phone, and its inner
  occurrence is kept as `{"$ref": "#/$defs/<name>"}` with the definition kept under `$defs`,
  so the server still checks the whole tree (the fields pass hides such a field on the phone);
- a cycle of references with nothing in between (`a` → `b` → `a`) names no schema at all:
  it becomes `false`.

Keywords beside a `$ref` are kept: a title or description overrides the target's (as
react-jsonschema-form shows it); a constraint is added to the target's (stricter than draft-07,
which ignores them, never looser). A copy is bounded (`MAX_NODES`, `MAX_DEPTH`) so that
references that double at each level cannot blow up.
"""

import contextlib
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext as _
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT7, DRAFT202012, specification_with

from .notes import Notes, short

ROOT_URI = "urn:lightapps:import"
MAX_NODES = 20_000
MAX_DEPTH = 128
# Values, not schemas: copied as they are.
VALUE_KEYWORDS = {"enum", "const", "default", "examples", "enumNames", "required"}
# Keywords holding a map of name -> schema.
SCHEMA_MAPS = {"properties", "patternProperties", "dependentSchemas", "dependencies"}
# Kept from the keywords beside a `$ref` as they are (what RJSF shows), overriding the target's.
ANNOTATIONS = {
    "title", "description", "default", "examples", "$comment", "readOnly", "writeOnly",
    "deprecated", "enumNames",
}  # fmt: skip
DROPPED = {"$id", "id", "$schema", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary"}


class ImportTooLarge(ValueError):
    """The inlined schema would be too large or too deep to store and draw."""


def schema_paths(node: Any, path: tuple = ()) -> dict[int, tuple]:
    """id(object) -> where it is written in the original schema (for the notes' pointers)."""
    paths: dict[int, tuple] = {}
    stack = [(path, node)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            paths.setdefault(id(item), where)
            stack.extend((where + (k,), v) for k, v in item.items())
        elif isinstance(item, list):
            paths.setdefault(id(item), where)
            stack.extend((where + (i,), v) for i, v in enumerate(item))
    return paths


def _specification(schema: dict):
    dialect = schema.get("$schema")
    if isinstance(dialect, str) and ("2020-12" in dialect or "2019-09" in dialect):
        return DRAFT202012
    try:
        return specification_with(dialect, default=DRAFT7) if isinstance(dialect, str) else DRAFT7
    except Exception:  # an unknown $schema: react-jsonschema-form users write draft-07
        return DRAFT7


def _is_pure_ref(node: Any) -> bool:
    return isinstance(node, dict) and "$ref" in node and set(node) - {"$ref"} <= ANNOTATIONS


class Inliner:
    """One copy of the schema with its references inlined; `origins` maps each copied node to
    where it was written; `kept` holds the definitions recursive references still need."""

    def __init__(self, root: dict, notes: Notes):
        self.notes = notes
        self.paths = schema_paths(root, ("schema",))
        self.origins: dict[int, tuple] = {}
        self.kept: dict[int, str] = {}  # id(target) -> name under $defs
        self.defs: dict[str, Any] = {}
        self.count = 0
        self.spec = _specification(root)
        resource = self.spec.create_resource(root)
        base = resource.id() if isinstance(resource.id(), str) and resource.id() else ROOT_URI
        try:
            registry = Registry().with_resource(base, resource).crawl()
        except Exception:  # a malformed $id somewhere: local pointers still resolve
            registry = Registry().with_resource(ROOT_URI, resource)
            base = ROOT_URI
        self.resolver = registry.resolver(base_uri=base)
        self.root = root
        self.stack: list[tuple[int, bool]] = [(id(root), False)]

    def run(self) -> Any:
        out = self.copy(self.root, self.resolver, ("schema",), 0)
        if self.defs and isinstance(out, dict):
            out["$defs"] = self.defs
        return out

    def _remember(self, copied: Any, where: tuple) -> Any:
        if isinstance(copied, dict | list):
            self.origins.setdefault(id(copied), where)
        return copied

    def copy(self, node: Any, resolver, where: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ImportTooLarge(_("展开引用后表单超过 %d 个节点，无法导入") % MAX_NODES)
        if depth > MAX_DEPTH:
            raise ImportTooLarge(_("展开引用后表单嵌套超过 %d 层，无法导入") % MAX_DEPTH)
        if isinstance(node, list):
            out = [self.copy(v, resolver, (*where, i), depth + 1) for i, v in enumerate(node)]
            return self._remember(out, where)
        if not isinstance(node, dict):
            return node
        if node is not self.root and isinstance(node.get("$id"), str):
            with contextlib.suppress(Exception):  # a malformed $id: resolve from the outer base
                resolver = resolver.in_subresource(self.spec.create_resource(node))
        if isinstance(node.get("$ref"), str):
            return self._ref(node, resolver, where, depth)
        for dynamic in ("$dynamicRef", "$recursiveRef"):
            if dynamic in node:
                self.notes.add(
                    (*where, dynamic),
                    _("不支持动态引用 %s：此项不接受任何填写") % short(node[dynamic]),
                )
                return refuse_all(node)
        out: dict = {}
        for key, value in node.items():
            if key in DROPPED or key in {"definitions", "$defs"}:
                continue  # inlined where they are used
            if key in VALUE_KEYWORDS:
                out[key] = _plain_copy(value)
            elif key in SCHEMA_MAPS and isinstance(value, dict):
                out[key] = self._remember(
                    {
                        name: self.copy(sub, resolver, (*where, key, name), depth + 1)
                        for name, sub in value.items()
                    },
                    (*where, key),
                )
            else:
                out[key] = self.copy(value, resolver, (*where, key), depth + 1)
        return self._remember(out, where)

    def _lookup(self, resolver, ref: str):
        try:
            return resolver.lookup(ref)
        except Unresolvable:
            return None
        except Exception:  # e.g. a draft-07 keyword where the declared draft has a schema
            pass
        if not ref.startswith("#/"):
            return None
        node: Any = self.root
        for part in ref[2:].split("/"):
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return SimpleNamespace(contents=node, resolver=resolver)

    def _ref(self, node: dict, resolver, where: tuple, depth: int) -> Any:
        ref = node["$ref"]
        siblings = {
            k: v for k, v in node.items() if k not in {"$ref", "definitions", "$defs", *DROPPED}
        }
        resolved = self._lookup(resolver, ref)
        if resolved is None:
            self.notes.add(
                (*where, "$ref"),
                _("找不到引用 %s：此项不接受任何填写，手机上不显示，请补上引用的定义") % short(ref),
            )
            return refuse_all(siblings)
        target = resolved.contents
        at = self.paths.get(id(target), where)
        frames = [i for i, (seen, _pure) in enumerate(self.stack) if seen == id(target)]
        if frames:
            if all(pure for _seen, pure in self.stack[frames[0] :]):
                self.notes.add(
                    (*where, "$ref"),
                    _("引用 %s 形成循环，没有任何内容：此项不接受任何填写") % short(ref),
                )
                return refuse_all(siblings)
            name = self.kept.get(id(target))
            if name is None:
                base = str(at[-1]) if len(at) > 1 else "root"
                name = base
                n = 2
                while name in self.defs or name in self.kept.values():
                    name, n = f"{base}_{n}", n + 1
                self.kept[id(target)] = name
            self.notes.add(
                (*where, "$ref"),
                _("递归引用 %s：手机上无法填写这一层，提交时仍按原定义检查") % short(ref),
            )
            out = {"$ref": f"#/$defs/{name}"}
            return self._remember(merge(out, _plain_copy(siblings)), where)
        self.stack.append((id(target), _is_pure_ref(target)))
        try:
            inlined = self.copy(target, resolved.resolver, at, depth + 1)
        finally:
            self.stack.pop()
        name = self.kept.get(id(target))
        if name is not None and name not in self.defs:
            self.defs[name] = _plain_copy(inlined)
        if not siblings:
            return inlined
        copied = {k: self.copy(v, resolver, (*where, k), depth + 1) for k, v in siblings.items()}
        return self._remember(merge(inlined, copied), where)


def refuse_all(beside: dict) -> dict:
    """No answer is valid here (`not: {}`); the title beside it still names the field."""
    return {**{k: v for k, v in beside.items() if k in {"title", "description"}}, "not": {}}


def merge(target: Any, siblings: dict) -> Any:
    """A `$ref`'s target with the keywords written beside it: annotations override, constraints
    are added (both hold)."""
    if target is False:
        return False
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in siblings.items():
        if key not in out or out[key] == value or key in ANNOTATIONS:
            out[key] = value
        else:
            kept = out["allOf"] if isinstance(out.get("allOf"), list) else []
            out["allOf"] = [*kept, {key: value}]
    return out


def _plain_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_copy(v) for v in value]
    return value
