"""Who is told of which work-order event (消息通知对象): one rule, used by the WeCom messages.

    report                               → dispatchers over the order's unit (where the problem
                                           is: they file and dispatch it)
    send_back back to 待派遣 (filed)      → the same dispatchers (a handler returned it)
    dispatch, reassign, rework,
    send_back (to anything else),
    due_soon, overdue                    → the assignee person if set, else the handlers of the
                                           assignee unit
    escalate                             → supervisors of the unit it was escalated to (the
                                           unit above the assigned one, or above its place)

"Of a unit" means the people holding that role at the unit itself or, when nobody does, at the
nearest unit above it that has some: a street's order reaches the street's dispatchers, not
every dispatcher of the district. The actor of an event is never told of their own step.
Other events (file, reject, handle, verify, close, suspend, resume, extensions) tell nobody.
"""

from lightapps.orgs.models import Membership, OrgUnit, Person, Role

from .models import WorkOrderEvent

TO_DISPATCHERS = frozenset({"report"})
TO_ASSIGNEE = frozenset({"dispatch", "reassign", "rework", "send_back", "due_soon", "overdue"})
# A state awaiting dispatch: a step back into it goes to the dispatchers, not the assignee.
AWAITING_DISPATCH = "filed"
TO_SUPERVISORS_ABOVE = frozenset({"escalate"})


def _unit_ids_upwards(unit: OrgUnit) -> list[int]:
    """The unit and its ancestors, nearest first."""
    return [int(part) for part in reversed(unit.path.strip("/").split("/")) if part]


def people_with_role_nearest(*, unit: OrgUnit | None, role: str) -> list[Person]:
    """Active people holding `role` at the unit, else at the nearest ancestor where anyone does."""
    if unit is None:
        return []
    ids = _unit_ids_upwards(unit)
    rows = (
        Membership.objects.filter(org_unit_id__in=ids, role=role, person__is_active=True)
        .select_related("person")
        .order_by("person__username")
    )
    by_unit: dict[int, list[Person]] = {}
    for m in rows:
        by_unit.setdefault(m.org_unit_id, []).append(m.person)
    for unit_id in ids:
        if unit_id in by_unit:
            return by_unit[unit_id]
    return []


def recipients_of_event(event: WorkOrderEvent) -> list[Person]:
    """The people to tell of this event, without duplicates and without its actor."""
    order = event.order
    assignee_unit = event.assignee_unit or order.assignee_unit
    back_to_dispatch = event.action == "send_back" and event.to_state == AWAITING_DISPATCH
    if event.action in TO_DISPATCHERS or back_to_dispatch:
        people = people_with_role_nearest(unit=order.org_unit, role=Role.DISPATCHER)
    elif event.action in TO_ASSIGNEE:
        if order.assignee_id and order.assignee.is_active:
            people = [order.assignee]
        else:
            people = people_with_role_nearest(unit=assignee_unit, role=Role.HANDLER)
    elif event.action in TO_SUPERVISORS_ABOVE:
        # The unit the escalation chose (escalation._unit_above), recorded on the step.
        above = OrgUnit.objects.filter(pk=(event.data or {}).get("to_unit")).first()
        people = people_with_role_nearest(unit=above, role=Role.SUPERVISOR)
    else:
        people = []
    seen: set[int] = set()
    out = []
    for person in people:
        if person.pk != event.actor_id and person.pk not in seen:
            seen.add(person.pk)
            out.append(person)
    return out
