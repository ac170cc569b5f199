"""应用列表: search, filters, status, who changed it, and the actions a designer may take."""

import pytest

from lightapps.definitions.services import light_app_new, light_app_set_disabled
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, person_upsert


@pytest.fixture
def apps(app_version, tree, people):
    street = person_upsert(username="jny_designer", name="江设计", wecom_userid="jny_designer")
    membership_grant(person=street, org_unit=tree["jny"], role=Role.DESIGNER)
    mine = light_app_new(name="江宁路巡查", owner_unit=tree["jny"], actor=street)
    gone = light_app_new(name="旧的巡查", owner_unit=tree["district"], actor=people["designer"])
    light_app_set_disabled(app=gone, disabled=True, actor=people["designer"])
    return {"street_designer": street, "street_app": mine, "disabled": gone}


def _rows(response):
    return [a.key for a in response.context["apps"]]


def test_the_list_shows_status_who_saved_and_reports(client, people, apps):
    client.force_login(people["designer"])

    response = client.get("/builder/")
    page = response.content.decode()

    # most recently changed first
    assert _rows(response) == ["jiu-de-xun-cha", "jiang-ning-lu-xun-cha", "facade-test"]
    assert {a.key: a.status for a in response.context["apps"]} == {
        "facade-test": "published",
        "jiang-ning-lu-xun-cha": "draft",
        "jiu-de-xun-cha": "disabled",
    }
    assert "江设计" in page
    assert 'data-action="enable"' in page
    assert 'id="new-app"' in page
    assert "小型工地检查" in page  # a template offered in the new-app dialog


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("q=巡查", ["jiu-de-xun-cha", "jiang-ning-lu-xun-cha"]),
        ("q=FACADE", ["facade-test"]),
        ("status=draft", ["jiang-ning-lu-xun-cha"]),
        ("status=published", ["facade-test"]),
        ("status=disabled", ["jiu-de-xun-cha"]),
        ("q=没有", []),
    ],
)
def test_the_list_filters(client, people, apps, query, keys):
    client.force_login(people["designer"])

    assert _rows(client.get(f"/builder/?{query}")) == keys


def test_the_list_filters_by_unit(client, people, apps, tree):
    client.force_login(people["designer"])

    assert _rows(client.get(f"/builder/?owner_unit={tree['jny'].pk}")) == ["jiang-ning-lu-xun-cha"]


@pytest.mark.parametrize("query", ["status=gone", "owner_unit=abc", "owner_unit=-1"])
def test_a_bad_filter_says_so_and_lists_nothing(client, people, apps, query):
    client.force_login(people["designer"])

    response = client.get(f"/builder/?{query}")

    assert response.status_code == 400
    assert response.context["apps"] == []
    assert "筛选条件不对" in response.content.decode()


def test_a_street_designer_manages_only_the_streets_apps(client, apps):
    client.force_login(apps["street_designer"])

    response = client.get("/builder/")
    manageable = {a.key: a.manageable for a in response.context["apps"]}

    # the district's apps are shown (the street fills them in) but offer no action
    assert manageable == {
        "facade-test": False,
        "jiang-ning-lu-xun-cha": True,
        "jiu-de-xun-cha": False,
    }
