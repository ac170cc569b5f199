"""Who may read an app's data, and the filters of the data page, the export and the API."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lightapps.definitions.models import LightApp
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import (
    CONSOLE_ROLES,
    org_units_visible_to,
    report_q_parts,
    report_q_reported_only,
    report_q_through_units,
    roles_of,
)
from lightapps.params import id_parse
from lightapps.submissions.models import Submission, SubmissionTally
from lightapps.submissions.selectors import reports_placed_under, submissions_visible_to


def may_read_data(person: Person) -> bool:
    """上报数据 and its export are for the console's people; a grid worker files, not exports."""
    return bool(roles_of(person) & CONSOLE_ROLES)


@dataclass
class DataFilters:
    since: date | None = None
    until: date | None = None
    unit: OrgUnit | None = None
    version: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (to link the export to what the page shows)."""
        query = {}
        if self.since:
            query["since"] = self.since.isoformat()
        if self.until:
            query["until"] = self.until.isoformat()
        if self.unit:
            query["unit"] = str(self.unit.pk)
        if self.version:
            query["version"] = str(self.version)
        return query


# The dates a filter may name: a city's reports are all between these.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def data_filters_parse(*, person: Person, app: LightApp, params) -> DataFilters:
    """since/until (YYYY-MM-DD, both inclusive), unit (a unit the person sees), version (N).

    Raises DomainError `invalid_filter` naming every bad parameter.
    """
    errors: dict[str, list[str]] = {}
    found = DataFilters()
    for name in ("since", "until"):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        try:
            value = parse_date(raw)
        except ValueError:
            value = None
        if value is None:
            errors[name] = [_("请填写有效日期，格式如 2026-12-01")]
        elif not EARLIEST <= value <= LATEST:  # 0001-01-01 in Shanghai is before year 1 in UTC
            errors[name] = [
                _("日期应在 %(a)s 至 %(b)s 之间")
                % {"a": EARLIEST.isoformat(), "b": LATEST.isoformat()}
            ]
        else:
            setattr(found, name, value)
    if found.since and found.until and found.since > found.until:
        errors["until"] = [_("结束日期不能早于开始日期")]
    raw_unit = (params.get("unit") or "").strip()
    if raw_unit:
        unit = None
        unit_id = id_parse(raw_unit)
        if unit_id is not None:
            unit = org_units_visible_to(person).filter(pk=unit_id).first()
        if unit is None:  # unknown and out of sight read the same: nothing leaks
            errors["unit"] = [_("没有这个区域，或不在您的管辖范围内")]
        found.unit = unit
    raw_version = (params.get("version") or "").strip()
    if raw_version:
        number = id_parse(raw_version)
        if number is not None and app.versions.filter(number=number).exists():
            found.version = number
        else:
            errors["version"] = [_("该应用没有这个版本")]
    if errors:
        raise DomainError(_("筛选条件有误，请修改后再试"), code="invalid_filter", fields=errors)
    return found


def data_filters_q(*, app: LightApp, filters: DataFilters) -> Q:
    """The app and the filters as one condition on the report's own columns (with the index
    migration submissions.0003 gives them, a count reads no row)."""
    q = Q(app=app)
    # Local days as a range of instants, so that the index on received_at serves.
    if filters.since:
        q &= Q(received_at__gte=_local_midnight(filters.since))
    if filters.until:
        q &= Q(received_at__lt=_local_midnight(filters.until + timedelta(days=1)))
    if filters.unit:
        q &= reports_placed_under(filters.unit)
    if filters.version:
        q &= Q(version__in=app.versions.filter(number=filters.version).values("pk"))
    return q


def submissions_for_data(*, person: Person, app: LightApp, filters: DataFilters) -> QuerySet:
    """The app's submissions the person may see, filtered, newest first."""
    qs = submissions_visible_to(person).filter(data_filters_q(app=app, filters=filters))
    return qs.select_related("reporter", "org_unit", "work_order__org_unit").order_by(
        "-received_at", "-id"
    )


def submissions_for_data_count(*, person: Person, app: LightApp, filters: DataFilters) -> int:
    """How many rows submissions_for_data holds, in one query that reads indexes alone."""
    if not getattr(person, "is_authenticated", False):
        return 0
    return sum(submissions_for_data_count_query(person=person, app=app, filters=filters))


def submissions_for_data_count_query(
    *, person: Person, app: LightApp, filters: DataFilters
) -> QuerySet:
    """Without dates (which the tally does not follow): the tally's rows under the person's
    units added up (SubmissionTally), and the reports they see only as reporter counted — a few
    thousand rows to read for a district's million reports. With dates: the UNION ALL of a count
    per disjoint part of the person's scope (report_q_parts): each part is read from its covering
    index alone (migration submissions.0003), and the parts' counts add up to the rows. The OR of
    the parts would read every matching row."""
    where = data_filters_q(app=app, filters=filters)
    if not (filters.since or filters.until):
        tallied = (
            SubmissionTally.objects.filter(report_q_through_units(person), where)
            .order_by()
            .values("app")
            .annotate(n=Sum("n"))
            .values_list("n", flat=True)
        )
        reported = (
            Submission.objects.filter(report_q_reported_only(person), where)
            .order_by()
            .values("app")
            .annotate(n=Count("app"))
            .values_list("n", flat=True)
        )
        return tallied.union(reported, all=True)
    # Count a column the indexes carry (app_id): COUNT(id) would fetch every row for its id.
    branches = [
        Submission.objects.filter(part)
        .filter(where)
        .order_by()
        .values("app")
        .annotate(n=Count("app"))
        .values_list("n", flat=True)
        for part in report_q_parts(person)
    ]
    return branches[0].union(*branches[1:], all=True)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
