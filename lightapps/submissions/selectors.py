"""Reads on submissions and attachments, scoped by the one rule for a report (`report_q`)."""

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import (
    light_apps_visible_to,
    published_light_apps_visible_to,
)
from lightapps.orgs.models import OrgUnit, Person, Role
from lightapps.orgs.selectors import person_has_role_over, report_q

from .models import Attachment, Submission


def submissions_visible_to(person: Person):
    """Reports the person may see: those of the work orders they see, and order-less ones of
    their units and their own."""
    if not getattr(person, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(report_q(person))


def attachments_visible_to(person: Person):
    """Photos and files of the reports the person may see, plus their own uploads (bound or not)."""
    if not getattr(person, "is_authenticated", False):
        return Attachment.objects.none()
    return Attachment.objects.filter(
        Q(uploader=person) | (Q(submission__isnull=False) & report_q(person, prefix="submission__"))
    )


def light_apps_with_data_visible_to(person: Person):
    """Apps whose reports the person may read (上报数据, the export, the API's list): the
    published apps they see, and any app with a report they may see — an order of another
    street's app routed to their department, or placed in their street by GPS."""
    published = published_light_apps_visible_to(person).values("pk")
    seen = Exists(submissions_visible_to(person).filter(app=OuterRef("pk")))
    return LightApp.objects.filter(Q(pk__in=published) | seen)


def report_place(submission: Submission) -> OrgUnit:
    """Where a report lies: its work order's place (the grid of its GPS point) when it has one,
    else the reporter's unit. Load with select_related("work_order__org_unit", "org_unit")."""
    order = getattr(submission, "work_order", None)
    return order.org_unit if order is not None else submission.org_unit


# Who may reveal a report's masked personal data (see submissions.masking): the people who run
# the case at its place — not handlers, reporters, designers.
REVEAL_ROLES = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN})


def may_reveal_role(person: Person, submission: Submission) -> bool:
    """Holds a reveal role at a unit covering the report's place or its order's assigned unit.

    No query when loaded with select_related("work_order__org_unit",
    "work_order__assignee_unit", "org_unit"); says nothing of whether the person sees it."""
    if not getattr(person, "is_authenticated", False):
        return False
    units = [report_place(submission)]
    order = getattr(submission, "work_order", None)
    if order is not None and order.assignee_unit is not None:
        units.append(order.assignee_unit)
    return any(person_has_role_over(person, roles=REVEAL_ROLES, unit=u) for u in units)


def may_reveal(person: Person, submission: Submission) -> bool:
    """May the person reveal the submission's masked answers: they may see the report (the one
    rule, report_q) and hold a reveal role over its place or its order's assigned unit."""
    return (
        may_reveal_role(person, submission)
        and submissions_visible_to(person).filter(pk=submission.pk).exists()
    )


def reports_placed_under(unit: OrgUnit) -> Q:
    """Reports lying under a unit, by report_place: a filter on Submission."""
    return Q(place_path__startswith=unit.path)


def light_apps_listed(
    person: Person, *, q: str = "", status: str = "", owner_unit: int | None = None
):
    """应用列表: the visible apps with their latest version, when it was published, how many
    versions and reports, and who saved the draft last — in one query.

    `q` matches the name or the key; `status` is one of APP_STATUSES (unknown values are refused
    by the face); `owner_unit` keeps apps owned at that unit or below it."""
    reports = (
        Submission.objects.filter(app=OuterRef("pk"))
        .order_by()
        .values("app")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        light_apps_visible_to(person)
        .select_related("draft_saved_by")
        .annotate(
            latest_number=Max("versions__number"),
            latest_published_at=Max("versions__published_at"),
            version_count=Count("versions"),
            report_count=Coalesce(Subquery(reports, output_field=IntegerField()), 0),
        )
    )
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(key__icontains=q))
    if status == "disabled":
        rows = rows.filter(disabled_at__isnull=False)
    elif status == "published":
        rows = rows.filter(disabled_at__isnull=True, latest_number__isnull=False)
    elif status == "draft":
        rows = rows.filter(disabled_at__isnull=True, latest_number__isnull=True)
    if owner_unit is not None:
        unit = OrgUnit.objects.filter(pk=owner_unit).first()
        rows = rows.filter(owner_unit__path__startswith=unit.path) if unit else rows.none()
    return rows.order_by("-updated_at", "name")
