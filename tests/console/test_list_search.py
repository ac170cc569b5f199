"""工单列表: free text, priority, who reported or handles it, and the sort orders; a bad value is
a precise error, never a silent "everything" (the console and the API)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lightapps.workorders.models import WorkOrder


@pytest.fixture
def four(people, make_order):
    now = timezone.now()
    made = {}
    for name, reporter, title, priority, due, closed in (
        ("a", "owner", "外墙检查 · 江宁路 8 号", "urgent", now + timedelta(hours=2), None),
        ("b", "owner", "外墙检查 · 昌平路 1 号", "normal", now + timedelta(days=1), None),
        ("c", "colleague", "外墙检查 · 江宁路第2网格", "normal", None, None),
        ("d", "owner", "外墙检查 · 西康路 3 号", "normal", now - timedelta(days=3), now),
    ):
        order = make_order(people[reporter])
        WorkOrder.objects.filter(pk=order.pk).update(
            title=title,
            search_text="",  # the title alone says where
            priority=priority,
            due_at=due,
            closed_at=closed,
            state="closed" if closed else "dispatched",
            created_at=now - timedelta(minutes=10 * len(made)),  # a newest … d oldest
        )
        made[name] = WorkOrder.objects.get(pk=order.pk)
    return made


def _listed(client, **params):
    response = client.get("/console/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return [o.number for o in response.context["rows"]], response.context["total"]


def test_search_priority_and_reporter_narrow_the_list_and_its_total(client, people, four):
    client.force_login(people["supervisor"])
    n = {k: o.number for k, o in four.items()}

    assert _listed(client, q="江宁路") == ([n["a"], n["c"]], 2)
    assert _listed(client, q=n["b"][-6:]) == ([n["b"]], 1)  # part of the number
    assert _listed(client, priority="urgent") == ([n["a"]], 1)
    assert _listed(client, reporter=people["colleague"].pk) == ([n["c"]], 1)
    assert _listed(client, q="江宁路", priority="normal") == ([n["c"]], 1)
    assert _listed(client, q="没有这样的地址") == ([], 0)


def test_sorts_and_the_default_for_open_orders(client, people, four):
    client.force_login(people["supervisor"])
    n = {k: o.number for k, o in four.items()}

    assert _listed(client)[0] == [n["a"], n["b"], n["c"], n["d"]]  # newest first
    assert _listed(client, sort="created")[0] == [n["d"], n["c"], n["b"], n["a"]]
    # open orders first, nearest deadline first, no deadline after; closed ones last
    assert _listed(client, sort="due")[0] == [n["a"], n["b"], n["c"], n["d"]]
    four["a"].__class__.objects.filter(pk=four["a"].pk).update(
        due_at=timezone.now() + timedelta(days=5)
    )
    assert _listed(client, sort="due")[0] == [n["b"], n["a"], n["c"], n["d"]]
    # a list of open orders is sorted by deadline without asking
    assert _listed(client, state="dispatched")[0] == [n["b"], n["a"], n["c"]]
    assert _listed(client, sort="priority")[0][0] == n["a"]


def test_bad_values_are_named_on_the_page_and_in_the_api(client, people, api, four):
    client.force_login(people["supervisor"])
    bad = {"q": "长" * 101, "priority": "high", "sort": "name", "assignee": "x"}

    page = client.get("/console/", bad)
    answer = api(people["supervisor"]).get("/api/work-orders/", bad)
    found = api(people["supervisor"]).get("/api/work-orders/", {"q": "昌平路"})

    assert page.status_code == 400
    assert list(page.context["rows"]) == []
    assert "搜索内容不能超过 100 个字" in page.content.decode()
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_filter"
    assert set(answer.json()["fields"]) == {"q", "priority", "sort", "assignee"}
    assert [o["number"] for o in found.json()["results"]] == [four["b"].number]


def test_another_streets_supervisor_finds_nothing_by_search(client, people, four):
    client.force_login(people["smr_supervisor"])

    assert _listed(client, q="江宁路") == ([], 0)


def test_the_reporter_and_handler_choosers_offer_the_people_in_scope(client, people, four):
    client.force_login(people["supervisor"])
    pickers = client.get("/console/").context["pickers"]
    reporters = {p["name"] for _unit, ps in pickers["reporter"]["groups"] for p in ps}
    handlers = {p["name"] for _unit, ps in pickers["assignee"]["groups"] for p in ps}
    assert reporters == {"王网格", "李网格"}  # 江宁路's grid workers, not 石门二路's
    assert handlers == {"陈处置"}

    client.force_login(people["smr_supervisor"])
    page = client.get("/console/", {"reporter": people["owner"].pk})
    pickers = page.context["pickers"]
    assert {p["name"] for _u, ps in pickers["reporter"]["groups"] for p in ps} == {"赵网格"}
    # a person of another street, chosen by a link: kept by number only, and nothing listed
    assert pickers["reporter"]["extra"] == {
        "pk": people["owner"].pk,
        "name": f"人员 {people['owner'].pk}",
    }
    assert "王网格" not in page.content.decode()
    assert list(page.context["rows"]) == []


def test_the_search_reads_the_answers_too(client, people, make_order):
    order = make_order(people["owner"])  # a hazard 严重, which the title does not say
    client.force_login(people["supervisor"])

    assert "严重" not in order.title
    assert _listed(client, q="严重") == ([order.number], 1)
    assert _listed(client, q="一般") == ([], 0)
