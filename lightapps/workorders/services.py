"""The one way a work order changes state (opening one: opening.py)."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import flow_template, state_label, takes_photos, transition_for
from lightapps.errors import Conflict, DomainError, NotFound
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Attachment, Submission

from .deadlines import deadline_for_step
from .models import WorkOrder, WorkOrderEvent
from .relay import effects_are_withheld, enqueue_after_commit
from .selectors import work_orders_visible_to
from .steps import (
    MAX_STEP_PHOTOS,
    dispatch_targets,
    may_take,
    step_photos_usable,
    step_requires,
)

# The longest extension one request may ask for.
MAX_EXTENSION_WORKDAYS = 30


def _required(transition: dict, what: str) -> bool:
    return what in transition.get("requires", [])


def _check_target_unit(order, transition, target_unit) -> OrgUnit | None:
    if target_unit is None:
        if "target_unit" in step_requires(order=order, transition=transition):
            raise DomainError(
                _("请选择承办单位"),
                code="target_unit_required",
                fields={"target_unit": [_("请选择承办单位")]},
            )
        if transition["action"] == "dispatch" and order.assignee_unit is not None:
            return order.assignee_unit  # the routed unit is the default of 派遣 (step_requires)
        return None
    unit_id = target_unit.pk if isinstance(target_unit, OrgUnit) else target_unit
    allowed = {u.pk: u for u in dispatch_targets(order=order)}
    try:
        unit = allowed.get(int(unit_id))
    except (TypeError, ValueError):
        unit = None
    if unit is None:
        raise DomainError(
            _("不能派往该单位"),
            code="bad_target_unit",
            fields={"target_unit": [_("不能派往该单位")]},
        )
    if transition["action"] == "reassign" and unit.pk == order.assignee_unit_id:
        raise DomainError(
            _("改派必须换一个单位"),
            code="bad_target_unit",
            fields={"target_unit": [_("改派必须换一个单位")]},
        )
    return unit


def _check_extension(transition, extension) -> dict | None:
    if not _required(transition, "extension"):
        return None
    message = _("延期时长必须是 1 到 %d 个工作日，或相应的工作小时") % MAX_EXTENSION_WORKDAYS
    if not isinstance(extension, dict):
        raise DomainError(message, code="bad_extension", fields={"extension": [message]})
    unit = extension.get("unit")
    try:
        amount = int(extension.get("amount"))
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity, 1e400
        amount = 0
    top = MAX_EXTENSION_WORKDAYS * (8 if unit == "work_hour" else 1)
    if unit not in {"workday", "work_hour"} or not 1 <= amount <= top:
        raise DomainError(message, code="bad_extension", fields={"extension": [message]})
    return {"amount": amount, "unit": unit}


def _check_photos(transition, photos, actor) -> list[str]:
    """Photos of a step: the actor's own fresh uploads, only where the flow takes them."""
    ids = []
    for raw in photos or ():
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError as exc:
            raise DomainError(
                _("照片编号不正确"), code="bad_photos", fields={"photos": [_("照片编号不正确")]}
            ) from exc
    if _required(transition, "photos") and not ids:
        raise DomainError(
            _("“%s”需要上传照片") % transition["label"],
            code="photos_required",
            fields={"photos": [_("请上传照片")]},
        )
    ids = list(dict.fromkeys(ids))  # the same photo twice is one photo
    if ids and not takes_photos(transition):
        message = _("“%s”不需要上传照片") % transition["label"]
        raise DomainError(message, code="bad_photos", fields={"photos": [message]})
    if len(ids) > MAX_STEP_PHOTOS:
        message = _("每次办理最多上传 %d 张照片") % MAX_STEP_PHOTOS
        raise DomainError(message, code="bad_photos", fields={"photos": [message]})
    usable = step_photos_usable(actor, ids).count()
    if usable != len(ids):
        raise DomainError(
            _("有照片未上传成功或已被使用"),
            code="bad_photos",
            fields={"photos": [_("请重新上传照片")]},
        )
    return [str(i) for i in ids]


def _check_target_order(order, transition, target_order, actor) -> WorkOrder | None:
    if not _required(transition, "target_order"):
        return None
    target_id = target_order.pk if isinstance(target_order, WorkOrder) else target_order
    message = _("请选择要合并到的工单")
    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise DomainError(
            message, code="target_order_required", fields={"target_order": [message]}
        ) from None
    target = (
        work_orders_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=target_id, app_id=order.app_id, closed_at__isnull=True)
        .exclude(pk=order.pk)
        .first()
    )
    if target is None:
        message = _("只能合并到同一应用、尚未办结的工单")
        raise DomainError(message, code="bad_target_order", fields={"target_order": [message]})
    return target


@transaction.atomic
def work_order_transition(
    *,
    order: WorkOrder,
    action: str,
    actor: Person,
    note: str = "",
    expected_state: str | None = None,
    expected_version: int | None = None,
    target_unit: OrgUnit | int | None = None,
    extension: dict | None = None,
    photos=(),
    target_order: WorkOrder | int | None = None,
) -> WorkOrder:
    """The only way a work order changes state: lock, check place, role and state, log, notify.

    `expected_state` and `expected_version` are the state and version the actor saw; when the
    order has moved on since, the action is refused as stale (409 `stale_state`) instead of being
    applied to an order the actor never saw. Every step adds one to the version, so it also tells
    apart two presses of a self-loop step (from == to: 改派, 不是重复), which the state
    cannot: a self-loop guarded by `expected_state` alone is refused (400 `version_required`);
    one given neither is applied as asked (the row lock still serialises it). What a transition
    requires (flows.py) must be given: `note`, `photos` (attachment ids), `target_unit`
    (派遣/改派), `extension` ({"amount", "unit"} for 申请延期), `target_order` (合并).
    """
    locked = (
        work_orders_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=order.pk)
        .select_related("submission__version", "org_unit", "assignee_unit")
        .first()
    )
    if locked is None:
        raise NotFound(_("工单不存在"))
    flow = locked.submission.version.flow
    template = flow_template(flow)
    transition = transition_for(template, action) if template else None
    if transition is None:
        raise DomainError(_("该流程没有“%s”这一操作") % action, code="unknown_action")
    if locked.state != transition["from"] or (expected_state and expected_state != locked.state):
        raise Conflict(
            _("工单状态已变化（当前：%s），请刷新后再操作") % state_label(template, locked.state),
            code="stale_state",
        )
    if expected_version is not None and expected_version != locked.version:
        raise Conflict(
            _("工单已有新的办理（当前：%s），请刷新后再操作") % state_label(template, locked.state),
            code="stale_state",
        )
    if expected_version is None and expected_state and transition["from"] == transition["to"]:
        message = _("“%s”不改变状态，请带上工单版本（expected_version）以免重复办理")
        raise DomainError(
            message % transition["label"],
            code="version_required",
            fields={"expected_version": [_("请刷新后再操作")]},
        )
    if not may_take(actor, locked, transition):
        raise DomainError(
            _("您没有在此处“%s”的权限") % transition["label"], code="not_allowed", status=403
        )
    note = (note or "").strip()
    if _required(transition, "note") and not note:
        raise DomainError(
            _("“%s”需要填写说明") % transition["label"],
            code="note_required",
            fields={"note": [_("请填写说明")]},
        )
    if len(note) > 2000:
        raise DomainError(
            _("说明最多 2000 字"), code="note_too_long", fields={"note": [_("说明最多 2000 字")]}
        )
    unit = _check_target_unit(locked, transition, target_unit)
    ext = _check_extension(transition, extension)
    photo_ids = _check_photos(transition, photos, actor)
    target = _check_target_order(locked, transition, target_order, actor)

    now = timezone.now()
    due_before = locked.due_at
    from_state = locked.state
    locked.state = transition["to"]
    locked.version += 1
    update = ["state", "version", "updated_at"]
    if template["states"][locked.state].get("final"):
        locked.closed_at = now
        update.append("closed_at")
    if action == "handle":
        locked.assignee = actor
        update.append("assignee")
    if unit is not None and (unit.pk != locked.assignee_unit_id or action == "dispatch"):
        locked.assignee_unit = unit
        locked.assignee_path = unit.path
        locked.assignee = None
        update += ["assignee_unit", "assignee_path", "assignee"]
    if target is not None:
        locked.merged_into = target
        update.append("merged_into")
    update += deadline_for_step(
        locked, flow=flow, template=template, transition=transition, now=now
    )
    locked.save(update_fields=list(dict.fromkeys(update)))
    if "assignee_path" in update:
        # The report follows its order's scope (orgs.selectors.report_q reads it on the report).
        Submission.objects.filter(pk=locked.submission_id).update(assignee_path=unit.path)
        # And its steps: the figures count an order's steps under its units of now.
        WorkOrderEvent.objects.filter(order_id=locked.pk).update(assignee_path=unit.path)

    data: dict = {}
    if unit is not None:
        data["target_unit"] = unit.pk
    if ext is not None:
        data["extension"] = ext
    if photo_ids:
        data["photos"] = photo_ids
        Attachment.objects.filter(pk__in=photo_ids).update(submission=locked.submission)
    if target is not None:
        data["merged_into"] = {"id": target.pk, "number": target.number}
    event = _event(
        locked,
        actor=actor,
        action=action,
        from_state=from_state,
        note=note,
        data=data,
        due_at=due_before,
        now=now,
    )
    if target is not None:
        merged_in = _event(
            target,
            actor=actor,
            action="merged_in",
            from_state=target.state,
            note=note,
            data={"merged": {"id": locked.pk, "number": locked.number}},
            due_at=target.due_at,
            now=now,
        )
        after_commit(merged_in)
    after_commit(event)
    return locked


def _event(
    order, *, actor, action, from_state, note="", data=None, due_at=None, now=None
) -> WorkOrderEvent:
    """Append one step; step_seconds is the time since the order's previous step."""
    previous = (
        order.events.order_by("-created_at", "-id").values_list("created_at", flat=True).first()
    )
    now = now or timezone.now()
    step = int((now - previous).total_seconds()) if previous else None
    return WorkOrderEvent.objects.create(
        order=order,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=order.state,
        note=note,
        assignee_unit=order.assignee_unit,
        data=data or {},
        due_at=due_at,
        step_seconds=max(step, 0) if step is not None else None,
    )


def system_event(
    *, order: WorkOrder, action: str, assignee_unit: OrgUnit | None = None, data=None
) -> WorkOrderEvent:
    """A step written by the system (actor None): due_soon, overdue, escalate."""
    event = WorkOrderEvent.objects.create(
        order=order,
        actor=None,
        action=action,
        from_state=order.state,
        to_state=order.state,
        assignee_unit=assignee_unit or order.assignee_unit,
        data=data or {},
        due_at=order.due_at,
    )
    after_commit(event)
    return event


def after_commit(event: WorkOrderEvent) -> None:
    """The one hook for side effects of a step (live update, WeCom messages, webhooks): the
    step's row is their outbox entry (effects_pending), and after commit its fan-out is enqueued.
    A broker that is down does not fail the request: the outbox sweep delivers it later.
    Inside relay.effects_withheld() (records of the past) the step is marked done instead."""
    if effects_are_withheld():
        WorkOrderEvent.objects.filter(pk=event.pk).update(effects_pending=False)
        return
    from .tasks import work_order_event_happened  # cycle: the task runs these services

    enqueue_after_commit(work_order_event_happened, [event.pk])
