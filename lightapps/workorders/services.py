"""The one way a work order is opened or changes state."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.dialect import fields_of
from lightapps.errors import Conflict, DomainError, NotFound
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import ancestor_of_kind, person_has_role_over, unit_label
from lightapps.submissions.models import Submission

from .flows import REPORT_ACTION, flow_template, transition_for
from .models import WorkOrder, WorkOrderCounter, WorkOrderEvent
from .selectors import work_orders_visible_to

DEFAULT_TIME_LIMIT_HOURS = 72


def _next_number() -> str:
    day = timezone.localdate()
    counter, _created = WorkOrderCounter.objects.select_for_update().get_or_create(day=day)
    WorkOrderCounter.objects.filter(pk=day).update(last=counter.last + 1)
    return f"GD{day:%Y%m%d}{counter.last + 1:04d}"


def _title(submission: Submission) -> str:
    for field in fields_of(submission.version.schema, submission.version.ui):
        value = submission.data.get(field["name"])
        if field["kind"] == "text" and isinstance(value, str) and value.strip():
            return f"{submission.app.name} · {value.strip()}"[:200]
    return f"{submission.app.name} · {unit_label(submission.org_unit)}"[:200]


def _route(submission: Submission, flow: dict) -> OrgUnit:
    """Where the order goes: for now, the reporter's street (the flow issue adds more rules)."""
    street = ancestor_of_kind(submission.org_unit, OrgUnit.Kind.STREET)
    return street or submission.org_unit


def work_order_open(*, submission: Submission) -> WorkOrder:
    """上报 → 待立案: open the order of a submission, route it and write the first event."""
    flow = submission.version.flow
    template = flow_template(flow)
    if template is None:
        raise DomainError(_("该应用没有处置流程"), code="no_flow")
    assignee_unit = _route(submission, flow)
    hours = int(flow.get("time_limit_hours", DEFAULT_TIME_LIMIT_HOURS))
    order = WorkOrder.objects.create(
        number=_next_number(),
        app=submission.app,
        submission=submission,
        org_unit=submission.org_unit,
        org_path=submission.org_unit.path,
        state=template["initial"],
        assignee_unit=assignee_unit,
        title=_title(submission),
        priority=flow.get("priority", WorkOrder.Priority.NORMAL),
        due_at=timezone.now() + timedelta(hours=hours),
    )
    event = WorkOrderEvent.objects.create(
        order=order,
        actor=submission.reporter,
        action=REPORT_ACTION,
        from_state="",
        to_state=order.state,
        assignee_unit=assignee_unit,
    )
    _after_commit(event)
    return order


def allowed_transitions(*, order: WorkOrder, person: Person) -> list[dict]:
    """The transitions this person may take on this order now."""
    template = flow_template(order.submission.version.flow)
    if template is None:
        return []
    return [
        t
        for t in template["transitions"]
        if t["from"] == order.state
        and person_has_role_over(person, roles=t["roles"], unit=order.org_unit)
    ]


@transaction.atomic
def work_order_transition(
    *,
    order: WorkOrder,
    action: str,
    actor: Person,
    note: str = "",
    expected_state: str | None = None,
) -> WorkOrder:
    """The only way a work order changes state: lock, check place, role and state, log, notify.

    `expected_state` is the state the actor saw; when the order has moved on since, the action is
    refused as stale instead of being applied to a state the actor never saw.
    """
    locked = (
        work_orders_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=order.pk)
        .select_related("submission__version", "org_unit")
        .first()
    )
    if locked is None:
        raise NotFound(_("工单不存在"))
    template = flow_template(locked.submission.version.flow)
    transition = transition_for(template, action) if template else None
    if transition is None:
        raise DomainError(_("该流程没有“%s”这一操作") % action, code="unknown_action")
    if locked.state != transition["from"] or (expected_state and expected_state != locked.state):
        raise Conflict(
            _("工单状态已变化（当前：%s），请刷新后再操作")
            % template["states"][locked.state]["label"],
            code="stale_state",
        )
    if not person_has_role_over(actor, roles=transition["roles"], unit=locked.org_unit):
        raise DomainError(
            _("您没有在此处“%s”的权限") % transition["label"], code="not_allowed", status=403
        )
    note = (note or "").strip()
    if "note" in transition.get("requires", []) and not note:
        raise DomainError(
            _("“%s”需要填写说明") % transition["label"],
            code="note_required",
            fields={"note": [_("请填写说明")]},
        )
    if len(note) > 2000:
        raise DomainError(
            _("说明最多 2000 字"), code="note_too_long", fields={"note": [_("说明最多 2000 字")]}
        )
    from_state = locked.state
    locked.state = transition["to"]
    update = ["state", "updated_at"]
    if template["states"][locked.state].get("final"):
        locked.closed_at = timezone.now()
        update.append("closed_at")
    if action == "handle":
        locked.assignee = actor
        update.append("assignee")
    locked.save(update_fields=update)
    event = WorkOrderEvent.objects.create(
        order=locked,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=locked.state,
        note=note,
        assignee_unit=locked.assignee_unit,
    )
    _after_commit(event)
    return locked


def _after_commit(event: WorkOrderEvent) -> None:
    """The one hook for side effects of a step: live updates and notifications, after commit."""
    from .tasks import work_order_event_happened

    transaction.on_commit(lambda: work_order_event_happened.delay(event.pk))
