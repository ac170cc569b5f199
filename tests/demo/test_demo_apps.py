"""The three demo apps: publishable, complete, samples valid (and invalid variants not)."""

import uuid
from types import SimpleNamespace

import pytest

from lightapps.definitions import app_templates
from lightapps.definitions.dialect import (
    definition_problems,
    fields_of,
    photo_paths,
    submission_errors,
)
from lightapps.definitions.flows import flow_opens_order
from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.transfer import definition_export
from lightapps.demo import samples
from lightapps.demo.org_tree import BBOX
from lightapps.demo.samples import (
    DEMO_APP_KEYS,
    PHOTO_PLACEHOLDERS,
    demo_app,
    demo_app_export,
    sample_data,
    sample_placeholders,
)
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.workorders.opening import report_submit

APP_KEYS = list(DEMO_APP_KEYS)
DEMO_APPS_BY_KEY = {key: demo_app(key) for key in DEMO_APP_KEYS}


def _version(key: str) -> SimpleNamespace:
    """A stand-in for a published version: what submission_errors reads."""
    app = DEMO_APPS_BY_KEY[key]
    return SimpleNamespace(pk=f"demo-{key}", schema=app["schema"], ui=app["ui"], flow=app["flow"])


def _all_fields(fields: list[dict]) -> list[dict]:
    out = []
    for f in fields:
        out.append(f)
        out += _all_fields(f.get("fields", []))
    return out


def _without(data: dict, *names: str) -> dict:
    return {k: v for k, v in data.items() if k not in names}


def test_each_demo_app_is_one_export_file_with_one_sample():
    # given
    apps, sample_files = app_templates.FOLDER, samples.HERE / "sample_files"

    # when
    app_keys = sorted(p.stem for p in apps.glob("*.json"))
    sample_keys = sorted(p.stem for p in sample_files.glob("*.json"))

    # then: the files are what the builder's export writes, and nothing is left unlisted
    assert app_keys == sample_keys == sorted(APP_KEYS)
    for key in APP_KEYS:
        assert demo_app_export(key) == definition_export(**demo_app(key))
        assert demo_app(key)["key"] == key


@pytest.mark.parametrize("key", APP_KEYS)
def test_demo_app_definition_is_publishable(db, key):
    # given: the demo tree (flows name departments by code)
    seed_demo()
    app = DEMO_APPS_BY_KEY[key]

    # when
    problems = definition_problems(app["schema"], app["ui"], app["flow"])

    # then
    assert problems == []
    assert app["schema"]["unevaluatedProperties"] is False
    order = app["ui"]["ui:order"]
    assert len(order) == len(set(order))
    assert set(order) == {f["name"] for f in fields_of(app["schema"], {})}


@pytest.mark.parametrize("key", APP_KEYS)
def test_demo_app_has_every_kind_of_field(key):
    # given
    app = DEMO_APPS_BY_KEY[key]

    # when
    fields = fields_of(app["schema"], app["ui"])
    every = _all_fields(fields)

    # then
    assert 15 <= len(every) <= 40
    kinds = {f["kind"] for f in every}
    assert {"photos", "location", "group", "boolean"} <= kinds
    assert any(f["visible_when"] is not None for f in fields)
    assert all(f["title"] != f["name"] for f in every), "every field has a Chinese title"
    assert any(f["section"] for f in fields)
    groups = [f for f in fields if f["kind"] == "group"]
    assert all(f["schema"]["minItems"] >= 1 and f["schema"]["maxItems"] > 1 for f in groups)
    for f in every:
        if f["kind"] in {"radio", "select", "checkboxes"}:
            assert f["choices"] and all(c["label"] != c["value"] for c in f["choices"])


@pytest.mark.parametrize(
    ("key", "open_field", "hours"),
    [("facade-hazard", "hazard_found", 72), ("small-site", "problems_found", 120),
     ("flood-patrol", "danger_found", 24)],
)  # fmt: skip
def test_demo_app_flow_opens_a_closed_loop_order_when_something_is_found(key, open_field, hours):
    # given
    flow = DEMO_APPS_BY_KEY[key]["flow"]

    # when
    opens = flow_opens_order(flow, sample_data(key))

    # then
    assert opens is True
    assert flow["template"] == "closed_loop"
    assert flow["open_when"] == {"field": open_field, "equals": True}
    assert flow["time_limit_hours"] == hours
    assert flow_opens_order(flow, {**sample_data(key), open_field: False}) is False


def test_flood_patrol_orders_are_urgent():
    assert DEMO_APPS_BY_KEY["flood-patrol"]["flow"]["priority"] == "urgent"


@pytest.mark.parametrize("key", APP_KEYS)
def test_sample_is_valid_and_located_in_the_district(key):
    # given
    data = sample_data(key)

    # when
    errors = submission_errors(_version(key), data)

    # then
    assert errors == {}
    assert BBOX["south"] < data["location"]["lat"] < BBOX["north"]
    assert BBOX["west"] < data["location"]["lng"] < BBOX["east"]


@pytest.mark.parametrize("key", APP_KEYS)
def test_sample_data_swaps_in_real_photo_ids_everywhere_including_groups(key):
    # given
    app = DEMO_APPS_BY_KEY[key]
    ids = [uuid.uuid4() for _ in sample_placeholders(key)]

    # when
    data = sample_data(key, ids)

    # then
    found = [
        pid
        for _path, pids in photo_paths(data, fields_of(app["schema"], app["ui"]))
        for pid in pids
    ]
    assert sorted(found) == sorted(str(i) for i in ids)
    assert not set(found) & set(PHOTO_PLACEHOLDERS)
    assert any(
        "[" in path for path, _pids in photo_paths(data, fields_of(app["schema"], app["ui"]))
    )
    assert submission_errors(_version(key), data) == {}
    with pytest.raises(ValueError):
        sample_data(key, ids[:-1])


def test_samples_use_distinct_placeholders():
    used = [p for key in APP_KEYS for p in sample_placeholders(key)]
    assert len(used) == len(set(used))


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [
        (
            "facade-hazard",
            lambda d: _without(d, "address"),
            {"address": ["请填写“房屋地址”"]},
        ),
        (
            "facade-hazard",
            lambda d: {**d, "overall_photos": []},
            {"overall_photos": ["“外立面全景照片”至少需要 1 项"]},
        ),
        (
            "facade-hazard",
            lambda d: _without(d, "hazards"),
            {"hazards": ["请填写“隐患明细”"]},
        ),
        (
            "facade-hazard",
            lambda d: {**d, "hazards": [d["hazards"][0], _without(d["hazards"][1], "severity")]},
            {"hazards[1].severity": ["请填写“严重程度”"]},
        ),
        (
            "facade-hazard",
            lambda d: {**d, "hazards": [{**d["hazards"][0], "kind": "pigeon"}]},
            {"hazards[0].kind": ["“隐患类型”不是可选的选项"]},
        ),
        (
            "facade-hazard",
            lambda d: {**d, "owner_phone": "62881234"},
            {"owner_phone": ["“联系电话”应为11 位手机号码"]},
        ),
        (
            "small-site",
            lambda d: {**d, "permit_no": "沪建 2026-001"},
            {"permit_no": ["“施工许可证编号”格式不正确"]},
        ),
        (
            "small-site",
            lambda d: {**d, "workers_on_site": 3.5},
            {"workers_on_site": ["“在场作业人数”应为整数"]},
        ),
        (
            "small-site",
            lambda d: {**d, "rectify_by": "11月26日"},
            {"rectify_by": ["“整改期限”应为日期（如 2026-11-23）"]},
        ),
        (
            "small-site",
            lambda d: _without(d, "fence_ok"),
            {"fence_ok": ["请填写“围挡完好”"]},
        ),
        (
            "flood-patrol",
            lambda d: {**d, "patrolled_at": "昨天晚上九点"},
            {"patrolled_at": ["“巡查时间”应为日期时间（如 2026-11-23T09:30:00+08:00）"]},
        ),
        (
            "flood-patrol",
            lambda d: {**d, "points": [{**d["points"][0], "water_depth_cm": -1}]},
            {"points[0].water_depth_cm": ["“积水深度”不能小于 0"]},
        ),
        (
            "flood-patrol",
            lambda d: {**d, "points": []},
            {"points": ["“检查点位”至少需要 1 项"]},
        ),
        (
            "flood-patrol",
            lambda d: _without(d, "danger_photos"),
            {"danger_photos": ["请填写“险情照片”"]},
        ),
        (
            "flood-patrol",
            lambda d: {**d, "people_evacuated": "6"},
            {"people_evacuated": ["“转移安置人数”应为整数"]},
        ),
    ],
)
def test_invalid_variant_is_refused_with_a_chinese_message_at_the_field(key, change, expected):
    # given
    data = change(sample_data(key))

    # when
    errors = submission_errors(_version(key), data)

    # then
    assert errors == expected


@pytest.mark.parametrize(
    ("key", "switch", "hidden"),
    [
        ("facade-hazard", "hazard_found", "hazards"),
        ("small-site", "problems_found", "problems"),
        ("flood-patrol", "danger_found", "danger_photos"),
    ],
)
def test_a_hidden_conditional_answer_is_refused(key, switch, hidden):
    # given: the switch is off, so the conditional part is hidden; one of its answers is sent
    fields = fields_of(DEMO_APPS_BY_KEY[key]["schema"], DEMO_APPS_BY_KEY[key]["ui"])
    conditional = [f["name"] for f in fields if f["visible_when"] is not None]
    records_only = {**_without(sample_data(key), *conditional), switch: False}
    assert submission_errors(_version(key), records_only) == {}
    data = {**records_only, hidden: sample_data(key)[hidden]}

    # when
    errors = submission_errors(_version(key), data)

    # then
    title = {f["name"]: f["title"] for f in fields}[hidden]
    assert errors == {hidden: [f"按当前的选择，不应填写“{title}”"]}


def test_seeded_versions_accept_the_samples_and_open_work_orders(db, make_photo):
    # given: the demo data, and real photos taken by a grid worker of 江宁路第1网格
    seed_demo()
    reporter = Person.objects.get(username="jny_grid")
    street = OrgUnit.objects.get(code="310106-01")

    for key in APP_KEYS:
        version = LightAppVersion.objects.get(app__key=key, number=1)
        photos = [make_photo(reporter).pk for _ in sample_placeholders(key)]
        data = sample_data(key, photos)
        assert submission_errors(version, data) == {}

        # when
        submission, created = report_submit(
            submission_id=uuid.uuid4(), version=version, reporter=reporter, data=data
        )

        # then
        assert created is True
        assert submission.org_unit.code == "310106-01-G01"
        assert (submission.latitude, submission.longitude) == (
            data["location"]["lat"],
            data["location"]["lng"],
        )
        assert submission.attachments.count() == len(photos)
        # the facade sample has a fallen facing: the flow routes it to 房管局 by subject
        expected = OrgUnit.objects.get(code="310106-D-FGJ") if key == "facade-hazard" else street
        assert submission.work_order.assignee_unit == expected
        assert submission.work_order.state == "reported"
