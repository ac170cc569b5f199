"""所在网格: the grid (and its street) a GPS point lies in, for the phone to name after 获取定位
and to draw with its boundary. The same spatial index as routing (grids.py), so the phone names
the grid the report will be routed to."""

from .grids import grid_id_at
from .models import OrgUnit
from .outlines import rounded


def place_at(*, lat: float, lng: float) -> dict:
    """{"grid": {"id", "name", "boundary"} | None, "street": {"id", "name"} | None}; one query
    when a grid covers the point, none when none does."""
    grid_id = grid_id_at(lat=lat, lng=lng)
    if grid_id is None:
        return {"grid": None, "street": None}
    grid = (
        OrgUnit.objects.select_related("parent")
        .only("id", "name", "boundary", "parent__id", "parent__name")
        .get(pk=grid_id)
    )
    street = grid.parent
    return {
        "grid": {"id": grid.pk, "name": grid.name, "boundary": rounded(grid.boundary)},
        "street": {"id": street.pk, "name": street.name} if street else None,
    }
