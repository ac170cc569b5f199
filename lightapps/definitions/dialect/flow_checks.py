"""Checks of a version's flow at publish: template, open_when, routing, limits, duplicates.

Every problem is {"pointer", "message"}, the pointer into the definition (``/flow/...``), like the
schema and UI checks beside it.
"""

from django.utils.translation import gettext

from lightapps.orgs.models import OrgUnit

from ..flows import DEFAULT_DUPLICATES, FLOW_TEMPLATES, LIMIT_UNITS, NO_FLOW

# ---------------------------------------------------------------------------------------------
# Checks at publish
# ---------------------------------------------------------------------------------------------


def _field_paths(fields: dict[str, dict]) -> set[str]:
    """ "hazards", "hazards[].kind", … for every field and group member."""
    paths: set[str] = set()

    def walk(items, prefix: str) -> None:
        for f in items:
            key = f"{prefix}{f['name']}"
            paths.add(key)
            if f.get("kind") == "group":
                walk(f.get("fields", []), f"{key}[].")

    walk(fields.values(), "")
    return paths


def _limit_problems(limit, pointer: str) -> list[dict]:
    if not isinstance(limit, dict):
        return [{"pointer": pointer, "message": gettext("时限格式不正确")}]
    problems = []
    amount = limit.get("amount")
    if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
        problems.append({"pointer": f"{pointer}/amount", "message": gettext("时限必须是正数")})
    if limit.get("unit") not in LIMIT_UNITS:
        problems.append(
            {
                "pointer": f"{pointer}/unit",
                "message": gettext(
                    "时限单位必须是工作时（work_hour）、工作日（workday）或小时（hour）"
                ),
            }
        )
    return problems


def _routing_problems(rules, paths: set[str], unit_exists) -> list[dict]:
    if isinstance(rules, dict):
        rules = [rules]
    if not isinstance(rules, list):
        return [{"pointer": "/flow/routing", "message": gettext("派单规则必须是列表")}]
    problems = []
    for i, rule in enumerate(rules):
        at = f"/flow/routing/{i}"
        by = rule.get("by") if isinstance(rule, dict) else None
        if by in {"place", "reporter_street", "reporter"}:
            continue
        if by == "unit":
            code = rule.get("unit")
            if not isinstance(code, str) or not unit_exists(code):
                problems.append(
                    {"pointer": f"{at}/unit", "message": gettext("派单单位“%s”不存在") % code}
                )
        elif by == "subject":
            if rule.get("field") not in paths:
                problems.append(
                    {
                        "pointer": f"{at}/field",
                        "message": gettext("派单规则引用了不存在的字段“%s”") % rule.get("field"),
                    }
                )
            mapping = rule.get("map")
            if not isinstance(mapping, dict) or not mapping:
                problems.append(
                    {"pointer": f"{at}/map", "message": gettext("请给出答案到单位的对应")}
                )
                continue
            for answer, code in mapping.items():
                if not isinstance(code, str) or not unit_exists(code):
                    problems.append(
                        {
                            "pointer": f"{at}/map/{answer}",
                            "message": gettext("派单单位“%s”不存在") % code,
                        }
                    )
        else:
            problems.append(
                {
                    "pointer": f"{at}/by",
                    "message": gettext(
                        "派单规则必须是按位置（place）、按事项（subject）或固定单位（unit）"
                    ),
                }
            )
    return problems


def _default_unit_exists(code: str) -> bool:
    return OrgUnit.objects.filter(code=code).exists()


def flow_problems(flow, *, fields: dict[str, dict], unit_exists=None) -> list[dict]:
    """Problems of a version's flow as {"pointer", "message"}; `fields` by name from fields_of."""
    if not isinstance(flow, dict):
        return [{"pointer": "/flow", "message": gettext("流程定义必须是 JSON 对象")}]
    unit_exists = unit_exists or _default_unit_exists
    problems = []
    key = flow.get("template", NO_FLOW)
    if key != NO_FLOW and key not in FLOW_TEMPLATES:
        problems.append({"pointer": "/flow/template", "message": gettext("未知的流程“%s”") % key})
    template = FLOW_TEMPLATES.get(key)
    open_when = flow.get("open_when")
    if open_when is not None:
        if not isinstance(open_when, dict) or "field" not in open_when:
            problems.append(
                {"pointer": "/flow/open_when", "message": gettext("立案条件格式不正确")}
            )
        elif open_when["field"] not in fields:
            problems.append(
                {
                    "pointer": "/flow/open_when/field",
                    "message": gettext("立案条件引用了不存在的字段“%s”") % open_when["field"],
                }
            )
    if "routing" in flow:
        problems += _routing_problems(flow["routing"], _field_paths(fields), unit_exists)
    limits = flow.get("time_limits")
    if limits is not None:
        if not isinstance(limits, dict):
            problems.append({"pointer": "/flow/time_limits", "message": gettext("时限格式不正确")})
        else:
            for state, limit in limits.items():
                at = f"/flow/time_limits/{state}"
                if template is not None and state not in template["states"]:
                    problems.append(
                        {"pointer": at, "message": gettext("流程中没有“%s”这一状态") % state}
                    )
                    continue
                problems += _limit_problems(limit, at)
    hours = flow.get("time_limit_hours")
    if hours is not None and (not isinstance(hours, int) or isinstance(hours, bool) or hours <= 0):
        problems.append(
            {"pointer": "/flow/time_limit_hours", "message": gettext("时限必须是正整数小时")}
        )
    if flow.get("priority", "normal") not in {"normal", "urgent"}:
        problems.append(
            {"pointer": "/flow/priority", "message": gettext("优先级必须是 normal 或 urgent")}
        )
    duplicates = flow.get("duplicates")
    if duplicates is not None:
        if not isinstance(duplicates, dict):
            problems.append(
                {"pointer": "/flow/duplicates", "message": gettext("查重设置格式不正确")}
            )
        else:
            for name in ("within_m", "days"):
                value = duplicates.get(name, DEFAULT_DUPLICATES[name])
                if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                    problems.append(
                        {
                            "pointer": f"/flow/duplicates/{name}",
                            "message": gettext("必须是正整数"),
                        }
                    )
    return problems
