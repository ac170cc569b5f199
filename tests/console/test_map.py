"""工单地图: outlines and points the person may see, filtered like the list, no tiles unless set."""

import uuid

import pytest

from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import valid_data
from tests.workorders.conftest import GRID_BOXES, INSIDE_SMR_GRID1

MAP = "/console/map/"
POINTS = "/console/map/points/"


@pytest.fixture
def smr_order(app_version, make_photo, people, django_capture_on_commit_callbacks):
    """An order reported in 石门二路's grid: the next street's, not 江宁路's."""
    data = valid_data([make_photo(people["outsider"]).pk])
    data["location"] = {"lat": INSIDE_SMR_GRID1[0], "lng": INSIDE_SMR_GRID1[1], "accuracy": 5.0}
    with django_capture_on_commit_callbacks(execute=True):
        submission, _ = report_submit(
            submission_id=uuid.uuid4(), version=app_version, reporter=people["outsider"], data=data
        )
    return submission.work_order


@pytest.fixture
def mapped(tree):
    for key, polygon in GRID_BOXES.items():
        tree[key].boundary = polygon
        tree[key].save(update_fields=["boundary"])
    return tree


def _numbers(response):
    return sorted(f["properties"]["number"] for f in response.json()["orders"]["features"])


def test_the_map_draws_the_streets_and_grids_the_person_sees(client, people, mapped):
    client.force_login(people["supervisor"])

    response = client.get(MAP)
    outlines = response.context["map_setup"]["outlines"]["features"]

    assert response.status_code == 200
    assert sorted((f["properties"]["kind"], f["properties"]["name"]) for f in outlines) == [
        ("grid", "江宁路第1网格"),
        ("grid", "江宁路第2网格"),
        ("street", "江宁路街道"),
    ]
    street = next(f for f in outlines if f["properties"]["kind"] == "street")
    assert street["geometry"]["type"] == "Polygon"  # the two grids' union
    assert response.context["map_setup"]["tiles"] is None
    assert 'id="no-tiles"' in response.content.decode()


def test_points_are_the_visible_orders_filtered_like_the_list(
    client, people, mapped, make_order, smr_order, django_assert_max_num_queries
):
    mine = make_order(people["owner"])
    other = smr_order
    client.force_login(people["supervisor"])

    with django_assert_max_num_queries(8):
        response = client.get(POINTS)
    filtered = client.get(POINTS, {"state": "filed"})

    assert _numbers(response) == [mine.number]
    point = response.json()["orders"]["features"][0]
    assert point["geometry"]["coordinates"] == [121.451, 31.236]  # to about 100 m
    assert point["properties"]["label"] == "待立案"
    assert point["properties"]["url"] == f"/console/work-orders/{mine.pk}/"
    assert _numbers(filtered) == []
    client.force_login(people["smr_supervisor"])
    assert _numbers(client.get(POINTS)) == [other.number]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"state": "gone"}, "state"), ({"due": "later"}, "due"), ({"unit": "abc"}, "unit")],
)
def test_a_bad_filter_is_refused_on_the_map_and_its_points(client, people, mapped, query, field):
    client.force_login(people["supervisor"])

    page = client.get(MAP, query)
    points = client.get(POINTS, query)

    assert page.status_code == 400
    assert page.context["map_setup"]["points"] == ""
    assert points.status_code == 400
    assert points.json()["code"] == "invalid_filter"
    assert field in points.json()["fields"]


def test_a_unit_of_another_street_is_refused_not_widened(client, people, mapped, smr_order):
    client.force_login(people["supervisor"])

    response = client.get(POINTS, {"unit": mapped["smr"].pk})

    assert response.status_code == 400
    assert "unit" in response.json()["fields"]


def test_a_tile_server_is_used_and_allowed_only_when_configured(client, people, mapped, settings):
    settings.MAP_TILE_URL = "https://t{s}.tiles.example.gov.cn/vec/{z}/{x}/{y}.png"
    client.force_login(people["supervisor"])

    response = client.get(MAP)

    assert response.context["map_setup"]["tiles"]["url"] == settings.MAP_TILE_URL
    assert 'id="no-tiles"' not in response.content.decode()


def test_the_map_is_for_console_roles(client, people, mapped):
    client.force_login(people["owner"])
    assert client.get(MAP).status_code == 403
    assert client.get(POINTS).status_code == 403
    client.logout()
    assert client.get(POINTS).status_code == 302
