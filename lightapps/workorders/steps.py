"""办理: which steps a person may take on an order now, and what a face sends for one.

Written once for the phone, the console and the API alike:
- `allowed_transitions` / `may_take`: role, place and state (the transition service checks again
  under the row lock);
- `step_actions`: those steps as the faces show them — label, target state, which inputs each
  needs, backward or forward, the main one;
- `step_input_parse`: a form post or an API body turned into work_order_transition's arguments,
  wrong types refused with one error shape.
"""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lightapps.definitions.flows import (
    decides_duplicates,
    flow_template,
    is_backward,
    state_label,
    takes_photos,
)
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import ancestor_of_kind, person_has_role_over
from lightapps.submissions.models import Attachment

from .models import WorkOrder


def _acting_unit(order: WorkOrder, transition: dict) -> OrgUnit:
    if transition.get("at") == "assignee" and order.assignee_unit is not None:
        return order.assignee_unit
    return order.org_unit


def may_take(person: Person, order: WorkOrder, transition: dict) -> bool:
    """Whether the person holds one of the step's roles where the step says (place or assignee)."""
    return person_has_role_over(
        person, roles=transition["roles"], unit=_acting_unit(order, transition)
    )


def allowed_transitions(*, order: WorkOrder, person: Person) -> list[dict]:
    """The transitions this person may take on this order now."""
    template = flow_template(order.submission.version.flow)
    if template is None:
        return []
    return [
        t
        for t in template["transitions"]
        if t["from"] == order.state and may_take(person, order, t)
    ]


def dispatch_targets(*, order: WorkOrder) -> list[OrgUnit]:
    """Units an order may be sent to (派遣/改派): its street and grids, and the district's departments."""
    district = ancestor_of_kind(order.org_unit, OrgUnit.Kind.DISTRICT)
    street = ancestor_of_kind(order.org_unit, OrgUnit.Kind.STREET)
    units = OrgUnit.objects.none()
    if street is not None:
        units = OrgUnit.objects.filter(
            path__startswith=street.path, kind__in=[OrgUnit.Kind.STREET, OrgUnit.Kind.GRID]
        )
    if district is not None:
        units = units | OrgUnit.objects.filter(parent=district, kind=OrgUnit.Kind.DEPARTMENT)
    extra = [order.assignee_unit_id] if order.assignee_unit_id else []
    return list((units | OrgUnit.objects.filter(pk__in=extra)).distinct().order_by("kind", "path"))


MAX_STEP_PHOTOS = 9


def step_photos_usable(actor: Person, ids) -> QuerySet[Attachment]:
    """Uploads a step of this person may carry: their own pictures, not yet bound to a report."""
    return Attachment.objects.filter(
        pk__in=ids, uploader=actor, submission__isnull=True, content_type__startswith="image/"
    )


# The units a 申请延期 may be asked in, as the faces offer them (the service checks the length).
EXTENSION_UNITS = [("workday", _lazy("工作日")), ("work_hour", _lazy("工作小时"))]


def step_requires(*, order: WorkOrder, transition: dict) -> list[str]:
    """What this step needs given for this order, as the action list says and the service checks:
    a 派遣 of an order routed to a unit goes to that unit unless another is chosen."""
    requires = list(transition.get("requires", []))
    if transition["action"] == "dispatch" and order.assignee_unit_id and "target_unit" in requires:
        requires.remove("target_unit")
    return requires


def step_actions(*, order: WorkOrder, person: Person) -> list[dict]:
    """The steps this person may take now, as every face shows them.

    Each: {"action", "label", "to" (the state it leads to), "requires", "needs_note",
    "needs_unit", "needs_extension", "needs_target_order", "photos" (an uploader is offered),
    "backward" (the warning-coloured button), "duplicates" (decided beside the duplicate
    candidates), "primary" (the first forward step: the main button)}.
    """
    template = flow_template(order.submission.version.flow)
    actions = []
    for t in allowed_transitions(order=order, person=person):
        requires = step_requires(order=order, transition=t)
        actions.append(
            {
                "action": t["action"],
                "label": str(t["label"]),
                "to": state_label(template, t["to"]),
                "requires": requires,
                "needs_note": "note" in requires,
                # A unit chooser is offered even where the routed unit is the default.
                "needs_unit": "target_unit" in t.get("requires", []),
                "needs_extension": "extension" in requires,
                "needs_target_order": "target_order" in requires,
                "photos": takes_photos(t),
                "backward": is_backward(t),
                "duplicates": decides_duplicates(t),
                "primary": False,
            }
        )
    forward = next((a for a in actions if not a["backward"] and not a["duplicates"]), None)
    if forward is not None:
        forward["primary"] = True
    return actions


def _text(value, name: str, errors: dict) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = [_("必须是文字")]
        return ""
    return value


def _integer(value, name: str, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[name] = [_("必须是整数")]
        return None
    try:
        return int(value)
    except ValueError:
        errors[name] = [_("必须是整数")]
        return None


def step_input_parse(raw: Mapping) -> dict:
    """A step's input, from a form post (a QueryDict) or an API body (a dict), as the keyword
    arguments of work_order_transition (less order and actor).

    Forms send the extension as `extension_amount` + `extension_unit` and photos as repeated
    `photos` fields; the API sends `extension` as {"amount", "unit"} and `photos` as a list.
    A value of the wrong type is refused as `invalid`, naming each such field; what the step
    requires, and whether the values are allowed, the transition service decides.
    """
    errors: dict[str, list[str]] = {}
    action = _text(raw.get("action"), "action", errors)
    if not action and "action" not in errors:
        errors["action"] = [_("请选择要办理的操作")]
    note = _text(raw.get("note"), "note", errors)
    expected_state = _text(raw.get("expected_state"), "expected_state", errors)
    expected_version = _integer(raw.get("expected_version"), "expected_version", errors)
    target_unit = _integer(raw.get("target_unit"), "target_unit", errors)
    target_order = _integer(raw.get("target_order"), "target_order", errors)
    extension = raw.get("extension")
    if extension is None and (raw.get("extension_amount") or raw.get("extension_unit")):
        extension = {"amount": raw.get("extension_amount"), "unit": raw.get("extension_unit")}
    if extension is not None and not isinstance(extension, dict):
        errors["extension"] = [_('必须是对象，如 {"amount": 2, "unit": "workday"}')]
        extension = None
    photos = raw.getlist("photos") if hasattr(raw, "getlist") else raw.get("photos")
    if photos is None:
        photos = []
    if not isinstance(photos, list) or not all(isinstance(p, str) for p in photos):
        errors["photos"] = [_("必须是照片编号的列表")]
        photos = []
    elif len(photos) > MAX_STEP_PHOTOS:
        errors["photos"] = [_("每次办理最多上传 %d 张照片") % MAX_STEP_PHOTOS]
    if errors:
        raise DomainError(_("请检查填写的内容"), code="invalid", fields=errors)
    return {
        "action": action,
        "note": note,
        "expected_state": expected_state or None,
        "expected_version": expected_version,
        "target_unit": target_unit,
        "extension": extension,
        "target_order": target_order,
        "photos": photos,
    }
