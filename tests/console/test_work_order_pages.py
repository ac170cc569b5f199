"""The console's work-order pages: who gets in, the list, and the detail."""

import pytest

from lightapps.workorders.models import WorkOrder
from tests.console.pages import LIST, act, detail_url, events

# ---------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------


def test_console_needs_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/console/")


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "designer"])
def test_people_without_a_console_role_get_a_polite_no_access_page(client, people, make_order, who):
    # given
    order = make_order(people["owner"])
    client.force_login(people[who])

    # when
    list_response = client.get(LIST)
    detail_response = client.get(detail_url(order))
    act_response = act(client, order, "file")

    # then: a page that says so, and nothing of the order
    for response in (list_response, detail_response, act_response):
        assert response.status_code == 403
        html = response.content.decode()
        assert "没有使用督办台的权限" in html
        assert order.number not in html
    order.refresh_from_db()
    assert order.state == "reported"
    assert len(events(order)) == 1


@pytest.mark.parametrize("who", ["supervisor", "dispatcher", "handler"])
def test_people_of_the_orders_street_see_it_in_the_list_and_detail(client, people, make_order, who):
    # given
    order = make_order(people["owner"])
    client.force_login(people[who])

    # when
    list_response = client.get(LIST)
    detail_response = client.get(detail_url(order))

    # then
    assert list_response.status_code == 200
    assert order.number in list_response.content.decode()
    assert detail_response.status_code == 200
    html = detail_response.content.decode()
    assert order.number in html
    assert "江宁路街道 · 江宁路第1网格" in html


def test_the_next_streets_supervisor_does_not_see_the_order(client, people, make_order):
    # given
    order = make_order(people["owner"])
    client.force_login(people["smr_supervisor"])

    # when
    list_response = client.get(LIST)
    detail_response = client.get(detail_url(order))
    act_response = act(client, order, "file", expected_state="reported")

    # then
    assert list_response.status_code == 200
    assert order.number not in list_response.content.decode()
    assert detail_response.status_code == 404
    assert act_response.status_code == 404
    assert order.number not in act_response.content.decode()
    order.refresh_from_db()
    assert order.state == "reported"
    assert len(events(order)) == 1


# ---------------------------------------------------------------------------------------------
# List
# ---------------------------------------------------------------------------------------------


def test_list_shows_the_columns_and_a_counter_per_state(client, people, make_order):
    # given
    first = make_order(people["owner"])
    second = make_order(people["owner"])
    client.force_login(people["dispatcher"])
    act(client, first, "file", expected_state="reported")

    # when
    response = client.get(LIST)

    # then
    html = response.content.decode()
    for header in [
        "工单号",
        "标题",
        "应用",
        "位置",
        "状态",
        "当前处置单位",
        "上报时间",
        "剩余时间",
    ]:
        assert f">{header}</th>" in html
    assert "外墙检查 · 江宁路 100 号" in html
    assert "待立案" in html and "待派遣" in html
    counters = {c["state"]: c["n"] for c in response.context["counters"]}
    assert counters == {
        "reported": 1,
        "filed": 1,
        "dispatched": 0,
        "extension_requested": 0,
        "suspended": 0,
        "handled": 0,
        "verified": 0,
        "closed": 0,
        "rejected": 0,
        "merged": 0,
    }
    assert response.context["total"] == 2
    assert [o.number for o in response.context["rows"]] == [second.number, first.number]


def test_list_filters_by_state_app_and_unit(client, people, make_order, tree):
    # given
    first = make_order(people["owner"])
    second = make_order(people["owner"])
    client.force_login(people["dispatcher"])
    act(client, first, "file", expected_state="reported")

    def numbers(**params):
        return [o.number for o in client.get(LIST, params).context["rows"]]

    # then
    assert numbers(state="filed") == [first.number]
    assert numbers(state="reported") == [second.number]
    assert numbers(state="closed") == []
    assert numbers(app="facade-test") == [second.number, first.number]
    assert numbers(app="no-such-app") == [second.number, first.number]  # unknown filter ignored
    assert numbers(unit=tree["jny_grid1"].pk) == [second.number, first.number]
    assert numbers(unit=tree["jny_grid2"].pk) == []
    # a unit outside the person's scope is not offered and not applied
    assert numbers(unit=tree["smr"].pk) == [second.number, first.number]
    response = client.get(LIST)
    unit_ids = [u["pk"] for u in response.context["units"]]
    assert unit_ids == [tree["jny"].pk, tree["jny_grid1"].pk, tree["jny_grid2"].pk]


def test_list_shows_overdue_in_red_and_closed_as_closed(client, people, make_order):
    # given
    from datetime import timedelta

    from django.utils import timezone

    late = make_order(people["owner"])
    done = make_order(people["owner"])
    # calendar time (紧急), so the wording does not depend on the hour the test runs at
    WorkOrder.objects.filter(pk=late.pk).update(
        due_at=timezone.now() - timedelta(hours=5), clock="calendar"
    )
    WorkOrder.objects.filter(pk=done.pk).update(state="closed", closed_at=timezone.now())
    client.force_login(people["supervisor"])

    # when
    response = client.get(LIST)

    # then
    rows = {o.pk: o for o in response.context["rows"]}
    assert rows[late.pk].left["overdue"] is True
    assert rows[late.pk].left["text"] == "超时5小时"
    assert rows[done.pk].left["text"] == "已结案"
    assert rows[done.pk].left["closed"] is True
    html = response.content.decode()
    assert '<td class="col-left overdue" title="超时5小时">超时5小时</td>' in html
    assert '<td class="col-left muted" title="已结案">已结案</td>' in html
    assert response.context["overdue_total"] == 1


def test_list_paginates_fifty_a_page(client, people, make_order):
    # given
    from lightapps.workorders.models import WorkOrder

    order = make_order(people["owner"])
    _clone_orders(order, 54)
    client.force_login(people["supervisor"])

    # when
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    # then
    assert WorkOrder.objects.count() == 55
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert "第 1 / 2 页（第 1–50 件，共 55 件）" in first.content.decode()


def _clone_orders(order, n):
    """n more orders like `order`, each with its own submission (a fast bulk path for counts)."""
    import uuid

    from lightapps.submissions.models import Submission

    submission = order.submission
    for i in range(n):
        clone = Submission.objects.create(
            id=uuid.uuid4(),
            app=submission.app,
            version=submission.version,
            reporter=submission.reporter,
            org_unit=submission.org_unit,
            data=submission.data,
            place_path=order.org_path,
            assignee_path=order.assignee_path,
        )
        WorkOrder.objects.create(
            number=f"GD2026010{i:05d}",
            app=order.app,
            submission=clone,
            org_unit=order.org_unit,
            org_path=order.org_path,
            state=order.state,
            assignee_unit=order.assignee_unit,
            title=f"{order.title} {i}",
            due_at=order.due_at,
        )


@pytest.mark.parametrize("count", [1, 30])
def test_list_queries_do_not_grow_with_rows(
    client, people, make_order, django_assert_max_num_queries, count
):
    # given
    order = make_order(people["owner"])
    _clone_orders(order, count - 1)
    client.force_login(people["supervisor"])

    # when / then
    with django_assert_max_num_queries(13):
        response = client.get(LIST, {"app": "facade-test"})
    assert len(response.context["rows"]) == count


# ---------------------------------------------------------------------------------------------
# Detail
# ---------------------------------------------------------------------------------------------


def test_detail_shows_answers_with_titles_photos_and_the_timeline(client, people, make_order):
    # given
    order = make_order(people["owner"])
    photo_id = order.submission.data["photos"][0]
    client.force_login(people["supervisor"])

    # when
    response = client.get(detail_url(order))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["地址", "江宁路 100 号", "楼层数", "6 层", "是否发现隐患", "隐患类型", "外墙脱落"]:
        assert text in html
    assert "严重" in html
    assert "约 纬度 31.236，经度 121.451（精确位置已隐去，误差约 100 米）" in html  # masked
    assert f'<img src="/attachments/{photo_id}/"' in html
    assert response.context["left"] is None  # the clock starts at 派遣
    answers = {a["name"]: a for a in response.context["answers"]}
    assert answers["hazard_found"]["text"] == "是"
    assert answers["hazards"]["group"]["headers"] == ["隐患类型", "严重程度"]
    assert [
        [c["text"] for c in item["answers"]] for item in answers["hazards"]["group"]["items"]
    ] == [["外墙脱落", "严重"]]
    assert '<table class="mini-table">' in html
    assert [(e["action"], e["to"]) for e in response.context["timeline"]] == [("上报", "待立案")]


def test_detail_shows_answers_of_removed_fields_under_their_key(client, people, make_order):
    # given: answers the version has no field for (stored under an older definition)
    from lightapps.submissions.models import Submission

    order = make_order(people["owner"])
    data = {**order.submission.data, "old_note": "旧版说明"}
    data["hazards"] = [{**data["hazards"][0], "old_size": "大"}]
    Submission.objects.filter(pk=order.submission_id).update(data=data)
    client.force_login(people["supervisor"])

    # when
    response = client.get(detail_url(order))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr data-field="old_note"><th scope="row">old_note</th><td>旧版说明</td></tr>' in html
    hazards = {a["name"]: a for a in response.context["answers"]}["hazards"]["group"]
    assert hazards["headers"] == ["隐患类型", "严重程度", "old_size"]
    assert "<th>old_size</th>" in html


def test_detail_of_a_closed_order_says_so(client, people, make_order):
    # given
    from django.utils import timezone

    order = make_order(people["owner"])
    WorkOrder.objects.filter(pk=order.pk).update(state="closed", closed_at=timezone.now())
    client.force_login(people["supervisor"])

    # when
    html = client.get(detail_url(order)).content.decode()

    # then
    assert '<span id="time-left" class="muted">（已结案）</span>' in html
    assert "工单已办结，无需操作。" in html


def test_detail_offers_only_the_actions_the_person_may_take(client, people, make_order):
    # given
    order = make_order(people["owner"])

    def offered(who):
        client.force_login(people[who])
        return [a["action"] for a in client.get(detail_url(order)).context["actions"]]

    # then
    assert offered("dispatcher") == ["file", "reject"]
    assert offered("supervisor") == ["file", "reject"]
    assert offered("handler") == []


def test_detail_marks_the_note_required_where_the_flow_requires_it(client, people, make_order):
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    response = client.get(detail_url(order))

    actions = {a["action"]: a for a in response.context["actions"]}
    assert actions["reject"]["needs_note"] is True
    assert actions["file"]["needs_note"] is False
    html = response.content.decode()
    assert 'name="expected_state" value="reported"' in html
    assert 'name="expected_version" value="1"' in html
    assert 'class="required"' in html


def test_unknown_order_is_404(client, people):
    client.force_login(people["supervisor"])

    assert client.get("/console/work-orders/999999/").status_code == 404
    assert client.post("/console/work-orders/999999/act/", {"action": "file"}).status_code == 404
