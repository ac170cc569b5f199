"""Reads on the org tree, and the one place that decides what a person may see.

A membership (person, unit, role) reaches the unit and everything under it; a grid worker's
(reporter's) sight reaches their whole street, so that colleagues see each other's reports and do
not file the same hazard twice. Acting rights are never widened that way. So a street supervisor
sees everything under that street and nothing of the next one.

Two rules build on `scope_q`, and every list, detail, action, attachment URL, data table and
export goes through one of them:
- `work_order_q`: a work order is seen by the people of its place, of the unit it is assigned to
  (e.g. 房管局 for an order routed there by subject) and by its reporter;
- `report_q`: a report (上报) and everything hanging off it — photos, files, its row in 上报数据 —
  is seen by whoever may see its work order; a report without an order (records only, or no
  hazard found) by the people of the reporter's unit and the reporter.
They return Q objects over field paths, so that the same rule filters work orders, reports and
attachments without this ground floor importing the apps above it.
"""

from collections.abc import Iterable

from django.db.models import Q

from .grids import street_of_grid
from .models import Membership, OrgUnit, Person, Role

ALL_ROLES = frozenset(Role.values)
# Who the desktop console is for: its work orders, 上报数据 and the export (scope decides rows).
CONSOLE_ROLES = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.HANDLER, Role.ADMIN})
# Who the builder is for.
BUILDER_ROLES = frozenset({Role.DESIGNER, Role.ADMIN})


def memberships_of(person: Person) -> list[Membership]:
    """The person's memberships with their units, loaded once per person object."""
    cached = getattr(person, "_memberships_cache", None)
    if cached is None:
        if not getattr(person, "is_authenticated", False):
            cached = []
        else:
            cached = list(Membership.objects.filter(person=person).select_related("org_unit"))
            _attach_scope_paths(cached)
        person._memberships_cache = cached
    return cached


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def _attach_scope_paths(members: list[Membership]) -> None:
    """Set `scope_path` on each membership: what it lets the person see."""
    below_street = [
        m
        for m in members
        if m.role == Role.REPORTER
        and m.org_unit.kind in {OrgUnit.Kind.GRID, OrgUnit.Kind.COMMUNITY}
    ]
    # A grid with a boundary: its street from the grid index (no query); the others asked.
    known = {}
    for m in below_street:
        street = street_of_grid(m.org_unit_id) if m.org_unit.kind == OrgUnit.Kind.GRID else None
        if street is not None:
            known[m.pk] = street.path
    streets = {}
    asked = [m for m in below_street if m.pk not in known]
    if asked:
        ids = {i for m in asked for i in _ancestor_ids(m.org_unit)}
        streets = {
            u.pk: u.path for u in OrgUnit.objects.filter(pk__in=ids, kind=OrgUnit.Kind.STREET)
        }
    for m in members:
        m.scope_path = known.get(m.pk, m.org_unit.path)
        if m in asked:
            for unit_id in _ancestor_ids(m.org_unit):
                if unit_id in streets:
                    m.scope_path = streets[unit_id]


def roles_of(person: Person) -> set[str]:
    return {m.role for m in memberships_of(person)}


def scope_paths(person: Person, *, roles: Iterable[str] = ALL_ROLES) -> list[str]:
    """The paths of the units whose subtrees the person sees through one of roles, none under
    another (fewer OR branches for the database)."""
    roles = set(roles)
    return outermost_paths(m.scope_path for m in memberships_of(person) if m.role in roles)


def outermost_paths(paths: Iterable[str]) -> list[str]:
    """The paths none of the others lies above, sorted: the same subtrees, fewer conditions."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def unit_paths_under(paths: Iterable[str]) -> list[str]:
    """The paths of every unit in the subtrees of `paths` (theirs included), in one query: the
    values a row's copied path (a unit's path, written from the unit) may hold when it lies under
    one of them. Matched exactly (`IN`), they let a (path, time) index read each unit's rows of a
    period as one range, where a prefix match reads the subtree's rows of every period."""
    under = Q(pk__in=[])
    for path in outermost_paths(paths):
        under |= Q(path__startswith=path)
    return list(OrgUnit.objects.filter(under).order_by("path").values_list("path", flat=True))


def scope_q(person: Person, *, path_field: str, roles: Iterable[str] = ALL_ROLES) -> Q:
    """A filter matching rows whose unit lies under a unit where the person holds one of roles."""
    q = Q(pk__in=[])
    for path in scope_paths(person, roles=roles):
        q |= Q(**{f"{path_field}__startswith": path})
    return q


def work_orders_under_q(path: str, *, prefix: str = "") -> Q:
    """Orders of a unit's subtree: whose place, or whose assigned unit, lies under it (both
    paths are on the order, each with its prefix index)."""
    return Q(**{f"{prefix}org_path__startswith": path}) | Q(
        **{f"{prefix}assignee_path__startswith": path}
    )


def _scope_conditions(person: Person, *, place: str, assignee: str, reporter: str) -> list[Q]:
    """Each way a person may see an order or a report, one indexed condition each on the row's
    own columns: its place's path under a unit of theirs, its assigned unit's path under one, or
    they reported it."""
    paths = scope_paths(person)
    return [
        *(Q(**{f"{place}__startswith": path}) for path in paths),
        *(Q(**{f"{assignee}__startswith": path}) for path in paths),
        Q(**{reporter: person}),
    ]


def _any_of(conditions: list[Q]) -> Q:
    """Rows meeting any of the conditions; none for no condition (an empty Q would match all)."""
    if not conditions:
        return Q(pk__in=[])
    q = Q()
    for condition in conditions:
        q |= condition
    return q


def _disjoint(conditions: list[Q]) -> list[Q]:
    """The conditions cut into disjoint parts whose union is theirs: each less the ones before
    it. A count over the parts, added up (UNION ALL), reads each part from its own covering index
    alone (index-only), where the OR of them reads every matching row."""
    parts = []
    for i, condition in enumerate(conditions):
        part = condition
        for earlier in conditions[:i]:
            part &= ~earlier
        parts.append(part)
    return parts


def _order_conditions(person: Person, *, prefix: str = "", reporter: str = "") -> list[Q]:
    return _scope_conditions(
        person,
        place=f"{prefix}org_path",
        assignee=f"{prefix}assignee_path",
        reporter=reporter or f"{prefix}reporter",
    )


def work_order_q(person: Person, *, prefix: str = "", reporter: str = "") -> Q:
    """Who may see a work order: its place's people, its assigned unit's people, its reporter.

    Every condition is on the order's own columns (org_path, assignee_path, reporter), so the
    database answers each from an index and ORs the results, with no join. `prefix` leads from
    the filtered model to the order ("" on WorkOrder); `reporter` is the path to the reporter
    (default: the order's own copy).
    """
    return _any_of(_order_conditions(person, prefix=prefix, reporter=reporter))


def work_order_q_parts(person: Person) -> list[Q]:
    """work_order_q cut into disjoint parts whose union it is (see _disjoint)."""
    return _disjoint(_order_conditions(person))


def work_order_q_through_units(person: Person) -> Q:
    """The orders a person sees through a unit — whose place's or assigned unit's path lies under
    one of theirs — work_order_q less the ones seen only as their reporter. Its columns are the
    order's two paths, which workorders.WorkOrderTally has too, so it filters the tally alike."""
    return _any_of(_order_conditions(person)[:-1])


def work_order_q_reported_only(person: Person) -> Q:
    """The orders a person sees only as their reporter: the last of work_order_q_parts."""
    return work_order_q_parts(person)[-1]


def work_order_audience(*, org_path: str, assignee_path: str = "") -> list[int]:
    """The units whose people see a work order under work_order_q (its reporter aside): every
    unit on the path of its place and of its assigned unit. Live updates go to their groups."""
    ids = [int(p) for path in (org_path, assignee_path) for p in path.strip("/").split("/") if p]
    return list(dict.fromkeys(ids))


def _report_conditions(person: Person, *, prefix: str = "") -> list[Q]:
    return _scope_conditions(
        person,
        place=f"{prefix}place_path",
        assignee=f"{prefix}assignee_path",
        reporter=f"{prefix}reporter",
    )


def report_q(person: Person, *, prefix: str = "") -> Q:
    """Who may see a report and what hangs off it: with a work order, whoever may see the order;
    without one, the people of the reporter's unit and the reporter.

    The report carries its order's scope (place_path: the order's place, else the reporter's
    unit; assignee_path: the order's assigned unit), copied by the one place that writes orders,
    so this is work_order_q on the report's own columns, with no join. `prefix` leads from the
    filtered model to the submission ("" on Submission, "submission__" on Attachment).
    """
    return _any_of(_report_conditions(person, prefix=prefix))


def report_q_parts(person: Person) -> list[Q]:
    """report_q cut into disjoint parts whose union it is, on Submission (see _disjoint)."""
    return _disjoint(_report_conditions(person))


def report_q_through_units(person: Person) -> Q:
    """The reports a person sees through a unit — report_q less the ones seen only as their
    reporter — on the report's two paths, which submissions.SubmissionTally has too."""
    return _any_of(_report_conditions(person)[:-1])


def report_q_reported_only(person: Person) -> Q:
    """The reports a person sees only as their reporter: the last of report_q_parts."""
    return report_q_parts(person)[-1]


def person_has_role_over(person: Person, *, roles: Iterable[str], unit: OrgUnit) -> bool:
    """True when the person holds one of roles at the unit or at one of its ancestors."""
    roles = set(roles)
    return any(
        m.role in roles and unit.path.startswith(m.org_unit.path) for m in memberships_of(person)
    )


def may_read_audit_log(person: Person) -> bool:
    """审计日志 is for administrators of the whole tree (an admin at a top unit) and superusers."""
    if not getattr(person, "is_authenticated", False):
        return False
    if person.is_superuser:
        return True
    return Membership.objects.filter(
        person=person, role=Role.ADMIN, org_unit__parent__isnull=True
    ).exists()


def org_units_visible_to(person: Person):
    return OrgUnit.objects.filter(scope_q(person, path_field="path")).order_by("path")


def ancestor_of_kind(unit: OrgUnit, kind: str) -> OrgUnit | None:
    """The unit itself or its nearest ancestor of the given kind."""
    if unit.kind == kind:
        return unit
    return OrgUnit.objects.filter(pk__in=_ancestor_ids(unit), kind=kind).order_by("-depth").first()


def home_unit_of(person: Person) -> OrgUnit | None:
    """Where a person reports from: the deepest unit of a reporter membership, else any."""
    members = memberships_of(person)
    reporting = [m for m in members if m.role == Role.REPORTER] or members
    if not reporting:
        return None
    return max(reporting, key=lambda m: m.org_unit.depth).org_unit


def unit_labels(units) -> dict[int, str]:
    """id -> label with the street for grids and communities ("江宁路街道 · 第3网格"), one query."""
    units = [u for u in units if u is not None]
    below_street = [u for u in units if u.kind in {OrgUnit.Kind.GRID, OrgUnit.Kind.COMMUNITY}]
    wanted = {i for u in below_street for i in _ancestor_ids(u)}
    streets = (
        {s.pk: s for s in OrgUnit.objects.filter(pk__in=wanted, kind=OrgUnit.Kind.STREET)}
        if wanted
        else {}
    )
    labels = {}
    for unit in units:
        label = unit.name
        if unit in below_street:
            street = next((streets[i] for i in reversed(_ancestor_ids(unit)) if i in streets), None)
            if street is not None:
                label = f"{street.name} · {unit.name}"
        labels[unit.pk] = label
    return labels


def unit_label(unit: OrgUnit) -> str:
    """The unit with its street, e.g. "江宁路街道 · 第3网格"."""
    return unit_labels([unit])[unit.pk]


def district_departments(person: Person) -> list[OrgUnit]:
    """The 职能部门 of the districts the person's units lie in: where a street's orders may be
    sent, and whose handlers may be working on them. Loaded once per person object."""
    cached = getattr(person, "_departments_cache", None)
    if cached is None:
        homes = [m.org_unit.path for m in memberships_of(person)]
        cached = (
            [
                u
                for u in OrgUnit.objects.filter(
                    kind=OrgUnit.Kind.DEPARTMENT, parent__kind=OrgUnit.Kind.DISTRICT
                )
                .select_related("parent")
                .only("pk", "name", "kind", "path", "parent__path")
                .order_by("path")
                if any(home.startswith(u.parent.path) for home in homes)
            ]
            if homes
            else []
        )
        person._departments_cache = cached
    return cached


def people_in_scope(person: Person, *, roles: Iterable[str]) -> list[Membership]:
    """Who holds one of `roles` in the units the person sees or in their district's departments
    (the console's 上报人 / 处置人 choosers), with person and unit, by unit then name."""
    units = scope_q(person, path_field="org_unit__path") | Q(
        org_unit__in=[d.pk for d in district_departments(person)]
    )
    return list(
        Membership.objects.filter(units, role__in=list(roles), person__is_active=True)
        .select_related("person", "org_unit")
        .only("role", "person__name", "person__username", "org_unit__name", "org_unit__path")
        .order_by("org_unit__path", "person__name", "person__pk")
    )
