"""应用设计 pages: the app list, one app's versions and definition, and who may see them."""

import re

import pytest

from lightapps.definitions.services import (
    light_app_create,
    light_app_publish,
    light_app_save_draft,
)
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI

RECORDS_SCHEMA = {
    "type": "object",
    "properties": {"river": {"type": "string", "title": "河道名称"}},
    "required": ["river"],
    "unevaluatedProperties": False,
}


@pytest.fixture
def three_apps(app_version, tree, people):
    """外墙检查 (v1, published by the fixture, then v2), 防汛巡查 (v1) and 小型工地 (draft only)."""
    facade = app_version.app
    light_app_save_draft(
        app=facade,
        schema={**facade.draft_schema, "description": "增加说明"},
        ui=facade.draft_ui,
        flow=facade.draft_flow,
    )
    light_app_publish(app=facade, actor=people["designer"], note="增加说明")
    flood = light_app_create(
        key="flood-patrol",
        name="防汛巡查",
        owner_unit=tree["district"],
        schema=RECORDS_SCHEMA,
        ui={},
        flow={"template": "none"},
    )
    light_app_publish(app=flood, actor=people["designer"])
    site = light_app_create(
        key="small-site",
        name="小型工地检查",
        owner_unit=tree["jny"],
        schema=RECORDS_SCHEMA,
        ui={},
        flow={"template": "none"},
    )
    return {"facade": facade, "flood": flood, "site": site}


def test_builder_needs_login(client):
    response = client.get("/builder/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/builder/")


def test_designer_sees_the_three_apps_with_their_latest_versions(client, people, three_apps):
    # given
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/")

    # then
    assert response.status_code == 200
    rows = {a.key: a for a in response.context["apps"]}
    assert sorted(rows) == ["facade-test", "flood-patrol", "small-site"]
    assert rows["facade-test"].latest_number == 2
    assert rows["facade-test"].version_count == 2
    assert rows["flood-patrol"].latest_number == 1
    assert rows["small-site"].latest_number is None
    html = response.content.decode()
    assert "外墙检查" in html and "防汛巡查" in html and "小型工地检查" in html
    assert "v2" in html and "未发布" in html


def test_app_list_queries_do_not_grow_with_apps(
    client, people, three_apps, tree, django_assert_max_num_queries
):
    # given
    client.force_login(people["designer"])
    for i in range(10):
        extra = light_app_create(
            key=f"extra-{i}",
            name=f"额外应用{i}",
            owner_unit=tree["district"],
            schema=RECORDS_SCHEMA,
            ui={},
            flow={"template": "none"},
        )
        light_app_publish(app=extra, actor=people["designer"])

    # when / then
    with django_assert_max_num_queries(5):
        response = client.get("/builder/")
    assert len(response.context["apps"]) == 13


@pytest.mark.parametrize("who", ["owner", "supervisor", "handler", "outsider"])
def test_people_without_designer_role_are_refused(client, people, three_apps, who):
    # given
    client.force_login(people[who])

    # when
    list_response = client.get("/builder/")
    app_response = client.get("/builder/apps/facade-test/versions/")

    # then
    for response in (list_response, app_response):
        assert response.status_code == 403
        html = response.content.decode()
        assert "没有应用设计的权限" in html
        assert "外墙检查" not in html and "facade-test" not in html


def test_unknown_app_is_404(client, people, three_apps):
    client.force_login(people["designer"])

    assert client.get("/builder/apps/no-such-app/versions/").status_code == 404


def test_unknown_version_is_404(client, people, three_apps):
    client.force_login(people["designer"])

    assert client.get("/builder/apps/facade-test/versions/", {"v": "9"}).status_code == 404
    assert client.get("/builder/apps/facade-test/versions/", {"v": "abc"}).status_code == 404


def test_app_page_shows_the_latest_version_by_default(client, people, three_apps):
    # given
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/apps/facade-test/versions/")

    # then
    assert response.status_code == 200
    assert response.context["chosen"].number == 2
    assert [v.number for v in response.context["versions"]] == [2, 1]
    fields = {f["name"]: f for f in response.context["fields"]}
    assert [f["name"] for f in response.context["fields"]] == [
        "address",
        "floors",
        "checked_on",
        "location",
        "photos",
        "hazard_found",
        "hazards",
        "kind",
        "severity",
    ]
    assert fields["address"]["title"] == "地址"
    assert fields["address"]["required"] is True
    assert fields["checked_on"]["required"] is False
    assert fields["photos"]["kind"] == "照片"
    assert fields["hazards"]["kind"] == "重复组"
    assert fields["hazards"]["condition"] == "当“是否发现隐患”为 是"
    assert fields["kind"]["level"] == 1
    assert fields["kind"]["choices"] == ["外墙脱落（tile）", "窗户松动（window）", "空调外机（ac）"]
    html = response.content.decode()
    assert "增加说明" in html
    assert "<pre" in html and "&quot;unevaluatedProperties&quot;: false" in html
    assert "闭环处置" in html


def test_app_page_shows_a_chosen_version_and_the_draft(client, people, three_apps):
    # given: the draft moves on after v2
    client.force_login(people["designer"])
    facade = three_apps["facade"]
    schema = {**SMALL_SCHEMA, "properties": {**SMALL_SCHEMA["properties"]}}
    schema["properties"]["owner_name"] = {"type": "string", "title": "业主姓名"}
    light_app_save_draft(app=facade, schema=schema, ui=SMALL_UI, flow=SMALL_FLOW)

    # when
    v1 = client.get("/builder/apps/facade-test/versions/", {"v": "1"})
    draft = client.get("/builder/apps/facade-test/versions/", {"v": "draft"})

    # then
    assert v1.context["chosen"].number == 1
    assert "owner_name" not in [f["name"] for f in v1.context["fields"]]
    assert draft.context["is_draft"] is True
    assert "owner_name" in [f["name"] for f in draft.context["fields"]]
    assert "业主姓名" in draft.content.decode()


def test_a_draft_only_app_shows_its_draft_and_its_problems(client, people, three_apps):
    # given: a draft that cannot be published
    client.force_login(people["designer"])
    light_app_save_draft(
        app=three_apps["site"], schema=RECORDS_SCHEMA, ui={"nope": {}}, flow={"template": "none"}
    )

    # when
    response = client.get("/builder/apps/small-site/versions/")

    # then
    assert response.status_code == 200
    assert response.context["is_draft"] is True
    assert response.context["chosen"] is None
    html = response.content.decode()
    assert "尚未发布任何版本" in html
    assert "界面定义中的“nope”不是表单字段" in html


def test_app_page_says_each_steps_time_limit(client, people, three_apps):
    # given: SMALL_FLOW gives the older single limit (72 working hours for 处置)
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/apps/facade-test/versions/")

    # then: every timed step of the closed loop, with its unit
    assert response.context["flow_limits"] == (
        "待处置 72 个工作小时，待核查 1 个工作日，待结案 4 个工作小时"
    )
    assert "时限：待处置 72 个工作小时" in response.content.decode()
    assert not response.context["flow_urgent"]


def test_app_page_of_an_urgent_flow_with_its_own_limits(client, people, three_apps):
    # given
    facade = three_apps["facade"]
    flow = {
        "template": "closed_loop",
        "priority": "urgent",
        "time_limits": {"dispatched": {"amount": 4, "unit": "hour"}},
    }
    light_app_save_draft(app=facade, schema=SMALL_SCHEMA, ui=SMALL_UI, flow=flow)
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/apps/facade-test/versions/", {"v": "draft"})

    # then
    html = response.content.decode()
    assert "紧急（按自然时计）" in html
    assert "待处置 4 小时" in html


def test_a_records_only_app_shows_no_time_limit(client, people, three_apps):
    client.force_login(people["designer"])

    response = client.get("/builder/apps/flood-patrol/versions/")

    assert response.context["flow_limits"] == ""
    assert 'id="flow-limits"' not in response.content.decode()


@pytest.mark.parametrize(("path", "title"), [("/builder/apps/facade-test/versions/", "外墙检查 · 发布与版本"),
                                             ("/builder/import/", "导入轻应用")])  # fmt: skip
def test_builder_pages_carry_their_styles_in_a_stylesheet_not_in_the_title(
    client, people, three_apps, path, title
):
    # given a designer
    client.force_login(people["designer"])
    # when
    html = client.get(path).content.decode()
    # then the tab says the page's name, and the page has no inline style a CSP would block
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == f"{title} · 城运轻应用"
    assert "<style" not in html and 'style="' not in html
    assert "/static/builder/builder.css" in html
    assert 'class="active"' in html
