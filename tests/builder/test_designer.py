"""表单设计 pages: the designer shell, the phone preview of the saved draft and its check."""

import json

import pytest

from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.services import light_app_create, light_app_save_draft
from lightapps.orgs.models import Role
from lightapps.submissions.models import Submission
from tests.conftest import _person

DRAFT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "site": {"type": "string", "title": "草稿里的工地名称", "minLength": 2},
        "workers": {"type": "integer", "title": "在场人数", "minimum": 0},
    },
    "required": ["site"],
    "unevaluatedProperties": False,
}


@pytest.fixture
def street_app(tree, people):
    """小型工地检查 of 江宁路, with a saved draft and no published version."""
    app = light_app_create(
        key="small-site",
        name="小型工地检查",
        owner_unit=tree["jny"],
        schema={"type": "object", "properties": {}, "unevaluatedProperties": False},
        ui={},
        flow={"template": "none"},
    )
    light_app_save_draft(app=app, schema=DRAFT_SCHEMA, ui={"site": {"ui:help": "见公示牌"}},
                         flow={"template": "none"}, actor=people["designer"])  # fmt: skip
    app.refresh_from_db()
    return app


@pytest.fixture
def street_designers(tree):
    return {
        "jny": _person("jny_designer", "江设计", tree["jny"], Role.DESIGNER),
        "smr": _person("smr_designer", "石设计", tree["smr"], Role.DESIGNER),
    }


def _config(response) -> dict:
    text = response.content.decode()
    marker = '<script id="designer-config" type="application/json">'
    start = text.index(marker) + len(marker)
    return json.loads(text[start : text.index("</script>", start)])


def test_designer_page_is_the_shell_the_js_fills(client, people, street_app):
    # given
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/apps/small-site/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="tab-design"' in html and 'class="active" id="tab-design"' in html
    assert 'src="/builder/apps/small-site/preview/"' in html
    assert 'href="/builder/apps/small-site/versions/"' in html  # 发布
    assert "builder/designer.js" in html
    config = _config(response)
    assert config["may_edit"] is True
    assert config["draft_api"] == "/api/apps/small-site/draft/"
    assert config["field_key_api"] == "/api/apps/small-site/field-key/"


def test_versions_tab_keeps_the_old_page(client, people, street_app):
    client.force_login(people["designer"])

    response = client.get("/builder/apps/small-site/versions/")

    assert response.status_code == 200
    assert "草稿定义" in response.content.decode()


def test_other_street_designer_gets_404_and_outsiders_403(client, people, street_app,
                                                          street_designers):  # fmt: skip
    client.force_login(street_designers["smr"])
    assert client.get("/builder/apps/small-site/").status_code == 404
    assert client.get("/builder/apps/small-site/preview/").status_code == 404
    assert client.post("/builder/apps/small-site/preview/check/", "{}",
                       content_type="application/json").status_code == 404  # fmt: skip

    client.force_login(people["owner"])  # a grid worker: no builder at all
    assert client.get("/builder/apps/small-site/").status_code == 403
    assert client.get("/builder/apps/small-site/preview/").status_code == 403


def test_a_designer_who_sees_but_does_not_manage_gets_a_read_only_page(
    client, tree, app_version, street_designers
):
    # given: 外墙检查 belongs to the district; a street designer sees it but may not change it
    client.force_login(street_designers["jny"])

    # when
    response = client.get("/builder/apps/facade-test/")

    # then
    assert response.status_code == 200
    assert _config(response)["may_edit"] is False
    assert 'id="read-only"' in response.content.decode()
    answer = client.put(
        "/api/apps/facade-test/draft/",
        {"schema": {}, "ui": {}, "flow": {}, "revision": app_version.app.draft_revision},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_allowed"


def test_preview_renders_the_saved_draft_with_the_phone_template(client, people, street_app):
    client.force_login(people["designer"])

    response = client.get("/builder/apps/small-site/preview/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "草稿里的工地名称" in html and "见公示牌" in html
    assert 'data-field="site"' in html
    assert "m-preview-tag" in html and "预览" in html
    assert f"草稿第 {street_app.draft_revision} 稿" in html
    # not the phone's offline machinery: no service worker, no outbox, no draft on the phone
    assert "phone/offline.js" not in html and "data-service-worker" not in html
    assert "phone/form.js" not in html and "builder/preview-form.js" in html
    # framed by the designer page only
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response.get("X-Frame-Options", "SAMEORIGIN") == "SAMEORIGIN"


def test_the_real_phone_form_is_unchanged(client, people, app_version):
    client.force_login(people["owner"])

    html = client.get("/m/apps/facade-test/").content.decode()

    assert "phone/form.js" in html  # the form's bundle (with offline.js)
    assert "data-service-worker" in html and "m-preview-tag" not in html


def test_preview_check_validates_against_the_draft_and_stores_nothing(client, people,
                                                                     street_app):  # fmt: skip
    client.force_login(people["designer"])
    url = "/builder/apps/small-site/preview/check/"
    versions, submissions = LightAppVersion.objects.count(), Submission.objects.count()

    bad = client.post(url, {"data": {"workers": -1}}, content_type="application/json")
    good = client.post(url, {"data": {"site": "昌平路", "workers": 3}},
                       content_type="application/json")  # fmt: skip
    broken = client.post(url, "{not json", content_type="application/json")

    assert bad.status_code == 200
    assert bad.json() == {
        "valid": False,
        "fields": {
            "site": ["请填写“草稿里的工地名称”"],
            "workers": [bad.json()["fields"]["workers"][0]],
        },
    }
    assert "在场人数" in bad.json()["fields"]["workers"][0]
    assert good.json() == {"valid": True, "fields": {}}
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_json"
    assert LightAppVersion.objects.count() == versions
    assert Submission.objects.count() == submissions


def test_pages_run_a_constant_number_of_queries(client, people, street_app,
                                                django_assert_max_num_queries):  # fmt: skip
    client.force_login(people["designer"])
    client.get("/builder/apps/small-site/")  # session and caches warm

    with django_assert_max_num_queries(8):
        assert client.get("/builder/apps/small-site/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/builder/apps/small-site/preview/").status_code == 200
