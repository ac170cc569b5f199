"""The grid index answers exactly what a naive point-in-polygon over every grid answers, in one
query whatever the number of grids, and follows boundary changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from lightapps.demo.org_tree import BBOX, seed_org_units
from lightapps.orgs.grids import grid_id_at, grid_index_invalidate, street_of_grid
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import ancestor_of_kind
from lightapps.workorders.routing import grid_at


def naive_grid_id(lat: float, lng: float) -> int | None:
    """The rule as it was: every grid in tree order, the first whose boundary covers the point."""
    point = Point(lng, lat)
    for grid in OrgUnit.objects.filter(kind="grid", boundary__isnull=False).order_by("path"):
        if shape(grid.boundary).covers(point):
            return grid.pk
    return None


@pytest.fixture
def district(db):
    """The demo district's 85 grids (hypothesis runs every example of a test against one)."""
    seed_org_units()
    return sorted(
        {
            (x, y)
            for g in OrgUnit.objects.filter(kind="grid")
            for x, y in g.boundary["coordinates"][0]
        }
    )


lat = st.floats(BBOX["south"] - 0.01, BBOX["north"] + 0.01, allow_nan=False)
lng = st.floats(BBOX["west"] - 0.01, BBOX["east"] + 0.01, allow_nan=False)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lat=lat, lng=lng)
def test_random_points_go_where_the_naive_lookup_sends_them(district, lat, lng):
    assert grid_id_at(lat=lat, lng=lng) == naive_grid_id(lat, lng)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corner=st.data())
def test_corners_and_shared_edges_go_where_the_naive_lookup_sends_them(district, corner):
    lng_, lat_ = corner.draw(st.sampled_from(district))
    assert grid_id_at(lat=lat_, lng=lng_) == naive_grid_id(lat_, lng_)


def test_a_warm_lookup_asks_the_database_nothing_whatever_the_number_of_grids(
    district, django_assert_max_num_queries
):
    grid_at(lat=31.25, lng=121.45)  # warm
    with django_assert_max_num_queries(0):
        found = grid_at(lat=31.25, lng=121.45)
        street = found._street
    assert found.kind == "grid" and found.pk == naive_grid_id(31.25, 121.45)
    assert street.kind == "street" and found.path.startswith(street.path)
    assert found.name == OrgUnit.objects.get(pk=found.pk).name


def test_the_index_names_each_grids_street_as_the_tree_does(district):
    for grid in OrgUnit.objects.filter(kind="grid"):
        assert street_of_grid(grid.pk).pk == ancestor_of_kind(grid, OrgUnit.Kind.STREET).pk
    assert street_of_grid(OrgUnit.objects.get(kind="district").pk) is None


def test_a_changed_boundary_is_followed_at_once(tree):
    # given a grid covering a square, looked up once
    square = {
        "type": "Polygon",
        "coordinates": [
            [[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.1], [121.0, 31.0]]
        ],
    }
    grid = OrgUnit.objects.create(
        name="测试网格", kind="grid", code="T-G-IDX", parent=tree["jny"], path="", boundary=square
    )
    assert grid_id_at(lat=31.05, lng=121.05) == grid.pk

    # when the boundary moves away, then the point is in no grid
    grid.boundary = {
        "type": "Polygon",
        "coordinates": [
            [[122.0, 31.0], [122.1, 31.0], [122.1, 31.1], [122.0, 31.1], [122.0, 31.0]]
        ],
    }
    grid.save()
    assert grid_id_at(lat=31.05, lng=121.05) is None
    assert grid_id_at(lat=31.05, lng=122.05) == grid.pk

    # a write that bypassed save() is followed once invalidated (what another process does)
    OrgUnit.objects.filter(pk=grid.pk).update(boundary=square)
    grid_index_invalidate()
    assert grid_id_at(lat=31.05, lng=121.05) == grid.pk


@pytest.mark.parametrize(
    "boundary",
    [{"type": "Polygon"}, {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, {"x": 1}, []],
)
def test_a_broken_boundary_routes_nothing(tree, boundary):
    OrgUnit.objects.create(
        name="坏网格", kind="grid", code="T-G-BAD", parent=tree["jny"], path="", boundary=boundary
    )
    assert grid_id_at(lat=0.5, lng=0.5) is None


def test_another_processs_change_is_seen_within_the_trusted_window(tree, monkeypatch):
    # given an indexed grid, and this process's clock under the test's hand
    from lightapps.orgs import grids

    now = [1000.0]
    monkeypatch.setattr(grids.time, "monotonic", lambda: now[0])
    square = {"type": "Polygon", "coordinates": [[[121, 31], [121.1, 31], [121.1, 31.1],
                                                   [121, 31.1], [121, 31]]]}  # fmt: skip
    grid = OrgUnit.objects.create(
        name="窗口网格", kind="grid", code="T-G-WIN", parent=tree["jny"], path="", boundary=square
    )
    assert grid_id_at(lat=31.05, lng=121.05) == grid.pk

    # when another process moves it away (its write and its new version, not this process's)
    OrgUnit.objects.filter(pk=grid.pk).update(boundary=None)
    grids.cache.set(grids.VERSION_KEY, "another process's version", timeout=None)

    # then this process trusts its index for the window (no cache round trip per lookup), and
    # follows the change once the window is over
    now[0] += grids.VERSION_TRUSTED_SECONDS / 2
    assert grid_id_at(lat=31.05, lng=121.05) == grid.pk
    now[0] += grids.VERSION_TRUSTED_SECONDS
    assert grid_id_at(lat=31.05, lng=121.05) is None


def test_units_by_code_come_from_the_index(tree, django_assert_num_queries):
    from lightapps.orgs.grids import unit_by_code

    unit_by_code("T-FGJ")  # builds the index
    with django_assert_num_queries(0):
        assert unit_by_code("T-FGJ").pk == tree["fgj"].pk
        assert unit_by_code("NOPE") is None
