"""Submission checks: a fast accept/reject, then Chinese field-level messages for a refusal.

Two validators read the same schema and the same format functions (formats.py):
- jsonschema-rs (Rust) answers "valid or not" in a few microseconds; that is all an accepted
  submission (nearly all of them) pays;
- python jsonschema walks a refused submission again for its detailed errors, which become
  messages naming the field by its title.
Both are compiled once per published version and kept per process (`validator_for`).
tests/definitions/test_validators_agree.py (hypothesis) holds them to the same verdicts and
error paths.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonschema_rs
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema_specifications import REGISTRY as LOCAL_ONLY

from .fields import VISIBLE_IF, conditional_parts, field_titles, sections_applied
from .formats import CUSTOM_FORMATS, FORMAT_CHECKER
from .logic_answers import LogicErrors, group_items_schema, logic_errors


@dataclass(frozen=True)
class CompiledSchema:
    """Both validators of one schema; `fast` answers is_valid, `detailed` explains a refusal."""

    fast: Any
    detailed: Draft202012Validator

    def is_valid(self, data: Any) -> bool:
        return self.fast.is_valid(data)

    def iter_errors(self, data: Any):
        return self.detailed.iter_errors(data)


# A `$ref` names a part of the same definition. Left to themselves both libraries fetch any other
# URI they meet while compiling (python jsonschema through urlopen, jsonschema-rs over HTTP and
# from files): a designer's draft could make the server request an intranet address or read a
# file. checks.py refuses such a ref at its field; this makes sure nothing is ever fetched:
# LOCAL_ONLY holds the JSON Schema meta-schemas and retrieves nothing, and the retriever refuses.
def _refuse_retrieval(uri: str):
    raise ValueError(f"external reference {uri!r} is not fetched")


# `pattern` is matched in linear time on both sides: Rust's regex engine (no backtracking, so no
# lookaround or back-references; checks.py refuses those at publish). Python's jsonschema would
# use `re`, where `^(a+)+$` against 40 characters never ends: it asks the same Rust engine.
LINEAR_REGEX = jsonschema_rs.RegexOptions()


@lru_cache(maxsize=1024)
def _pattern_matcher(pattern: str):
    return jsonschema_rs.Draft202012Validator(
        {"pattern": pattern}, pattern_options=LINEAR_REGEX
    ).is_valid


def pattern_compile_error(pattern: str) -> str | None:
    """Why the linear engine cannot take this pattern, or None."""
    try:
        _pattern_matcher(pattern)
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        return str(exc).splitlines()[0]
    return None


def _linear_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _pattern_matcher(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _linear_pattern_properties(validator, patterns, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        matches = _pattern_matcher(pattern)
        for key, value in instance.items():
            if matches(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


_LinearValidator = validators.extend(
    Draft202012Validator,
    {"pattern": _linear_pattern, "patternProperties": _linear_pattern_properties},
)


# A number field without its own bounds still has these: 15 digits is what Excel (and a
# phone's JavaScript) holds exactly; a 400-digit answer would be stored and break the export.
NUMBER_LIMIT = 999_999_999_999_999


_VALUES = {"enum", "const", "default", "examples"}  # instances, not schemas


def _bounded(schema: Any) -> Any:
    """The schema with NUMBER_LIMIT as the default minimum/maximum of every number field."""
    if isinstance(schema, list):
        return [_bounded(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: value if key in _VALUES else _bounded(value) for key, value in schema.items()}
    types = schema.get("type")
    if isinstance(types, list):
        types = {t for t in types if isinstance(t, str)}
    else:  # a field named "type" under `properties` is a dict here, not a type
        types = {types} if isinstance(types, str) else set()
    if types & {"integer", "number"}:
        if "maximum" not in schema and "exclusiveMaximum" not in schema:
            out["maximum"] = NUMBER_LIMIT
        if "minimum" not in schema and "exclusiveMinimum" not in schema:
            out["minimum"] = -NUMBER_LIMIT
    return out


def _shown_when_relaxed(schema: Any) -> Any:
    """The schema without the `required` names of fields shown only when… (x-visibleIf): such a
    field is required while shown, which logic_answers checks; here and in a group's items."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return schema
    props = schema["properties"]
    out = dict(schema)
    if isinstance(schema.get("required"), list):
        out["required"] = [
            n
            for n in schema["required"]
            if not (isinstance(props.get(n), dict) and VISIBLE_IF in props[n])
        ]
    relaxed = {}
    for name, prop in props.items():
        if group_items_schema(prop) is not None:
            prop = {**prop, "items": _shown_when_relaxed(prop["items"])}
        relaxed[name] = prop
    out["properties"] = relaxed
    return out


class SchemaUncompilable(ValueError):
    """The schema cannot be compiled (a bad regex, a reference to nothing or to elsewhere)."""


def compile_schema(schema: dict) -> CompiledSchema:
    """Build both validators (slow: milliseconds). Call through `validator_for`."""
    schema = _bounded(_shown_when_relaxed(schema))
    try:
        fast = jsonschema_rs.Draft202012Validator(
            schema,
            formats=CUSTOM_FORMATS,
            validate_formats=True,
            ignore_unknown_formats=True,
            pattern_options=LINEAR_REGEX,
            retriever=_refuse_retrieval,
        )
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        raise SchemaUncompilable(str(exc).splitlines()[0]) from exc
    detailed = _LinearValidator(schema, format_checker=FORMAT_CHECKER, registry=LOCAL_ONLY)
    return CompiledSchema(fast=fast, detailed=detailed)


_VALIDATORS: dict[tuple, CompiledSchema] = {}
_MAX_CACHED = 512


def validator_for(version) -> CompiledSchema:
    """The compiled validators of a published version, built once per process.

    Published versions are immutable, so (id, publish time) identifies the schema; objects
    without a publish time (drafts, previews) are keyed by their schema text.
    """
    published_at = getattr(version, "published_at", None)
    if published_at is not None:
        key = (version.pk, published_at.isoformat())
    else:
        key = ("schema", json.dumps([version.schema, version.ui], sort_keys=True))
    compiled = _VALIDATORS.get(key)
    if compiled is None:
        if len(_VALIDATORS) >= _MAX_CACHED:
            _VALIDATORS.clear()
        compiled = compile_schema(sections_applied(version.schema, version.ui))
        _VALIDATORS[key] = compiled
    return compiled


def compiled_count() -> int:
    """How many schemas this process has compiled and kept (for tests of the cache)."""
    return len(_VALIDATORS)


def error_path(parts) -> str:
    """["hazards", 1, "severity"] -> "hazards[1].severity"."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _template_key(parts) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += "[]"
        else:
            out += f".{part}" if out else str(part)
    return out


_QUOTED = re.compile(r"'([^']+)'")

FORMAT_NAMES = {
    "date": "日期（如 2026-11-23）",
    "time": "时间（如 09:30:00+08:00）",
    "date-time": "日期时间（如 2026-11-23T09:30:00+08:00）",
    "uuid": "编号",
    "email": "电子邮箱",
    "cn-mobile": "11 位手机号码",
    "cn-resident-id": "有效的 18 位居民身份证号码",
}

TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是或否",
    "array": "列表",
    "object": "对象",
    "null": "空值",
}


def keyword_message(keyword: str, value: Any, title: str) -> str:
    """The Chinese message of one failing keyword, naming the field by its title."""
    t = title
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return _("“%(t)s”应为%(x)s") % {"t": t, "x": "或".join(TYPE_NAMES.get(x, x) for x in types)}
    if keyword == "minLength":
        return _("“%(t)s”至少需要 %(n)s 个字") % {"t": t, "n": value}
    if keyword == "maxLength":
        return _("“%(t)s”最多 %(n)s 个字") % {"t": t, "n": value}
    if keyword == "minimum":
        return _("“%(t)s”不能小于 %(n)s") % {"t": t, "n": value}
    if keyword == "maximum":
        return _("“%(t)s”不能大于 %(n)s") % {"t": t, "n": value}
    if keyword == "exclusiveMinimum":
        return _("“%(t)s”必须大于 %(n)s") % {"t": t, "n": value}
    if keyword == "exclusiveMaximum":
        return _("“%(t)s”必须小于 %(n)s") % {"t": t, "n": value}
    if keyword == "multipleOf":
        return _("“%(t)s”应为 %(n)s 的整数倍") % {"t": t, "n": value}
    if keyword == "enum":
        return _("“%(t)s”不是可选的选项") % {"t": t}
    if keyword == "const":
        return _("“%(t)s”只能是 %(v)s") % {"t": t, "v": json.dumps(value, ensure_ascii=False)}
    if keyword == "pattern":
        return _("“%(t)s”格式不正确") % {"t": t}
    if keyword == "format":
        return _("“%(t)s”应为%(f)s") % {"t": t, "f": FORMAT_NAMES.get(value, value)}
    if keyword == "minItems":
        return _("“%(t)s”至少需要 %(n)s 项") % {"t": t, "n": value}
    if keyword == "maxItems":
        return _("“%(t)s”最多 %(n)s 项") % {"t": t, "n": value}
    if keyword == "uniqueItems":
        return _("“%(t)s”中有重复项") % {"t": t}
    if keyword in {"contains", "minContains", "maxContains"}:
        return _("“%(t)s”缺少必须包含的项") % {"t": t}
    if keyword in {"minProperties", "maxProperties"}:
        return _("“%(t)s”的项目数不对") % {"t": t}
    if keyword in {"oneOf", "anyOf", "not"}:
        return _("“%(t)s”不符合任何一种允许的填法") % {"t": t}
    if keyword == "dependentRequired":
        return _("“%(t)s”缺少相关联的必填项") % {"t": t}
    return _("“%(t)s”填写不正确") % {"t": t}


def _read_only_refusal(error: ValidationError) -> bool:
    """A changed read-only answer (`readOnly` with `const` = its default, or `not: {}`)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    return bool(schema.get("readOnly")) and error.validator in {"const", "not"}


def _read_only_message(error: ValidationError, title: str) -> str:
    if error.validator == "not":
        return _("“%s”是只读项，不能填写") % title
    shown = json.dumps(error.validator_value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return _("“%(t)s”是只读项，不能修改（应为 %(v)s）") % {"t": title, "v": shown}


def _conditional_names_in_force(schema: dict, data: dict) -> set[str]:
    """Names of the conditional fields whose condition holds for this data."""
    names: set[str] = set()
    for part in schema.get("allOf", []):
        cond, then = part.get("if"), part.get("then")
        condition = (
            Draft202012Validator(cond, registry=LOCAL_ONLY) if isinstance(cond, dict) else None
        )
        holds = condition is not None and condition.is_valid(data)
        if holds and isinstance(then, dict):
            names |= set(then.get("properties", {}))
    return names


def _conditional_names(schema: dict) -> set[str]:
    return {n for _c, then in conditional_parts(schema) for n in then.get("properties", {})}


def submission_errors(version, data: Any) -> dict[str, list[str]]:
    """Field path -> Chinese messages naming the field by its title; empty when data is valid."""
    return submission_check(version, data).fields


def submission_check(version, data: Any) -> LogicErrors:
    """The schema's errors and the form logic's (logic_answers), merged per path; `forged` says
    a computed answer differs from the server's."""
    if not isinstance(data, dict):
        return LogicErrors(fields={"": [_("提交的数据必须是 JSON 对象")]}, forged=False)
    logic = logic_errors(version.schema, version.ui, data)
    errors = _schema_errors(version, data)
    for path, messages in logic.fields.items():
        bucket = errors.setdefault(path, [])
        bucket += [m for m in messages if m not in bucket]
    return LogicErrors(fields=errors, forged=logic.forged)


def _schema_errors(version, data: dict) -> dict[str, list[str]]:
    compiled = validator_for(version)
    if compiled.is_valid(data):
        return {}
    found = list(compiled.iter_errors(data))
    if not found:  # cannot happen while the validators agree; never accept on a doubt
        return {"": [_("提交的数据不符合表单定义")]}
    # Only a refused submission pays for titles and conditions.
    titles = field_titles(version.schema, version.ui)
    in_force = _conditional_names_in_force(version.schema, data)
    conditional = _conditional_names(version.schema)
    errors: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        bucket = errors.setdefault(path, [])
        if message not in bucket:
            bucket.append(message)

    for error in found:
        parts = list(error.absolute_path)
        if error.validator == "required":
            missing = [r for r in error.validator_value if r not in (error.instance or {})]
            for name in missing:
                key = _template_key([*parts, name])
                add(error_path([*parts, name]), _("请填写“%s”") % titles.get(key, name))
            continue
        if error.validator == "dependentRequired":
            for name in _QUOTED.findall(error.message)[:1]:
                key = _template_key([*parts, name])
                add(error_path([*parts, name]), _("请填写“%s”") % titles.get(key, name))
            continue
        if error.validator in {"unevaluatedProperties", "additionalProperties"}:
            for name in _QUOTED.findall(error.message):
                if not parts and name in in_force and error.validator == "unevaluatedProperties":
                    # jsonschema counts a `then` as unevaluated when any of its answers fails;
                    # that answer has its own message, the others are fine.
                    continue
                title = titles.get(_template_key([*parts, name]), name)
                if not parts and name in conditional:
                    message = _("按当前的选择，不应填写“%s”") % title
                else:
                    message = _("“%s”不是此表单的字段") % title
                add(error_path([*parts, name]), message)
            continue
        if error.validator in {"if", "allOf", "then", "else"}:
            continue
        title = titles.get(_template_key(parts), error_path(parts) or _("表单"))
        if _read_only_refusal(error):
            add(error_path(parts), _read_only_message(error, title))
            continue
        add(error_path(parts), keyword_message(error.validator, error.validator_value, title))
    if not errors:  # refused, but by nothing a field can say: still refused
        errors[""] = [_("提交的数据不符合表单定义")]
    return errors
