"""批量办理: tick orders on the list, 立案 or 派遣 them at once; each through the transition service
on its own — the stale, the not-allowed, the possible duplicate and another street's are left as
they are and named, the rest done."""

import uuid

import pytest

from lightapps.workorders.models import WorkOrder
from lightapps.workorders.opening import report_submit
from lightapps.workorders.services import work_order_transition
from tests.fixtures.definitions import valid_data


@pytest.fixture
def spread(app_version, make_photo, people, django_capture_on_commit_callbacks):
    """Orders reported some 200 m apart (no duplicate candidates of each other), 待立案."""

    def make(n, *, step=0.002):
        made = []
        for i in range(n):
            data = valid_data([make_photo(people["owner"]).pk])
            data["location"] = {"lat": 31.2363 + step * i, "lng": 121.4512, "accuracy": 10.0}
            with django_capture_on_commit_callbacks(execute=True):
                submission, _ = report_submit(
                    submission_id=uuid.uuid4(),
                    version=app_version,
                    reporter=people["owner"],
                    data=data,
                )
            made.append(submission.work_order)
        return made

    return make


def _bulk(client, orders, action, **extra):
    items = [o if isinstance(o, str) else f"{o.pk}:{o.version}" for o in orders]
    data = {"orders": items, "action": action, "query": "state=reported&page=2", **extra}
    return client.post("/console/bulk/", data, follow=True)


def _flash(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _states(orders):
    return [WorkOrder.objects.get(pk=o.pk).state for o in orders]


def test_a_dispatcher_files_then_dispatches_a_page_in_two_steps(client, people, spread):
    orders = spread(3)
    client.force_login(people["dispatcher"])

    filed = _bulk(client, orders, "file", note="早班批量立案")
    assert filed.redirect_chain[-1][0] == "/console/?state=reported"  # the same list, no page
    assert _flash(filed) == [("success", "已批量立案 3 件")]
    assert _states(orders) == ["filed"] * 3
    assert all(
        WorkOrder.objects.get(pk=o.pk).events.filter(action="file", note="早班批量立案").exists()
        for o in orders
    )

    fresh = [WorkOrder.objects.get(pk=o.pk) for o in orders]
    sent = _bulk(client, fresh, "dispatch")  # to each order's routed unit
    assert _flash(sent) == [("success", "已批量派遣 3 件")]
    assert _states(orders) == ["dispatched"] * 3


def test_stale_and_doubled_submissions_change_nothing_twice(client, people, spread):
    orders = spread(3)
    client.force_login(people["dispatcher"])
    work_order_transition(order=orders[1], actor=people["supervisor"], action="file")

    first = _bulk(client, orders, "file")
    again = _bulk(client, orders, "file")  # the same form sent twice

    assert first.status_code == 200
    (done, failed) = _flash(first)
    assert done == ("success", "已批量立案 2 件")
    assert failed[0] == "warning"
    assert (
        f"1 件未能立案，保持原样：{orders[1].number}：工单状态已变化（当前：待派遣）" in failed[1]
    )
    assert _flash(again)[0][0] == "warning" and "3 件未能立案" in _flash(again)[0][1]
    assert WorkOrder.objects.get(pk=orders[0].pk).events.filter(action="file").count() == 1


def test_a_possible_duplicate_is_left_to_be_decided_by_hand(client, people, spread):
    first, near = spread(2, step=0.0001)  # some 11 m apart
    client.force_login(people["dispatcher"])

    response = _bulk(client, [first, near], "file")

    assert ("success", "已批量立案 1 件") in _flash(response)
    assert any(
        f"{near.number}：有疑似重复的工单，请打开逐件判断" in m for _t, m in _flash(response)
    )
    assert _states([first, near]) == ["filed", "reported"]


def test_not_allowed_and_a_wrong_unit_are_named(client, people, spread, tree):
    orders = spread(2)
    for o in orders:
        work_order_transition(order=o, actor=people["dispatcher"], action="file")
    fresh = [WorkOrder.objects.get(pk=o.pk) for o in orders]

    client.force_login(people["supervisor"])  # 督办 files, but 派遣 is the dispatcher's
    refused = _bulk(client, fresh, "dispatch")
    client.force_login(people["dispatcher"])
    elsewhere = _bulk(client, fresh, "dispatch", target_unit=tree["smr"].pk)

    assert "您没有在此处“派遣”的权限" in _flash(refused)[0][1]
    assert "不能派往该单位" in _flash(elsewhere)[0][1]
    assert _states(orders) == ["filed", "filed"]


def test_another_streets_orders_are_not_found_and_not_touched(client, people, spread):
    orders = spread(2)
    client.force_login(people["smr_supervisor"])

    response = _bulk(client, orders, "file")

    assert "2 件未能立案" in _flash(response)[0][1]
    assert f"编号 {orders[0].pk}：工单不存在" in _flash(response)[0][1]
    assert orders[0].number not in _flash(response)[0][1]  # not even the number leaks
    assert _states(orders) == ["reported", "reported"]


@pytest.mark.parametrize(
    ("orders", "action", "says"),
    [
        ([], "file", "请先勾选要办理的工单"),
        (["x:1"], "file", "工单列表有误"),
        (["1:-2"], "file", "工单列表有误"),
        ([str(i) for i in range(1, 52)], "file", "一次最多办理 50 件"),
        (["1"], "close", "只能批量：立案、派遣"),
        (["1"], "", "只能批量：立案、派遣"),
    ],
)
def test_bad_posts_are_refused_with_the_reason(client, people, orders, action, says):
    client.force_login(people["dispatcher"])

    response = _bulk(client, orders, action)

    assert response.status_code == 200
    assert any(level == "error" and says in m for level, m in _flash(response)), _flash(response)


def test_a_bad_unit_is_refused_before_anything(client, people, spread):
    orders = spread(1)
    client.force_login(people["dispatcher"])
    response = _bulk(client, orders, "dispatch", target_unit="北京")
    assert _flash(response) == [("error", "请选择有效的承办单位")]


def test_the_bar_is_offered_to_who_may_file_or_dispatch(client, people, spread):
    spread(1)
    client.force_login(people["dispatcher"])
    page = client.get("/console/")
    assert page.context["bulk"] is not None
    assert 'id="bulk-form"' in page.content.decode()
    assert [d["name"] for d in page.context["bulk"]["departments"]]  # the district's departments

    client.force_login(people["handler"])
    page = client.get("/console/")
    assert page.context["bulk"] is None
    assert 'name="orders"' not in page.content.decode()

    client.force_login(people["owner"])
    assert client.post("/console/bulk/", {"orders": ["1"], "action": "file"}).status_code == 403


def test_the_bar_offers_only_the_steps_of_the_persons_roles_and_the_listed_state(
    client, people, spread
):
    spread(1)
    client.force_login(people["supervisor"])  # 督办 files; 派遣 is the dispatcher's
    assert client.get("/console/").context["bulk"]["actions"] == [("file", "立案")]
    assert client.get("/console/").context["bulk"]["departments"] == []
    client.force_login(people["dispatcher"])
    listed = client.get("/console/", {"state": "reported"})
    assert listed.context["bulk"]["actions"] == [("file", "立案")]
    assert client.get("/console/").context["bulk"]["actions"] == [
        ("file", "立案"),
        ("dispatch", "派遣"),
    ]
    WorkOrder.objects.update(state="dispatched")
    assert client.get("/console/", {"state": "dispatched"}).context["bulk"] is None
