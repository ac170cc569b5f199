"""GET /api/places/at/: the grid a point lies in, for the phone after 获取定位."""

import pytest

from lightapps.orgs.models import OrgUnit

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[121.44, 31.22], [121.45, 31.22], [121.45, 31.23], [121.44, 31.23], [121.44, 31.22]]
    ],
}


@pytest.fixture
def grid(tree):
    OrgUnit.objects.filter(pk=tree["jny_grid1"].pk).update(boundary=SQUARE)
    tree["jny_grid1"].refresh_from_db()
    tree["jny_grid1"].save()  # the index follows a save
    return tree["jny_grid1"]


def test_a_point_in_a_grid_names_it_and_its_street(
    api, people, grid, django_assert_max_num_queries
):
    client = api(people["owner"])
    client.get("/api/places/at/", {"lat": "31.225", "lng": "121.445"})  # the index, built once

    with django_assert_max_num_queries(1):
        response = client.get("/api/places/at/", {"lat": "31.225", "lng": "121.445"})

    assert response.status_code == 200
    body = response.json()
    assert body["grid"]["name"] == "江宁路第1网格" and body["grid"]["id"] == grid.pk
    assert body["grid"]["boundary"] == SQUARE
    assert body["street"]["name"] == "江宁路街道"


def test_a_point_outside_every_grid_is_null(api, people, grid):
    response = api(people["owner"]).get("/api/places/at/", {"lat": "39.9", "lng": "116.4"})

    assert response.status_code == 200
    assert response.json() == {"grid": None, "street": None}


@pytest.mark.parametrize(
    "query,field",
    [
        ({"lng": "121.4"}, "lat"),
        ({"lat": "31.2"}, "lng"),
        ({"lat": "abc", "lng": "121.4"}, "lat"),
        ({"lat": "nan", "lng": "121.4"}, "lat"),
        ({"lat": "31.2", "lng": "inf"}, "lng"),
        ({"lat": "91", "lng": "121.4"}, "lat"),
        ({"lat": "31.2", "lng": "-181"}, "lng"),
        ({"lat": "1e400", "lng": "121.4"}, "lat"),
        ({"lat": "３１.２", "lng": "121.4"}, "lat"),
    ],
)
def test_a_bad_point_is_refused_naming_the_field(api, people, grid, query, field):
    response = api(people["owner"]).get("/api/places/at/", query)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body


def test_strangers_are_refused(client, grid):
    response = client.get("/api/places/at/", {"lat": "31.225", "lng": "121.445"})

    assert response.status_code in {401, 403}
