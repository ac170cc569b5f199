"""The order page's extension asked, before/after photos and place map."""

import pytest

from tests.console.pages import detail_url
from tests.workorders.conftest import GRID_BOXES, PATHS, take


@pytest.fixture
def dispatched(make_order, people, tree):
    tree["jny_grid2"].boundary = GRID_BOXES["jny_grid2"]
    tree["jny_grid2"].save(update_fields=["boundary"])
    order = make_order(people["owner"])
    for action, who in PATHS["dispatched"]:
        order = take(order, action, people[who])
    return order


def test_an_extension_request_shows_its_length_reason_and_who_asked(client, people, dispatched):
    take(
        dispatched,
        "request_extension",
        people["handler"],
        note="脚手架需等待专业队伍",
        extension={"amount": 3, "unit": "workday"},
    )
    client.force_login(people["supervisor"])

    response = client.get(detail_url(dispatched))
    page = response.content.decode()

    assert response.context["extension_asked"]["amount"] == 3
    assert "申请延期 3 工作日" in page
    assert "脚手架需等待专业队伍" in page
    assert "陈处置" in page


def test_no_extension_box_when_none_is_waiting(client, people, dispatched):
    client.force_login(people["supervisor"])

    assert 'id="extension-asked"' not in client.get(detail_url(dispatched)).content.decode()


def test_before_and_after_photos_line_up_report_handling_and_check(
    client, people, dispatched, make_photo
):
    handled = take(
        dispatched, "handle", people["handler"], photos=[make_photo(people["handler"]).pk]
    )
    take(handled, "rework", people["supervisor"], photos=[make_photo(people["supervisor"]).pk])
    client.force_login(people["supervisor"])

    response = client.get(detail_url(dispatched))
    stages = response.context["photo_stages"]

    assert [s["label"] for s in stages] == ["上报时", "处置后", "退回返工时"]
    assert all(len(s["photos"]) == 1 for s in stages)
    assert 'id="photo-stages"' in response.content.decode()
    assert "console/photo-viewer.js" in response.content.decode()


def test_the_place_map_has_the_point_and_the_grid(client, people, dispatched):
    client.force_login(people["supervisor"])

    response = client.get(detail_url(dispatched))
    place = response.context["place_map"]

    assert place["point"] == [31.236, 121.451]  # masked to about 100 m
    assert place["boundary"] == GRID_BOXES["jny_grid2"]
    assert "vendor/leaflet/leaflet.js" in response.content.decode()
    assert response.context["photo_stages"] == []  # only the report has photos yet
