"""Work orders through the API: scoping with three people, actions, one error shape."""

import pytest

from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.workorders.conftest import take


@pytest.mark.parametrize("who", ["owner", "colleague", "supervisor", "handler", "dispatcher"])
def test_people_of_the_street_see_the_order(make_order, people, api, who):
    order = make_order(people["owner"])
    client = api(people[who])
    listed = client.get("/api/work-orders/").json()["results"]
    assert [o["number"] for o in listed] == [order.number]
    detail = client.get(f"/api/work-orders/{order.pk}/")
    assert detail.status_code == 200
    assert detail.json()["events"][0]["action_label"] == "上报"


@pytest.mark.parametrize("who", ["outsider", "smr_supervisor"])
def test_outsider_gets_404_everywhere(make_order, people, api, who, client):
    # given
    order = make_order(people["owner"])
    photo_id = order.submission.data["photos"][0]
    api_client = api(people[who])

    # when / then
    assert api_client.get("/api/work-orders/").json()["results"] == []
    detail = api_client.get(f"/api/work-orders/{order.pk}/")
    assert detail.status_code == 404
    assert detail.json() == {"code": "not_found", "message": "不存在或无权查看", "fields": {}}
    act = api_client.post(
        f"/api/work-orders/{order.pk}/actions/", {"action": "file"}, format="json"
    )
    assert act.status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).state == "reported"
    client.force_login(people[who])
    assert client.get(f"/attachments/{photo_id}/").status_code == 404
    submissions = api_client.get("/api/apps/facade-test/submissions/").json()["results"]
    assert submissions == []


def test_photo_is_served_to_the_street(make_order, people, client):
    order = make_order(people["owner"])
    client.force_login(people["supervisor"])
    response = client.get(f"/attachments/{order.submission.data['photos'][0]}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_action_through_api(make_order, people, api):
    order = make_order(people["owner"])
    response = api(people["dispatcher"]).post(
        f"/api/work-orders/{order.pk}/actions/",
        {"action": "file", "note": "符合立案条件", "expected_state": "reported"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "filed"
    assert response.json()["state_label"] == "待派遣"
    assert [a["action"] for a in response.json()["actions"]] == ["dispatch"]
    assert WorkOrderEvent.objects.filter(order=order, action="file").get().note == "符合立案条件"


def test_doubled_action_gives_one_success_and_one_conflict(make_order, people, api):
    order = make_order(people["owner"])
    body = {"action": "file", "expected_state": "reported"}
    first = api(people["dispatcher"]).post(
        f"/api/work-orders/{order.pk}/actions/", body, format="json"
    )
    second = api(people["supervisor"]).post(
        f"/api/work-orders/{order.pk}/actions/", body, format="json"
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "stale_state"
    assert WorkOrderEvent.objects.filter(order=order, action="file").count() == 1


def test_the_api_shows_the_version_and_refuses_a_stale_one(make_order, people, api):
    # given: the detail names the version to send back
    order = make_order(people["owner"])
    url = f"/api/work-orders/{order.pk}/"
    assert api(people["dispatcher"]).get(url).json()["version"] == 1
    body = {"action": "keep_separate", "expected_state": "reported", "expected_version": 1}

    # when: 不是重复 twice with what was seen
    first = api(people["dispatcher"]).post(f"{url}actions/", body, format="json")
    second = api(people["supervisor"]).post(f"{url}actions/", body, format="json")

    # then
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["code"] == "stale_state"
    assert WorkOrderEvent.objects.filter(order=order, action="keep_separate").count() == 1


def test_a_self_loop_with_only_the_state_answers_version_required(make_order, people, api):
    order = make_order(people["owner"])
    response = api(people["dispatcher"]).post(
        f"/api/work-orders/{order.pk}/actions/",
        {"action": "keep_separate", "expected_state": "reported"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "version_required"
    assert list(response.json()["fields"]) == ["expected_version"]
    assert not WorkOrderEvent.objects.filter(order=order, action="keep_separate").exists()


def test_refused_action_has_the_error_shape(make_order, people, api):
    order = make_order(people["owner"])
    response = api(people["handler"]).post(
        f"/api/work-orders/{order.pk}/actions/", {"action": "file"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_allowed",
        "message": "您没有在此处“立案”的权限",
        "fields": {},
    }


def test_action_with_wrong_types(make_order, people, api):
    order = make_order(people["owner"])
    response = api(people["dispatcher"]).post(
        f"/api/work-orders/{order.pk}/actions/",
        {"action": ["file"], "note": {"a": 1}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"action", "note"}


def test_filters(make_order, people, api, tree):
    first = make_order(people["owner"])
    second = make_order(people["colleague"])
    client = api(people["supervisor"])
    from lightapps.workorders.services import work_order_transition

    work_order_transition(order=first, action="file", actor=people["dispatcher"])

    def numbers(query):
        return [o["number"] for o in client.get(f"/api/work-orders/?{query}").json()["results"]]

    assert numbers("state=filed") == [first.number]
    assert numbers(f"org_unit={tree['jny_grid2'].pk}") == [second.number]
    assert numbers(f"org_unit={tree['smr'].pk}") == []
    assert numbers("app=facade-test") == [second.number, first.number]
    assert client.get("/api/work-orders/?org_unit=abc").status_code == 400


def test_list_query_count_is_constant(make_order, people, api, django_assert_max_num_queries):
    for _ in range(3):
        make_order(people["owner"])
    client = api(people["supervisor"])
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/work-orders/").json()["results"]) == 3
    for _ in range(10):
        make_order(people["owner"])
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/work-orders/").json()["results"]) == 13


def test_handling_with_photos_through_the_api(make_order, people, api, make_photo):
    # given
    filed = take(make_order(people["owner"]), "file", people["dispatcher"])
    order = take(filed, "dispatch", people["dispatcher"])
    photo = make_photo(people["handler"])
    url = f"/api/work-orders/{order.pk}/actions/"

    # when: ten photos, then a malformed list, then one good photo
    too_many = api(people["handler"]).post(
        url, {"action": "handle", "note": "已修复", "photos": [str(photo.pk)] * 10}, format="json"
    )
    wrong = api(people["handler"]).post(
        url, {"action": "handle", "note": "已修复", "photos": "abc"}, format="json"
    )
    done = api(people["handler"]).post(
        url, {"action": "handle", "note": "已修复", "photos": [str(photo.pk)]}, format="json"
    )

    # then
    assert (too_many.status_code, too_many.json()["code"]) == (400, "invalid")
    assert "photos" in too_many.json()["fields"]
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid")
    assert done.status_code == 200, done.json()
    handle = [e for e in done.json()["events"] if e["action"] == "handle"]
    assert len(handle) == 1
