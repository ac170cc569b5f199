"""时限 filters: overdue and due soon, in the API and the console; unknown values refused."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lightapps.workorders.models import WorkOrder


@pytest.fixture
def orders(make_order, people):
    """Four open 江宁路 orders: overdue, due soon (marked), due later, no deadline; and one
    closed past its deadline."""
    now = timezone.now()
    made = {name: make_order(people["owner"]) for name in
            ["overdue", "soon", "later", "none", "closed_late"]}  # fmt: skip

    def set_(name, **fields):
        WorkOrder.objects.filter(pk=made[name].pk).update(**fields)

    set_("overdue", due_at=now - timedelta(hours=1))
    set_("soon", due_at=now + timedelta(hours=2), due_soon_for=now + timedelta(hours=2))
    set_("later", due_at=now + timedelta(days=3))
    set_("closed_late", due_at=now - timedelta(days=2), closed_at=now - timedelta(days=1),
         state="closed")  # fmt: skip
    return made


def _api(person, query):
    client = APIClient()
    client.force_authenticate(person)
    return client.get("/api/work-orders/", query)


@pytest.mark.parametrize(("due", "expected"), [("overdue", ["overdue"]), ("due_soon", ["soon"])])
def test_the_api_lists_overdue_or_due_soon_orders(orders, people, due, expected):
    response = _api(people["supervisor"], {"due": due})
    assert response.status_code == 200, response.json()
    assert [r["id"] for r in response.json()["results"]] == [orders[n].pk for n in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"state": "overdue"}, "state"),
        ({"state": "nonsense"}, "state"),
        ({"due": "late"}, "due"),
        ({"state": "x" * 5000}, "state"),
    ],  # fmt: skip
)
def test_an_unknown_state_or_due_is_refused_naming_the_field(orders, people, query, field):
    response = _api(people["supervisor"], query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and list(body["fields"]) == [field]
    assert len(body["fields"][field][0]) < 100


def test_another_streets_supervisor_sees_none_of_them(orders, people):
    response = _api(people["smr_supervisor"], {"due": "overdue"})
    assert response.json()["results"] == []


def test_the_console_filters_by_due_and_its_total_links_there(orders, people, client):
    client.force_login(people["supervisor"])

    page = client.get("/console/", {"due": "overdue"})

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-order="{orders["overdue"].pk}"' in html
    assert f'data-order="{orders["soon"].pk}"' not in html
    assert '<option value="overdue" selected>' in html
    assert "due=overdue" in client.get("/console/").content.decode()  # 超期 N 件 is a link


def test_the_console_refuses_an_unknown_state_in_chinese_and_lists_nothing(orders, people, client):
    client.force_login(people["supervisor"])

    page = client.get("/console/", {"state": "overdue"})

    html = page.content.decode()
    assert page.status_code == 400
    assert "筛选条件有误" in html and "没有这个状态：overdue" in html
    assert "data-order=" not in html
