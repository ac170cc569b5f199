"""发布与版本 and 流程设置: what the designer reads before publishing, and the flow's lists."""

import json
import uuid

import pytest

from lightapps.definitions.services import light_app_new, light_app_publish, light_app_save_draft
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, person_upsert
from lightapps.workorders.opening import report_submit

RIVER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "river": {"type": "string", "title": "河道名称"},
        "level": {
            "type": "string",
            "title": "水位",
            "enum": ["low", "high"],
            "enumNames": ["低", "高"],
        },
    },
    "required": ["river"],
    "unevaluatedProperties": False,
}


@pytest.fixture
def river(tree, people):
    app = light_app_new(name="河道巡查", owner_unit=tree["district"], actor=people["designer"])
    light_app_save_draft(app=app, schema=RIVER, ui={}, flow={"template": "none"})
    version = light_app_publish(app=app, actor=people["designer"], note="首版")
    report_submit(
        submission_id=uuid.uuid4(),
        version=version,
        reporter=people["owner"],
        data={"river": "苏州河", "level": "high"},
    )
    return app


def test_the_draft_says_in_words_what_publishing_changes_and_what_it_touches(client, people, river):
    schema = json.loads(json.dumps(RIVER))
    del schema["properties"]["level"]
    light_app_save_draft(app=river, schema=schema, ui={}, flow={"template": "none"})
    client.force_login(people["designer"])

    response = client.get(f"/builder/apps/{river.key}/versions/?v=draft")
    page = response.content.decode()

    assert response.context["words"] == ["删除字段“水位”"]
    assert [(f["path"], f["reports"]) for f in response.context["impact"]["fields"]] == [
        ("level", 1)
    ]
    assert 'id="publish-impact"' in page
    assert 'id="publish-button"' in page
    assert "首版" in page


def test_the_tab_opens_on_the_draft_only_when_it_holds_unpublished_edits(client, people, river):
    client.force_login(people["designer"])
    url = f"/builder/apps/{river.key}/versions/"

    published = client.get(url)
    light_app_save_draft(
        app=river, schema={**RIVER, "title": "河道"}, ui={}, flow={"template": "none"}
    )
    edited = client.get(url)

    assert (published.context["is_draft"], published.context["chosen"].number) == (False, 1)
    assert (edited.context["is_draft"], edited.context["chosen"]) == (True, None)
    assert 'id="publish-button"' in edited.content.decode()


def test_an_unchanged_draft_cannot_be_published_from_the_page(client, people, river):
    client.force_login(people["designer"])

    response = client.get(f"/builder/apps/{river.key}/versions/?v=draft")

    assert response.context["unchanged"] is True
    assert 'id="publish-unchanged"' in response.content.decode()
    assert 'id="publish-button" disabled' in response.content.decode()


def test_problems_link_to_their_field_and_flow_problems_to_the_flow_tab(client, people, river):
    schema = json.loads(json.dumps(RIVER))
    schema["properties"]["level"]["type"] = "strin"
    flow = {"template": "closed_loop", "routing": [{"by": "unit", "unit": "NOPE"}]}
    light_app_save_draft(app=river, schema=schema, ui={}, flow=flow)
    client.force_login(people["designer"])

    page = client.get(f"/builder/apps/{river.key}/versions/?v=draft").content.decode()

    assert f'href="/builder/apps/{river.key}/?field=level"' in page
    assert f'href="/builder/apps/{river.key}/flow/"' in page
    assert "派单单位“NOPE”不存在" in page


def test_someone_who_cannot_manage_the_app_gets_no_publish_or_rollback(client, tree, river):
    street = person_upsert(username="jny_designer", name="江设计", wecom_userid="jny_designer")
    membership_grant(person=street, org_unit=tree["jny"], role=Role.DESIGNER)
    client.force_login(street)

    page = client.get(f"/builder/apps/{river.key}/versions/?v=draft").content.decode()

    assert 'id="publish-form"' not in page
    assert "data-rollback" not in page


def test_the_flow_page_offers_choice_fields_units_and_limits(client, people, river, tree):
    client.force_login(people["designer"])

    response = client.get(f"/builder/apps/{river.key}/flow/")
    setup = response.context["flow_setup"]

    assert [f["path"] for f in setup["fields"]] == ["level"]
    assert setup["fields"][0]["choices"] == [
        {"value": "low", "label": "低"},
        {"value": "high", "label": "高"},
    ]
    assert [u["name"] for u in setup["units"]] == ["静安区", "江宁路街道", "石门二路街道", "房管局"]
    closed = next(t for t in setup["templates"] if t["key"] == "closed_loop")
    assert [s["state"] for s in closed["states"]] == ["dispatched", "handled", "verified"]
    assert 'id="flow-setup"' in response.content.decode()


def test_builder_tabs_are_for_designers_and_unknown_apps_are_404(client, people, river):
    client.force_login(people["supervisor"])
    assert client.get(f"/builder/apps/{river.key}/flow/").status_code == 403
    assert client.get(f"/builder/apps/{river.key}/versions/").status_code == 403
    client.force_login(people["designer"])
    assert client.get("/builder/apps/nope/flow/").status_code == 404
    assert client.get(f"/builder/apps/{river.key}/versions/?v=9").status_code == 404


def test_the_versions_page_queries_stay_constant(
    client, people, river, django_assert_max_num_queries
):
    for i in range(5):
        schema = json.loads(json.dumps(RIVER))
        schema["properties"]["river"]["title"] = f"河道{i}"
        light_app_save_draft(app=river, schema=schema, ui={}, flow={"template": "none"})
        light_app_publish(app=river, actor=people["designer"])
    client.force_login(people["designer"])

    with django_assert_max_num_queries(10):
        client.get(f"/builder/apps/{river.key}/versions/?v=draft")
