"""派单: where a new work order lies (the grid its GPS point is in) and which unit gets it.

Routing rules come from the version's flow, first match wins (see flows.py); nothing matched
sends the order to the reporter's street.
"""

from lightapps.definitions.flows import answers_at, routing_rules
from lightapps.orgs.grids import grid_units_at, street_of_grid, unit_by_code
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import ancestor_of_kind
from lightapps.submissions.models import Submission


def grid_at(*, lat: float | None, lng: float | None) -> OrgUnit | None:
    """The grid whose boundary covers the point (a point on a shared edge: the first grid by
    tree order), from the process's spatial index (orgs.grids), without a query; the grid's
    street comes with it (`_street`), for routing by place."""
    if lat is None or lng is None:
        return None
    found = grid_units_at(lat=float(lat), lng=float(lng))
    if found is None:
        return None
    grid, street = found
    grid._street = street
    return grid


def _street_of(unit: OrgUnit) -> OrgUnit:
    known = getattr(unit, "_street", None)  # a grid from the index knows its street
    if known is None and unit.kind == OrgUnit.Kind.GRID:
        known = street_of_grid(unit.pk)  # so does the index for any grid with a boundary
    return known or ancestor_of_kind(unit, OrgUnit.Kind.STREET) or unit


def _unit_by_code(code) -> OrgUnit | None:
    return unit_by_code(code) if isinstance(code, str) and code else None


def route(
    *, submission: Submission, flow: dict, grid: OrgUnit | None
) -> tuple[OrgUnit, int | None]:
    """The unit a new order goes to and the index of the matching rule (None: the fallback).

    `grid` is the grid of the submission's GPS point (grid_at), found once by the caller.
    """
    for i, rule in enumerate(routing_rules(flow)):
        by = rule.get("by")
        if by == "place":
            if grid is not None:
                return _street_of(grid), i
        elif by == "subject":
            mapping = rule.get("map") or {}
            for answer in answers_at(submission.data, rule.get("field", "")):
                if isinstance(answer, str | int | bool) and str(answer) in mapping:
                    unit = _unit_by_code(mapping[str(answer)])
                    if unit is not None:
                        return unit, i
        elif by == "unit":
            unit = _unit_by_code(rule.get("unit"))
            if unit is not None:
                return unit, i
        elif by in {"reporter", "reporter_street"}:
            return _street_of(submission.org_unit), i
    return _street_of(submission.org_unit), None
