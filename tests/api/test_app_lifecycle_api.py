"""The builder's API: create, duplicate, disable, save against a revision, publish, roll back."""

import uuid

import pytest

from lightapps.definitions.models import LightApp
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, person_upsert
from lightapps.workorders.opening import report_submit

RECORDS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "river": {"type": "string", "title": "河道名称"},
        "level": {"type": "string", "title": "水位", "enum": ["low", "high"]},
    },
    "required": ["river"],
    "unevaluatedProperties": False,
}


@pytest.fixture
def street_designer(tree):
    person = person_upsert(username="jny_designer", name="江设计", wecom_userid="jny_designer")
    membership_grant(person=person, org_unit=tree["jny"], role=Role.DESIGNER)
    return person


def _save(client, key, mutate=None, **extra):
    detail = client.get(f"/api/apps/{key}/").json()
    draft = detail["draft"]
    if mutate:
        mutate(draft)
    return client.put(
        f"/api/apps/{key}/draft/", {**draft, "revision": detail["revision"], **extra}, format="json"
    )


def test_a_blank_app_gets_a_key_from_its_name_and_says_what_stops_publishing(people, api):
    client = api(people["designer"])

    response = client.post("/api/apps/", {"name": "小型工地检查"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["key"] == "xiao-xing-gong-di-jian-cha"
    assert (body["status"], body["revision"], body["saved_by"]) == ("draft", 1, "designer")
    assert body["draft"]["schema"]["properties"] == {}
    assert body["draft"]["flow"] == {"template": "none"}
    assert [p["pointer"] for p in body["problems"]] == ["/schema"]
    again = client.post("/api/apps/", {"name": "小型工地检查"}, format="json").json()
    assert again["key"] == "xiao-xing-gong-di-jian-cha-2"


def test_an_app_from_a_template_publishes_as_it_is(people, api):
    client = api(people["designer"])
    templates = client.get("/api/app-templates/").json()
    assert [t["key"] for t in templates] == ["facade-hazard", "small-site", "flood-patrol"]

    made = client.post(
        "/api/apps/", {"name": "工地检查（试点）", "template": "small-site"}, format="json"
    ).json()
    published = client.post(f"/api/apps/{made['key']}/publish/", {"note": "首版"}, format="json")

    assert made["problems"] == []
    assert made["draft"]["schema"]["properties"]
    assert published.status_code == 201
    assert published.json()["number"] == 1
    assert published.json()["published_by_name"] == "孙设计"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"name": ""}, "invalid", "name"),
        ({"name": "  "}, "invalid", "name"),
        ({"name": "甲", "key": "Bad Key"}, "invalid", "key"),
        ({"name": "甲", "key": "facade-test"}, "key_taken", "key"),
        ({"name": "甲", "template": "nope"}, "invalid", "template"),
        ({"name": "甲", "owner_unit": "x"}, "invalid", "owner_unit"),
        ({"name": ["甲"]}, "invalid", "name"),
    ],
)
def test_creating_an_app_with_bad_input_names_the_field(
    app_version, people, api, body, code, field
):
    response = api(people["designer"]).post("/api/apps/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert LightApp.objects.count() == 1


def test_only_designers_create_and_a_street_designer_only_under_the_street(
    tree, people, street_designer, api
):
    assert api(people["supervisor"]).post("/api/apps/", {"name": "甲"}).status_code == 403
    client = api(street_designer)
    mine = client.post("/api/apps/", {"name": "江宁路巡查"}, format="json")
    above = client.post(
        "/api/apps/", {"name": "区巡查", "owner_unit": tree["district"].pk}, format="json"
    )
    beside = client.post(
        "/api/apps/", {"name": "石门巡查", "owner_unit": tree["smr"].pk}, format="json"
    )

    assert mine.status_code == 201
    assert mine.json()["owner_unit"] == tree["jny"].pk
    assert (above.status_code, beside.status_code) == (403, 403)
    assert above.json()["fields"] == {"owner_unit": ["不在您负责的范围内"]}


def test_a_street_designer_manages_the_streets_apps_and_a_district_designer_all(
    app_version, tree, people, street_designer, api
):
    street = api(street_designer)
    key = street.post("/api/apps/", {"name": "江宁路巡查"}, format="json").json()["key"]

    # the district's app: the street designer may read it (to fill it in) but not change it
    refused = _save(street, "facade-test")
    # the street's app: the district designer manages it too
    allowed = _save(api(people["designer"]), key)

    assert refused.status_code == 403
    assert refused.json()["code"] == "not_allowed"
    assert allowed.status_code == 200
    assert api(people["outsider"]).get(f"/api/apps/{key}/").status_code == 404


def test_a_save_against_a_stale_revision_is_refused_and_names_who_saved(
    app_version, people, street_designer, api
):
    # given: two designers loaded revision 1 of one draft
    tree_designer = api(people["designer"])
    other = person_upsert(username="d2", name="钱设计", wecom_userid="d2")
    membership_grant(person=other, org_unit=app_version.app.owner_unit, role=Role.DESIGNER)
    second = api(other)
    loaded = tree_designer.get("/api/apps/facade-test/").json()
    draft = loaded["draft"]

    # when: the second one saves first, then the first one saves what they loaded
    first_save = _save(second, "facade-test", lambda d: d["schema"].update(description="乙"))
    stale = tree_designer.put(
        "/api/apps/facade-test/draft/",
        {**draft, "revision": loaded["revision"]},
        format="json",
    )

    # then
    assert first_save.status_code == 200
    assert first_save.json()["revision"] == loaded["revision"] + 1
    assert first_save["ETag"] == f'"{loaded["revision"] + 1}"'
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "draft_conflict"
    assert "钱设计" in body["message"]
    assert (body["revision"], body["saved_by"], body["saved_by_name"]) == (2, "d2", "钱设计")
    assert LightApp.objects.get().draft_schema["description"] == "乙"


def test_the_revision_may_come_as_if_match_and_must_come(app_version, people, api):
    client = api(people["designer"])
    detail = client.get("/api/apps/facade-test/").json()

    missing = client.put("/api/apps/facade-test/draft/", detail["draft"], format="json")
    matched = client.put(
        "/api/apps/facade-test/draft/", detail["draft"], format="json", HTTP_IF_MATCH='"1"'
    )
    stale = client.put(
        "/api/apps/facade-test/draft/", detail["draft"], format="json", HTTP_IF_MATCH='"1"'
    )
    wrong = client.put(
        "/api/apps/facade-test/draft/", {**detail["draft"], "revision": "x"}, format="json"
    )

    assert missing.status_code == 428
    assert missing.json()["code"] == "revision_required"
    assert matched.status_code == 200
    assert stale.status_code == 409
    assert wrong.status_code == 400


def test_publishing_an_unchanged_draft_is_refused_with_the_version_it_equals(
    app_version, people, api
):
    client = api(people["designer"])

    response = client.post("/api/apps/facade-test/publish/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "unchanged"
    assert "第 1 版" in response.json()["message"]
    assert app_version.app.versions.count() == 1


def test_rollback_makes_a_version_the_draft_again(app_version, people, api):
    client = api(people["designer"])

    def drop_floors(draft):
        draft["schema"]["properties"].pop("floors")
        draft["schema"]["required"].remove("floors")
        draft["ui"].pop("floors", None)
        draft["ui"]["ui:order"].remove("floors")

    _save(client, "facade-test", drop_floors)
    published = client.post("/api/apps/facade-test/publish/", {"note": "去掉楼层"})
    assert published.status_code == 201, published.json()
    revision = client.get("/api/apps/facade-test/").json()["revision"]

    rolled = client.post("/api/apps/facade-test/rollback/", {"version": 1, "revision": revision})
    republished = client.post("/api/apps/facade-test/publish/", {"note": "回退到第 1 版"})
    missing = client.post("/api/apps/facade-test/rollback/", {"version": 9})
    stale = client.post("/api/apps/facade-test/rollback/", {"version": 1, "revision": revision})

    assert rolled.status_code == 200
    assert "floors" in rolled.json()["draft"]["schema"]["properties"]
    assert republished.status_code == 201
    assert republished.json()["number"] == 3
    assert republished.json()["schema"] == app_version.schema
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (stale.status_code, stale.json()["code"]) == (409, "draft_conflict")
    history = client.get("/api/apps/facade-test/versions/").json()["results"]
    assert [(v["number"], v["note"]) for v in history] == [
        (3, "回退到第 1 版"),
        (2, "去掉楼层"),
        (1, ""),
    ]


def _records_app(client, people):
    key = client.post("/api/apps/", {"name": "防汛记录"}, format="json").json()["key"]
    _save(client, key, lambda d: d["schema"].update(RECORDS))
    client.post(f"/api/apps/{key}/publish/", {})
    return LightApp.objects.get(key=key)


def test_a_disabled_app_leaves_the_phone_and_refuses_new_reports_but_keeps_its_data(
    tree, people, api, client
):
    designer = api(people["designer"])
    app = _records_app(designer, people)
    version = app.versions.get()
    stored, _created = report_submit(
        submission_id=uuid.uuid4(),
        version=version,
        reporter=people["owner"],
        data={"river": "苏州河"},
    )
    reporter = api(people["owner"])

    disabled = designer.post(f"/api/apps/{app.key}/disable/")
    refused = reporter.post(
        f"/api/apps/{app.key}/submissions/",
        {"id": str(uuid.uuid4()), "version": 1, "data": {"river": "苏州河"}},
        format="json",
    )
    resent = reporter.post(
        f"/api/apps/{app.key}/submissions/",
        {"id": str(stored.pk), "version": 1, "data": {"river": "苏州河"}},
        format="json",
    )
    client.force_login(people["owner"])
    home = client.get("/m/").content.decode()
    form = client.get(f"/m/apps/{app.key}/")
    kept = reporter.get(f"/api/apps/{app.key}/submissions/")

    assert disabled.status_code == 200
    assert disabled.json()["status"] == "disabled"
    assert (refused.status_code, refused.json()["code"]) == (409, "app_disabled")
    assert resent.status_code == 200
    # gone from 我要上报; the report sent before still shows under 我的上报
    assert f'href="/m/apps/{app.key}/"' not in home
    assert "防汛记录" in home.split('id="lists"')[1]
    assert form.status_code == 404
    assert kept.json()["count"] == 1

    enabled = designer.post(f"/api/apps/{app.key}/enable/")
    assert enabled.json()["status"] == "published"
    assert f'href="/m/apps/{app.key}/"' in client.get("/m/").content.decode()
    assert api(people["owner"]).post(f"/api/apps/{app.key}/disable/").status_code == 403


def test_duplicate_copies_the_draft_not_the_versions(app_version, people, api):
    client = api(people["designer"])

    copy = client.post("/api/apps/facade-test/duplicate/", {}, format="json")
    named = client.post(
        "/api/apps/facade-test/duplicate/", {"name": "外墙检查（静安）"}, format="json"
    )

    assert copy.status_code == 201
    assert copy.json()["name"] == "外墙检查（副本）"
    assert copy.json()["key"] == "wai-qiang-jian-cha-fu-ben"
    assert copy.json()["status"] == "draft"
    assert copy.json()["draft"] == client.get("/api/apps/facade-test/").json()["draft"]
    assert named.json()["key"] == "wai-qiang-jian-cha-jing-an"


def test_field_keys_come_from_titles_and_published_keys_are_frozen(app_version, people, api):
    client = api(people["designer"])

    made = client.post(
        "/api/apps/facade-test/field-key/", {"title": "建筑名称"}, format="json"
    ).json()
    taken = client.post(
        "/api/apps/facade-test/field-key/",
        {"title": "建筑名称", "taken": ["jian_zhu_ming_cheng"]},
        format="json",
    ).json()
    published = client.post(
        "/api/apps/facade-test/field-key/", {"title": "Address"}, format="json"
    ).json()
    frozen = client.get("/api/apps/facade-test/").json()["frozen_keys"]

    assert made == {"key": "jian_zhu_ming_cheng"}
    assert taken == {"key": "jian_zhu_ming_cheng_2"}
    assert published == {"key": "address_2"}
    assert {"address", "photos", "hazards", "hazards[].kind"} <= set(frozen)


def test_keys_still_made_from_their_titles_are_listed_so_they_keep_following(
    app_version, people, api
):
    client = api(people["designer"])

    def add(draft):
        props = draft["schema"]["properties"]
        props["jian_zhu_ming_cheng"] = {"type": "string", "title": "建筑名称"}  # from the title
        props["jian_zhu_ming_cheng_2"] = {"type": "string", "title": "建筑名称"}  # suffixed
        props["wei_qiang"] = {"type": "string", "title": "围墙高度"}  # title changed by hand
        props["bld"] = {"type": "string", "title": "楼号"}  # typed by the designer
        props["address"]["title"] = "地址"  # published: frozen whatever its title
        hazards = draft["schema"]["allOf"][0]["then"]["properties"]["hazards"]
        hazards["items"]["properties"]["ceng_ci"] = {"type": "integer", "title": "层次"}

    saved = _save(client, "facade-test", add)

    assert saved.status_code == 200, saved.json()
    keyed = set(client.get("/api/apps/facade-test/").json()["title_keyed"])
    assert {"jian_zhu_ming_cheng", "jian_zhu_ming_cheng_2", "hazards[].ceng_ci"} <= keyed
    assert not keyed & {"wei_qiang", "bld", "address"}
    assert keyed == set(saved.json()["title_keyed"])


def test_the_diff_says_in_words_what_changes_and_counts_the_reports_it_touches(people, api):
    client = api(people["designer"])
    app = _records_app(client, people)
    for river in ("苏州河", "黄浦江"):
        report_submit(
            submission_id=uuid.uuid4(),
            version=app.versions.get(),
            reporter=people["owner"],
            data={"river": river, "level": "high"},
        )

    def change(draft):
        props = draft["schema"]["properties"]
        props.pop("level")
        props["river"]["title"] = "河道"
        props["note"] = {"type": "string", "title": "备注"}
        draft["schema"]["required"] = ["river", "note"]

    _save(client, app.key, change)
    diff = client.get(f"/api/apps/{app.key}/diff/").json()

    assert diff["words"] == ["新增字段“备注”", "删除字段“水位”", "字段“河道名称”改名为“河道”"]
    assert diff["impact"]["reports"] == 2
    assert [(f["path"], f["change"], f["reports"]) for f in diff["impact"]["fields"]] == [
        ("level", "removed", 2),
        ("river", "changed", 2),
    ]


def test_the_list_filters_by_status_name_and_unit(
    app_version, tree, people, street_designer, api, django_assert_max_num_queries
):
    client = api(people["designer"])
    api(street_designer).post("/api/apps/", {"name": "江宁路巡查"}, format="json")
    disabled = client.post("/api/apps/", {"name": "停用的应用"}, format="json").json()["key"]
    client.post(f"/api/apps/{disabled}/disable/")

    def keys(query):
        return [a["key"] for a in client.get(f"/api/apps/?{query}").json()["results"]]

    assert keys("status=published") == ["facade-test"]
    assert keys("status=draft") == ["jiang-ning-lu-xun-cha"]
    assert keys("status=disabled") == [disabled]
    assert keys("q=巡查") == ["jiang-ning-lu-xun-cha"]
    assert keys(f"owner_unit={tree['jny'].pk}") == ["jiang-ning-lu-xun-cha"]
    listed = client.get("/api/apps/").json()["results"]
    assert {a["key"]: a["saved_by_name"] for a in listed}["jiang-ning-lu-xun-cha"] == "江设计"
    bad = client.get("/api/apps/?status=gone")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_filter")
    assert "status" in bad.json()["fields"]
    for i in range(5):
        client.post("/api/apps/", {"name": f"应用{i}"}, format="json")
    with django_assert_max_num_queries(6):
        client.get("/api/apps/")


def test_made_keys_never_collide_even_cut_short_and_reserved_words_are_refused(
    app_version, people, api
):
    client = api(people["designer"])
    long_name = "0" * 99  # its key is cut to 64 characters, and its suffixed forms shorter

    keys = [
        client.post("/api/apps/facade-test/duplicate/", {"name": long_name}, format="json")
        for _ in range(3)
    ]
    reserved = client.post("/api/apps/", {"name": "导入", "key": "import"}, format="json")
    named = client.post("/api/apps/", {"name": "import"}, format="json")

    assert [r.status_code for r in keys] == [201, 201, 201]
    made = [r.json()["key"] for r in keys]
    assert len(set(made)) == 3 and all(len(k) <= 64 for k in made)
    assert made[1].endswith("-2") and made[2].endswith("-3")
    assert reserved.status_code == 400
    assert reserved.json()["fields"] == {"key": ["“import”是系统保留的标识，请换一个"]}
    assert named.status_code == 201 and named.json()["key"] == "import-2"
