"""导入不放宽: whatever python jsonschema refuses under the original schema (its own draft's
validator, the dialect's format checker), the imported definition refuses too.

Schemas are drawn from the constructs the import translates (draft-07 and 2020-12: references,
dependencies, tuple items, nullable types, choices written every usual way, read-only fields,
top-level allOf/anyOf/oneOf); instances are objects built from values the schema mentions and
values around them, so that most are near the edge of what is valid. (`hypothesis-jsonschema`
exists on PyPI, 0.23.1, but generates valid instances of drafts 4–7 only; near misses matter
more here.) `format: data-url` is left out: it becomes a file field on purpose (see form.py).
"""

import copy
from types import SimpleNamespace

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import validators

from lightapps.definitions.dialect import FORMAT_CHECKER, definition_problems, submission_errors
from lightapps.definitions.importing import json_schema_import

DRAFT7 = "http://json-schema.org/draft-07/schema#"
DRAFT2020 = "https://json-schema.org/draft/2020-12/schema"
NAMES = ["a", "b", "c", "d"]
SCALARS = [None, True, False, 0, 1, -1, 2.5, 10, 100, "", "x", "abc", "ABC", "123", "2026-01-31",
           "2026-02-30", "09:30:00+08:00", "a@b.cn", "not-an-email",
           "0f8fad5b-d9cb-4a6f-9f8b-6e8a3c6b0c31", {"k": 1}, [], [1], ["x", "y"], ["x", 1],
           [1, "x"], ["x", 1, "z"], ["x", 1, 2]]  # fmt: skip


def _string():
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["string", ["string", "null"]])},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(1, 5),
            "pattern": st.sampled_from(["^[a-z]+$", "^[0-9]{3}$", "b"]),
            "format": st.sampled_from(["date", "email", "uuid", "time"]),
            "title": st.just("文字"),
        },
    )


def _number():
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number", ["integer", "null"]])},
        optional={
            "minimum": st.integers(-1, 2),
            "maximum": st.integers(5, 100),
            "exclusiveMinimum": st.integers(-2, 0),
            "multipleOf": st.sampled_from([1, 2, 5]),
        },
    )


def _choice():
    values = st.lists(
        st.sampled_from([1, 2, 3, "a", "b", True, False, {"k": 1}, {"k": 2}, 2.5]),
        min_size=1,
        max_size=4,
        unique_by=repr,
    )
    return st.one_of(
        values.map(lambda vs: {"enum": vs}),
        values.map(lambda vs: {"enum": vs, "enumNames": [f"选项{i}" for i in range(len(vs))]}),
        st.sampled_from([1, "a", True, {"k": 1}]).map(lambda v: {"const": v}),
        values.map(lambda vs: {"oneOf": [{"const": v, "title": str(v)} for v in vs]}),
        values.map(lambda vs: {"anyOf": [{"enum": [v], "title": str(v)} for v in vs]}),
        st.just({"type": "array", "items": {"enum": ["x", "y", "z"]}, "uniqueItems": True}),
    )


def _special():
    return st.sampled_from(
        [
            {"type": "boolean"},
            {"type": "null", "title": "说明"},
            {"type": "string", "readOnly": True, "default": "abc"},
            {"type": "integer", "readOnly": True, "default": 3},
            {"type": "string", "readOnly": True},
            {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
            {"type": ["string", "integer"]},
            {"not": {"type": "string"}},
        ]
    )


def _array():
    return st.sampled_from(
        [
            {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
            {
                "type": "array",
                "items": [{"type": "integer"}],
                "additionalItems": {"type": "string"},
            },
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
            {"type": "array", "items": {"type": "string", "maxLength": 2}, "maxItems": 2},
        ]
    )


def _field():
    return st.one_of(_string(), _number(), _choice(), _special(), _array())


@st.composite
def schemas(draw):
    draft = draw(st.sampled_from([DRAFT7, DRAFT2020]))
    defs_key = "definitions" if draft == DRAFT7 else "$defs"
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=4, unique=True))
    props = {name: draw(_field()) for name in names}
    if draft == DRAFT2020:  # tuples are written with prefixItems there
        for name, prop in props.items():
            if isinstance(prop.get("items"), list):
                props[name] = {"type": "array", "prefixItems": prop["items"]}
    schema = {"$schema": draft, "type": "object", "properties": props}
    # references: a local definition, or a subschema bundled under an $id
    if draw(st.booleans()):
        name = draw(st.sampled_from(names))
        target = props[name]
        if draw(st.booleans()):
            schema[defs_key] = {"shared": target}
            props[name] = {"$ref": f"#/{defs_key}/shared", "title": "引用"}
        else:
            schema[defs_key] = {"bundled": {"$id": "https://example.cn/shared.json", **target}}
            props[name] = {"$ref": "https://example.cn/shared.json"}
    if draw(st.booleans()):
        schema["required"] = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    extra = draw(st.sampled_from(["deps_list", "deps_oneof", "allOf", "anyOf", "oneOf", "none"]))
    first = names[0]
    if extra == "deps_list":
        if draft == DRAFT7:
            schema["dependencies"] = {first: [names[1]]}
        else:
            schema["dependentRequired"] = {first: [names[1]]}
    elif extra == "deps_oneof":
        props[first] = {"enum": ["no", "yes", "maybe"]}
        branches = {
            "oneOf": [
                {"properties": {first: {"enum": ["no"]}}},
                {
                    "properties": {
                        first: {"enum": ["yes"]},
                        "e": {"type": "integer", "minimum": 1},
                    },
                    "required": ["e"],
                },
            ]
        }
        key = "dependencies" if draft == DRAFT7 else "dependentSchemas"
        schema[key] = {first: branches}
    elif extra == "allOf":
        schema["allOf"] = [
            {"properties": {"e": {"type": "string", "maxLength": 3}}, "required": ["e"]},
            {"if": {"properties": {first: {"const": 1}}}, "then": {"required": ["f"]}},
        ]
    elif extra in {"anyOf", "oneOf"}:
        if draw(st.booleans()):  # told apart by one choice
            schema[extra] = [
                {"properties": {"kind": {"const": "p"}, "e": {"type": "string"}}, "required": ["kind", "e"]},
                {"properties": {"kind": {"const": "u"}, "f": {"type": "integer"}}, "required": ["kind"]},
            ]  # fmt: skip
        else:
            schema[extra] = [{"required": [first]}, {"properties": {"e": {"const": 1}}}]
    return schema


def _values(schema) -> list:
    """Values the schema mentions and values next to them."""
    found = list(SCALARS)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"enum", "examples"} and isinstance(value, list):
                    found += value
                elif key in {"const", "default"}:
                    found.append(value)
                elif key in {"minimum", "maximum", "exclusiveMinimum"} and isinstance(value, int):
                    found += [value - 1, value, value + 1, value + 0.5]
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _reference(schema):
    return validators.validator_for(schema)(schema, format_checker=FORMAT_CHECKER)


@st.composite
def cases(draw):
    """A schema and an object: each answer left out, valid for its own field, or anything."""
    schema = draw(schemas())
    reference = _reference(schema)
    pool = _values(schema)
    pool += [[v] for v in pool[:40]] + [["x", "y"], ["x", "x"], ["a", 1]]
    instance = {}
    for name in [*NAMES, "e", "f", "kind", "zz"]:
        prop = schema["properties"].get(name)
        if prop is None:  # a key no field names, now and then
            if draw(st.integers(0, 9)) == 0:
                instance[name] = draw(st.sampled_from(pool))
            continue
        check = reference.evolve(schema=prop).is_valid
        fits = [v for v in pool if check(v)]
        # a near miss: of a JSON type some valid answer has, yet invalid
        kinds = {type(v) for v in fits}
        near = [v for v in pool if type(v) in kinds and not check(v)]
        pick = draw(st.sampled_from(["valid", "valid", "near", "valid", "absent", "valid", "any"]))
        if pick == "valid" and fits:
            instance[name] = draw(st.sampled_from(fits))
        elif pick == "near" and near:
            instance[name] = draw(st.sampled_from(near))
        elif pick != "absent":
            instance[name] = draw(st.sampled_from(pool))
    return schema, instance


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
@example(  # found by hypothesis: draft-07 ignores prefixItems, so `items: false` means no items
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "a": {"type": "array", "prefixItems": [{"type": "string"}], "items": False}
            },
        },
        {"a": [""]},
    )
)
def test_the_imported_definition_refuses_what_the_original_refuses(case):
    # given
    original, instance = case
    reference = validators.validator_for(original)(original, format_checker=FORMAT_CHECKER)

    # when
    schema, ui, _notes = json_schema_import(copy.deepcopy(original), {})
    version = SimpleNamespace(schema=schema, ui=ui, published_at=None, pk=None)
    errors = submission_errors(version, instance)

    # then: a valid 2020-12 schema both validators compile, never looser than the original
    problems = definition_problems(schema, ui, {"template": "none"})
    assert not [p for p in problems if "JSON Schema" in p["message"] or "编译" in p["message"]]
    if not reference.is_valid(instance):
        assert errors, (original, instance, schema)
