"""Flows as data: states, transitions (action, from, to, roles, what must be given), limits.

A light-app version's `flow` names a template and says when a work order opens, where it goes
and how long each step may take:

    {"template": "closed_loop",
     "open_when": {"field": "hazard_found", "equals": true},   # optional; absent = always
     "routing": [                                              # first match wins
         {"by": "subject", "field": "hazards[].kind", "map": {"facing": "310106-D-FGJ"}},
         {"by": "place"},                         # the grid the GPS point lies in → its street
         {"by": "unit", "unit": "310106-D-CGZF"}, # a fixed unit
     ],                                           # nothing matched: the reporter's street
     "time_limits": {"dispatched": {"amount": 3, "unit": "workday"}},   # overrides the template
     "time_limit_hours": 72,                      # older shape: the 处置 limit in working hours
     "priority": "urgent",                        # urgent: limits count calendar hours
     "duplicates": {"within_m": 50, "days": 7}}   # candidates shown to the dispatcher

`{"template": "none"}` keeps submissions as records only.

A transition is {"action", "label", "from", "to", "roles", "at", "requires"}:
- `roles`: who may take it; `at`: where the role must be held — "place" (the unit where the
  problem is, or above; the default) or "assignee" (the unit the order is assigned to, or above);
- `requires`: what must be given — "note", "photos", "target_unit" (派遣/改派), "extension"
  (延期 length), "target_order" (合并);
- `photos`: true when photos may be given without being required (处置后、核查照片);
- `backward`: true for a step that undoes or refuses work (退回、不予立案、挂起…): the faces show
  it as the quieter, warning-coloured button;
- `duplicates`: true for the decisions on duplicate candidates (合并 / 不是重复), offered beside
  the candidates rather than among the other steps.
Time limits: {"amount": n, "unit": "work_hour" | "workday" | "hour"}; "hour" is calendar time.
The deadline clock starts at 派遣 (the template gives no limit to the states before it).
"""

from django.utils.translation import gettext_lazy as _

REQUIREMENTS = {"note", "photos", "target_unit", "extension", "target_order"}
PLACES = {"place", "assignee"}
LIMIT_UNITS = {"work_hour", "workday", "hour"}
ROLES = {"reporter", "handler", "dispatcher", "supervisor", "admin"}

CLOSED_LOOP = {
    "key": "closed_loop",
    "name": _("闭环处置（上报→立案→派遣→处置→核查→结案）"),
    "initial": "reported",
    "verify_state": "verified",
    "states": {
        "reported": {"label": _("待立案")},
        "filed": {"label": _("待派遣")},
        "dispatched": {"label": _("待处置"), "limit": {"amount": 3, "unit": "workday"}},
        "extension_requested": {"label": _("延期审批中"), "limit": "keep"},
        "suspended": {"label": _("挂起"), "paused": True},
        "handled": {"label": _("待核查"), "limit": {"amount": 1, "unit": "workday"}},
        "verified": {"label": _("待结案"), "limit": {"amount": 4, "unit": "work_hour"}},
        "closed": {"label": _("已结案"), "final": True},
        "rejected": {"label": _("不予立案"), "final": True},
        "merged": {"label": _("已合并"), "final": True},
    },
    "transitions": [
        {"action": "file", "label": _("立案"), "from": "reported", "to": "filed",
         "roles": ["dispatcher", "supervisor"]},
        {"action": "reject", "backward": True, "label": _("不予立案"), "from": "reported", "to": "rejected",
         "roles": ["dispatcher", "supervisor"], "requires": ["note"]},
        {"action": "merge", "duplicates": True, "label": _("合并到已有工单"), "from": "reported", "to": "merged",
         "roles": ["dispatcher", "supervisor"], "requires": ["target_order"]},
        {"action": "keep_separate", "duplicates": True, "label": _("不是重复，单独办理"), "from": "reported",
         "to": "reported", "roles": ["dispatcher", "supervisor"]},
        {"action": "dispatch", "label": _("派遣"), "from": "filed", "to": "dispatched",
         "roles": ["dispatcher"], "requires": ["target_unit"]},
        {"action": "send_back", "backward": True, "label": _("退回派遣"), "from": "dispatched", "to": "filed",
         "roles": ["handler"], "at": "assignee", "requires": ["note"]},
        {"action": "reassign", "label": _("改派"), "from": "dispatched", "to": "dispatched",
         "roles": ["dispatcher"], "requires": ["target_unit", "note"]},
        {"action": "handle", "label": _("处置完成"), "from": "dispatched", "to": "handled",
         "roles": ["handler"], "at": "assignee", "requires": ["note"], "photos": True},
        {"action": "request_extension", "label": _("申请延期"), "from": "dispatched",
         "to": "extension_requested", "roles": ["handler"], "at": "assignee",
         "requires": ["extension", "note"]},
        {"action": "approve_extension", "label": _("同意延期"), "from": "extension_requested",
         "to": "dispatched", "roles": ["supervisor"]},
        {"action": "reject_extension", "backward": True, "label": _("不同意延期"), "from": "extension_requested",
         "to": "dispatched", "roles": ["supervisor"], "requires": ["note"]},
        {"action": "suspend", "backward": True, "label": _("挂起"), "from": "dispatched", "to": "suspended",
         "roles": ["supervisor"], "requires": ["note"]},
        {"action": "resume", "label": _("恢复办理"), "from": "suspended", "to": "dispatched",
         "roles": ["supervisor"]},
        {"action": "verify", "label": _("核查通过"), "from": "handled", "to": "verified",
         "roles": ["supervisor"], "photos": True},
        {"action": "rework", "backward": True, "label": _("退回返工"), "from": "handled", "to": "dispatched",
         "roles": ["supervisor"], "requires": ["note"], "photos": True},
        {"action": "close", "label": _("结案"), "from": "verified", "to": "closed",
         "roles": ["supervisor", "dispatcher"]},
    ],
}  # fmt: skip

SHORT_REVIEW = {
    "key": "short_review",
    "name": _("简易审核（提交→审核→完成）"),
    "initial": "reported",
    "verify_state": "reviewed",
    "states": {
        "reported": {"label": _("待审核"), "limit": {"amount": 2, "unit": "workday"}},
        "reviewed": {"label": _("已完成"), "final": True},
        "rejected": {"label": _("未通过"), "final": True},
    },
    "transitions": [
        {"action": "review", "label": _("审核通过"), "from": "reported", "to": "reviewed",
         "roles": ["supervisor", "dispatcher"]},
        {"action": "reject", "backward": True, "label": _("审核不通过"), "from": "reported", "to": "rejected",
         "roles": ["supervisor", "dispatcher"], "requires": ["note"]},
    ],
}  # fmt: skip

FLOW_TEMPLATES = {CLOSED_LOOP["key"]: CLOSED_LOOP, SHORT_REVIEW["key"]: SHORT_REVIEW}
NO_FLOW = "none"

# The opening step of every work order, written as its first event.
REPORT_ACTION = "report"
REPORT_LABEL = _("上报")

# Steps written by the system (actor None) and the merge note on the surviving order.
SYSTEM_ACTIONS = {
    "due_soon": _("即将超时"),
    "overdue": _("已超时"),
    "escalate": _("超时升级督办"),
    "merged_in": _("并入重复上报"),
}

DEFAULT_DUPLICATES = {"within_m": 50, "days": 7}


def flow_template(flow: dict) -> dict | None:
    """The template a version's flow names, or None when submissions stay records."""
    key = (flow or {}).get("template", NO_FLOW)
    if key == NO_FLOW:
        return None
    return FLOW_TEMPLATES[key]


def transition_for(template: dict, action: str) -> dict | None:
    return next((t for t in template["transitions"] if t["action"] == action), None)


def takes_photos(transition: dict) -> bool:
    """Whether the faces offer a photo upload for this step (required or optional)."""
    return bool(transition.get("photos")) or "photos" in transition.get("requires", [])


def is_backward(transition: dict) -> bool:
    """A step that undoes or refuses work (退回、不予立案、挂起…)."""
    return bool(transition.get("backward"))


def decides_duplicates(transition: dict) -> bool:
    """合并 / 不是重复: decided beside the duplicate candidates."""
    return bool(transition.get("duplicates"))


def state_label(template: dict | None, state: str) -> str:
    if template is None:
        return state
    info = template["states"].get(state)
    return str(info["label"]) if info else state


def action_label(template: dict | None, action: str) -> str:
    if action == REPORT_ACTION:
        return str(REPORT_LABEL)
    if action in SYSTEM_ACTIONS:
        return str(SYSTEM_ACTIONS[action])
    if template is None:
        return action
    transition = transition_for(template, action)
    return str(transition["label"]) if transition else action


def state_limit(flow: dict, state: str) -> dict | None | str:
    """The time limit of a state under this flow: a limit dict, None (no clock) or "keep"."""
    template = flow_template(flow)
    if template is None or state not in template["states"]:
        return None
    overrides = (flow or {}).get("time_limits") or {}
    if state in overrides:
        return overrides[state]
    hours = (flow or {}).get("time_limit_hours")
    if hours and state == "dispatched":
        # The older single limit: the 处置 step, in working hours (calendar hours when urgent).
        return {"amount": hours, "unit": "work_hour"}
    return template["states"][state].get("limit")


LIMIT_UNIT_LABELS = {"work_hour": _("个工作小时"), "workday": _("个工作日"), "hour": _("小时")}


def flow_limits_text(flow: dict) -> list[str]:
    """The time limit of each timed state in words, e.g. ["待处置 3 个工作日", "待核查 1 个工作日"]."""
    template = flow_template(flow)
    if template is None:
        return []
    texts = []
    for state, info in template["states"].items():
        limit = state_limit(flow, state)
        if isinstance(limit, dict) and limit.get("unit") in LIMIT_UNIT_LABELS:
            unit = LIMIT_UNIT_LABELS[limit["unit"]]
            texts.append(f"{info['label']} {limit.get('amount')} {unit}")
    return texts


def flow_is_urgent(flow: dict) -> bool:
    """紧急: limits count calendar hours (a workday is 24 hours) instead of working time."""
    return (flow or {}).get("priority") == "urgent"


def duplicate_settings(flow: dict) -> dict:
    return {**DEFAULT_DUPLICATES, **((flow or {}).get("duplicates") or {})}


def routing_rules(flow: dict) -> list[dict]:
    rules = (flow or {}).get("routing") or []
    # The old single-rule shape {"by": "reporter_street"} still reads as one rule.
    return [rules] if isinstance(rules, dict) else list(rules)


def flow_opens_order(flow: dict, data: dict) -> bool:
    """Whether a submission with this data opens a work order under this flow."""
    if (flow or {}).get("template", "none") == "none":
        return False
    open_when = flow.get("open_when")
    if not open_when:
        return True
    value = data.get(open_when["field"])
    if "equals" in open_when:
        return value == open_when["equals"]
    if "in" in open_when:
        return value in open_when["in"]
    return bool(value)


def answers_at(data: dict, path: str) -> list:
    """Every answer at a path such as "hazards[].kind" (one per group item), in order."""
    values = [data]
    for part in path.split("."):
        nxt = []
        many = part.endswith("[]")
        name = part.removesuffix("[]")
        for value in values:
            if not isinstance(value, dict) or name not in value:
                continue
            item = value[name]
            if many and isinstance(item, list):
                nxt.extend(item)
            elif not many:
                nxt.append(item)
        values = nxt
    return values
