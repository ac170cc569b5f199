"""考核统计: what the figures page, its Excel file and `GET /api/figures/` show, built once.

`figures_query_parse` reads the query (unit, since, until, app, by) and checks who may see it;
`figures_report` computes the unit's figures, the ranking of the units below it (streets and
departments under a district, grids under a street; two grouped queries) and the trend.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.errors import DomainError, Forbidden, NotFound
from lightapps.orgs.models import OrgUnit, Person, Role
from lightapps.orgs.selectors import scope_paths, scope_q
from lightapps.params import id_parse
from lightapps.submissions.selectors import light_apps_with_data_visible_to

from .figures import TRENDS, figures_with_rows
from .figures_links import figure_links
from .figures_trend import work_order_figures_trend
from .selectors import date_param_parse, local_day_start

# Who reads the figures: the people who answer for them (not handlers, not grid workers).
FIGURES_ROLES = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN})
MAX_DAYS = 731  # two years, a leap day included
# The ranking's tables, in this order: the kinds of unit ranked under a unit.
RANKED_KINDS = (OrgUnit.Kind.STREET, OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.GRID)


@dataclass
class FiguresQuery:
    unit: OrgUnit
    since: date  # local days, both inclusive
    until: date
    app: str = ""
    by: str = "month"

    @property
    def start(self) -> datetime:
        return local_day_start(self.since)

    @property
    def end(self) -> datetime:
        return local_day_start(self.until + timedelta(days=1))

    def as_query(self) -> dict[str, str]:
        query = {"unit": str(self.unit.pk), "since": self.since.isoformat()}
        query.update({"until": self.until.isoformat(), "by": self.by})
        if self.app:
            query["app"] = self.app
        return query


def may_read_figures(person: Person) -> bool:
    return bool(scope_paths(person, roles=FIGURES_ROLES))


def figure_units_visible_to(person: Person):
    """The units whose figures the person may read: under a unit where they supervise,
    dispatch or administer (the one visibility rule, scope_q)."""
    return OrgUnit.objects.filter(scope_q(person, path_field="path", roles=FIGURES_ROLES))


def default_unit_of(person: Person) -> OrgUnit | None:
    """The highest unit whose figures the person reads."""
    paths = scope_paths(person, roles=FIGURES_ROLES)
    return OrgUnit.objects.filter(path__in=paths).order_by("depth", "path").first()


def figures_query_parse(*, person: Person, params) -> FiguresQuery:
    """unit (an id the person may see; default their top unit), since/until (YYYY-MM-DD local
    days, until inclusive, default this month; at most two years), app (a key), by (week|month;
    default week up to 92 days, else month). Bad values: 400 `invalid_filter` naming each field;
    an unknown or foreign unit: 404 `unit_not_found`; nobody to read them for: 403."""
    if not may_read_figures(person):
        raise Forbidden(_("考核统计仅供督办、派遣和管理人员查看"), code="forbidden")
    fields: dict[str, list[str]] = {}
    today = timezone.localdate()
    days = {}
    for name, default in (("since", today.replace(day=1)), ("until", today)):
        raw = (params.get(name) or "").strip()
        days[name] = date_param_parse(raw) if raw else default
        if days[name] is None:
            fields[name] = [_("请填写有效日期，格式如 2026-12-01")]
    since, until = days["since"], days["until"]
    if since and until:
        if since > until:
            fields["until"] = [_("结束日期不能早于开始日期")]
        elif (until - since).days >= MAX_DAYS:
            fields["until"] = [_("统计时间范围不能超过两年")]
    app = (params.get("app") or "").strip()
    if app and not light_apps_with_data_visible_to(person).filter(key=app).exists():
        fields["app"] = [_("没有这个应用，或您无权查看")]
    by = (params.get("by") or "").strip()
    if by and by not in TRENDS:
        fields["by"] = [_("趋势只能按 week（周）或 month（月）")]
    raw_unit = (params.get("unit") or "").strip()
    unit_id = id_parse(raw_unit)
    if raw_unit and unit_id is None:
        fields["unit"] = [_("请填写有效的单位编号")]
    if fields:
        raise DomainError(_("筛选条件有误，请修改后再试"), code="invalid_filter", fields=fields)
    if unit_id is None:
        unit = default_unit_of(person)
    else:
        unit = figure_units_visible_to(person).filter(pk=unit_id).first()
    if unit is None:  # unknown and out of sight read the same
        raise NotFound(_("没有这个单位，或不在您的管辖范围内"), code="unit_not_found")
    if not by:
        by = "week" if (until - since).days <= 92 else "month"
    return FiguresQuery(unit=unit, since=since, until=until, app=app, by=by)


def ranked_units(unit: OrgUnit) -> dict[str, list[OrgUnit]]:
    """The units directly below, by kind: 街镇 and 委办局 under a district, 网格 under a street."""
    below = OrgUnit.objects.filter(parent=unit, kind__in=RANKED_KINDS).order_by("path")
    found: dict[str, list[OrgUnit]] = {}
    for child in below:
        found.setdefault(child.kind, []).append(child)
    return {kind: found[kind] for kind in RANKED_KINDS if kind in found}


def _by_score(row: dict):
    score = row["figures"]["score"]
    return (score is None, -(score or 0), row["unit"].path)


def figures_report(*, query: FiguresQuery, now: datetime | None = None) -> dict:
    """The unit's figures with the lists behind them, the ranking (best score first) and the
    trend: three queries for the figures and the ranking (their reports' and steps' days grouped
    by the trend's weeks or months too), three more for the trend, which takes those rows."""
    now = now or timezone.now()
    window = {"start": query.start, "end": query.end, "now": now, "app": query.app}
    groups = ranked_units(query.unit)
    everyone = [query.unit] + [u for units in groups.values() for u in units]
    figures, made_of = figures_with_rows(units=everyone, by=query.by, **window)
    ranking = []
    for kind, units in groups.items():
        rows = [
            {"unit": u, "figures": figures[u.pk], "links": figure_links(u, query)} for u in units
        ]
        rows.sort(key=_by_score)
        ranking.append({"kind": kind, "label": OrgUnit.Kind(kind).label, "rows": rows})
    trend = work_order_figures_trend(unit=query.unit, by=query.by, rows=made_of, **window)
    return {
        "query": query,
        "figures": figures[query.unit.pk],
        "links": figure_links(query.unit, query),
        "ranking": ranking,
        "trend": trend,
    }


def _unit_json(unit: OrgUnit) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind}


def figures_report_json(report: dict) -> dict:
    """The report as plain JSON: what `GET /api/figures/` answers and the page's charts read."""
    query = report["query"]
    return {
        "unit": _unit_json(query.unit),
        "since": query.since.isoformat(),
        "until": query.until.isoformat(),
        "app": query.app,
        "by": query.by,
        "figures": report["figures"],
        "links": report["links"],
        "ranking": [
            {
                "kind": table["kind"],
                "label": str(table["label"]),
                "rows": [
                    {"unit": _unit_json(r["unit"]), "figures": r["figures"], "links": r["links"]}
                    for r in table["rows"]
                ],
            }
            for table in report["ranking"]
        ],
        "trend": [
            {"start": b["start"].isoformat(), "figures": b["figures"]} for b in report["trend"]
        ],
    }
