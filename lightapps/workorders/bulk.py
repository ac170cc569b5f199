"""批量办理: one step (立案 or 派遣) on many orders at once, each through the one transition service.

A supervisor with 200 open orders files the morning's reports, or sends a page of filed ones to
the units they were routed to, in one go. Each order is its own transaction: one that moved on
since the list was read (its version given), that this person may not take the step on, or that
the service refuses for any reason, is left as it is and reported with the reason; the others
are done. Orders the person cannot see are reported as not found, never touched. A report that
may be a duplicate is not filed in bulk: that is decided beside the candidates, one by one.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lightapps.errors import DomainError
from lightapps.orgs.models import Person

from .models import WorkOrder
from .selectors import work_order_duplicate_candidates, work_orders_visible_to
from .services import work_order_transition

BULK_MAX = 50  # a page of the list
BULK_ACTIONS = {"file": _lazy("立案"), "dispatch": _lazy("派遣")}


@dataclass
class BulkOutcome:
    done: list[WorkOrder] = field(default_factory=list)
    # {"id", "number" ("" when not found), "code", "message"}
    failed: list[dict] = field(default_factory=list)


def bulk_items_parse(raw_items) -> list[tuple[int, int | None]]:
    """Form values "id:version" (or bare ids), or API items {"id", "expected_version"}: a list of
    (id, version), de-duplicated; DomainError naming `orders` when empty, too many or malformed."""
    items: dict[int, int | None] = {}
    bad = False
    for raw in raw_items if isinstance(raw_items, list) else [None]:
        if isinstance(raw, dict):
            pk, version = raw.get("id"), raw.get("expected_version")
        elif isinstance(raw, str):
            pk, _sep, version = raw.partition(":")
            version = version or None
        else:
            pk, version = None, None
        try:
            pk = int(pk) if not isinstance(pk, bool) else None
            version = (
                int(version) if version is not None and not isinstance(version, bool) else None
            )
        except (TypeError, ValueError):
            pk = None
        if pk is None or pk <= 0 or (version is not None and version <= 0):
            bad = True
            continue
        items[pk] = version
    if bad:
        message = _("工单列表有误：每项应为工单编号（可带版本，如 12:3）")
    elif not items:
        message = _("请先勾选要办理的工单")
    elif len(items) > BULK_MAX:
        message = _("一次最多办理 %d 件") % BULK_MAX
    else:
        return list(items.items())
    raise DomainError(message, code="invalid", fields={"orders": [message]})


def work_orders_bulk_transition(
    *,
    person: Person,
    items: list[tuple[int, int | None]],
    action: str,
    note: str = "",
    target_unit: int | None = None,
) -> BulkOutcome:
    """Take `action` on each order of `items` ((id, expected version)); what was done, what not."""
    if action not in BULK_ACTIONS:
        message = _("只能批量：%s") % "、".join(str(v) for v in BULK_ACTIONS.values())
        raise DomainError(message, code="invalid", fields={"action": [message]})
    orders = {
        o.pk: o
        for o in work_orders_visible_to(person)
        .filter(pk__in=[pk for pk, _v in items])
        .select_related("submission__version", "org_unit", "assignee_unit")
    }
    outcome = BulkOutcome()
    for pk, version in items:
        order = orders.get(pk)
        if order is None:
            outcome.failed.append(
                {"id": pk, "number": "", "code": "not_found", "message": _("工单不存在")}
            )
            continue
        if action == "file" and work_order_duplicate_candidates(order=order, person=person):
            outcome.failed.append(
                {
                    "id": pk,
                    "number": order.number,
                    "code": "possible_duplicate",
                    "message": _("有疑似重复的工单，请打开逐件判断"),
                }
            )
            continue
        try:
            changed = work_order_transition(
                order=order,
                actor=person,
                action=action,
                note=note,
                expected_version=version,
                target_unit=target_unit if action == "dispatch" else None,
            )
        except DomainError as exc:
            outcome.failed.append(
                {"id": pk, "number": order.number, "code": exc.code, "message": exc.as_sentence()}
            )
            continue
        outcome.done.append(changed)
    return outcome
