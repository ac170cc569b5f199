"""Reads on work orders; every face scopes through work_orders_visible_to."""

from django.db.models import Q

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import scope_q

from .models import WorkOrder


def work_orders_visible_to(person: Person):
    """Orders under a unit where the person holds any role, plus the ones they reported."""
    if not getattr(person, "is_authenticated", False):
        return WorkOrder.objects.none()
    q = scope_q(person, path_field="org_path") | Q(submission__reporter=person)
    return WorkOrder.objects.filter(q)


def work_order_list(*, person: Person, state: str = "", app: str = "", org_unit: int | None = None):
    qs = work_orders_visible_to(person).select_related("app", "org_unit", "assignee_unit")
    if state:
        qs = qs.filter(state=state)
    if app:
        qs = qs.filter(app__key=app)
    if org_unit:
        from lightapps.orgs.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=org_unit).first()
        qs = qs.filter(org_path__startswith=unit.path) if unit else qs.none()
    return qs.order_by("-created_at")


def work_order_detail(*, person: Person, pk: int) -> WorkOrder | None:
    return (
        work_orders_visible_to(person)
        .select_related(
            "app", "org_unit", "assignee_unit", "assignee", "submission__version",
            "submission__reporter",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip


def events_of(order: WorkOrder):
    return order.events.select_related("actor", "assignee_unit").order_by("created_at", "id")
