"""Flows as data: states, transitions (action, from, to, roles, what must be given), limits.

A light-app version's `flow` names a template and when a work order opens:

    {"template": "closed_loop",
     "open_when": {"field": "hazard_found", "equals": true},   # optional; absent = always
     "routing": {"by": "reporter_street"},
     "time_limit_hours": 72}

`{"template": "none"}` keeps submissions as records only.
"""

from django.utils.translation import gettext as gettext
from django.utils.translation import gettext_lazy as _

CLOSED_LOOP = {
    "key": "closed_loop",
    "name": _("闭环处置（上报→立案→派遣→处置→核查→结案）"),
    "initial": "reported",
    "states": {
        "reported": {"label": _("待立案")},
        "filed": {"label": _("待派遣")},
        "dispatched": {"label": _("待处置")},
        "handled": {"label": _("待核查")},
        "verified": {"label": _("待结案")},
        "closed": {"label": _("已结案"), "final": True},
        "rejected": {"label": _("不予立案"), "final": True},
    },
    "transitions": [
        {"action": "file", "label": _("立案"), "from": "reported", "to": "filed",
         "roles": ["dispatcher", "supervisor"]},
        {"action": "reject", "label": _("不予立案"), "from": "reported", "to": "rejected",
         "roles": ["dispatcher", "supervisor"], "requires": ["note"]},
        {"action": "dispatch", "label": _("派遣"), "from": "filed", "to": "dispatched",
         "roles": ["dispatcher"]},
        {"action": "handle", "label": _("处置完成"), "from": "dispatched", "to": "handled",
         "roles": ["handler"], "requires": ["note"]},
        {"action": "verify", "label": _("核查通过"), "from": "handled", "to": "verified",
         "roles": ["supervisor"]},
        {"action": "send_back", "label": _("退回重办"), "from": "handled", "to": "dispatched",
         "roles": ["supervisor"], "requires": ["note"]},
        {"action": "close", "label": _("结案"), "from": "verified", "to": "closed",
         "roles": ["supervisor", "dispatcher"]},
    ],
}  # fmt: skip

FLOW_TEMPLATES = {CLOSED_LOOP["key"]: CLOSED_LOOP}
NO_FLOW = "none"

# The opening step of every work order, written as its first event.
REPORT_ACTION = "report"
REPORT_LABEL = _("上报")


def flow_template(flow: dict) -> dict | None:
    """The template a version's flow names, or None when submissions stay records."""
    key = (flow or {}).get("template", NO_FLOW)
    if key == NO_FLOW:
        return None
    return FLOW_TEMPLATES[key]


def transition_for(template: dict, action: str) -> dict | None:
    return next((t for t in template["transitions"] if t["action"] == action), None)


def state_label(template: dict | None, state: str) -> str:
    if template is None:
        return state
    info = template["states"].get(state)
    return str(info["label"]) if info else state


def action_label(template: dict | None, action: str) -> str:
    if action == REPORT_ACTION:
        return str(REPORT_LABEL)
    if template is None:
        return action
    transition = transition_for(template, action)
    return str(transition["label"]) if transition else action


def flow_problems(flow, *, fields: dict[str, dict]) -> list[dict]:
    """Problems of a version's flow as {"pointer", "message"}; `fields` by name from fields_of."""
    if not isinstance(flow, dict):
        return [{"pointer": "/flow", "message": gettext("流程定义必须是 JSON 对象")}]
    problems = []
    template = flow.get("template", NO_FLOW)
    if template != NO_FLOW and template not in FLOW_TEMPLATES:
        problems.append(
            {"pointer": "/flow/template", "message": gettext("未知的流程“%s”") % template}
        )
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
    return problems


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
