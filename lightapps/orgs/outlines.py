"""网格与街镇轮廓: the boundaries a person may see, as GeoJSON for the console's maps — every grid
with a boundary, and each street's outline as the union of its grids'."""

from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from .models import OrgUnit, Person
from .selectors import org_units_visible_to


def rounded(geometry: dict) -> dict:
    """Coordinates to 6 decimals (about 0.1 m): smaller pages, no false precision."""

    def walk(node):
        if isinstance(node, list | tuple):
            if node and isinstance(node[0], int | float):
                return [round(c, 6) for c in node]
            return [walk(c) for c in node]
        return node

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def unit_outlines(person: Person) -> dict:
    """{"type": "FeatureCollection", "features": [...]} of the grids (properties id, name, kind
    "grid", street) and streets (kind "street") the person sees; two queries."""
    visible = org_units_visible_to(person)
    grids = list(
        visible.filter(kind=OrgUnit.Kind.GRID, boundary__isnull=False).only(
            "pk", "name", "path", "boundary", "parent_id"
        )
    )
    streets = {
        u.pk: u
        for u in OrgUnit.objects.filter(pk__in={g.parent_id for g in grids}).only("pk", "name")
    }
    features, by_street = [], {}
    for grid in grids:
        try:
            geometry = shape(grid.boundary)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # a malformed boundary is left off the map, not a broken page
        if geometry.is_empty:
            continue
        by_street.setdefault(grid.parent_id, []).append(geometry.buffer(0))
        features.append(
            {
                "type": "Feature",
                "geometry": rounded(mapping(geometry)),
                "properties": {
                    "id": grid.pk,
                    "name": grid.name,
                    "kind": "grid",
                    "street": streets[grid.parent_id].name if grid.parent_id in streets else "",
                },
            }
        )
    for street_id, shapes in by_street.items():
        street = streets.get(street_id)
        if street is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": rounded(mapping(unary_union(shapes))),
                "properties": {"id": street.pk, "name": street.name, "kind": "street"},
            }
        )
    return {"type": "FeatureCollection", "features": features}
