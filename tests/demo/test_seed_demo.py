"""The demo data: Jing'an's "1+14+85+266" shape, the demo people, the apps, and idempotence."""

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command

from lightapps.definitions.dialect import ui_order_kept
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.demo import light_apps
from lightapps.demo.org_tree import BBOX, DEMO_PEOPLE
from lightapps.demo.samples import DEMO_APP_KEYS, demo_app
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Membership, OrgUnit, Person

STREET_NAMES = [
    "江宁路街道",
    "石门二路街道",
    "南京西路街道",
    "静安寺街道",
    "曹家渡街道",
    "天目西路街道",
    "北站街道",
    "宝山路街道",
    "芷江西路街道",
    "共和新路街道",
    "大宁路街道",
    "彭浦新村街道",
    "临汾路街道",
    "彭浦镇",
]


def _kind_counts() -> dict[str, int]:
    return {kind: OrgUnit.objects.filter(kind=kind).count() for kind in OrgUnit.Kind.values}


def _snapshot() -> dict:
    return {
        "units": sorted(
            OrgUnit.objects.values_list("code", "name", "kind", "parent__code", "path", "boundary")
        ),
        "people": sorted(Person.objects.values_list("username", "name", "wecom_userid")),
        "memberships": sorted(
            Membership.objects.values_list("person__username", "org_unit__code", "role")
        ),
        "versions": sorted(LightAppVersion.objects.values_list("app__key", "number", "pk")),
    }


def test_seed_builds_the_shape_of_jingan(db):
    # given / when
    seed_demo()

    # then
    assert _kind_counts() == {
        "city": 0,
        "district": 1,
        "street": 14,
        "grid": 85,
        "community": 266,
        "department": 5,
    }
    district = OrgUnit.objects.get(kind="district")
    assert (district.code, district.name) == ("310106", "静安区")
    streets = OrgUnit.objects.filter(kind="street").order_by("sort")
    assert [s.name for s in streets] == STREET_NAMES
    assert {s.parent_id for s in streets} == {district.pk}
    assert sorted(
        OrgUnit.objects.filter(kind="department").values_list("name", flat=True)
    ) == sorted(["房管局", "城管执法局", "建管委", "应急局", "市场监管局"])
    assert OrgUnit.objects.get(code="310106-D-FGJ").parent == district


def test_every_grid_sits_in_a_street_and_every_community_in_a_grid(db):
    # given / when
    seed_demo()

    # then
    grids = OrgUnit.objects.filter(kind="grid").select_related("parent")
    assert {g.parent.kind for g in grids} == {"street"}
    assert all(g.name.endswith("网格") and g.code.startswith(g.parent.code) for g in grids)
    jny_grids = OrgUnit.objects.filter(parent__code="310106-01", kind="grid").order_by("sort")
    assert [g.name for g in jny_grids][:3] == ["江宁路第1网格", "江宁路第2网格", "江宁路第3网格"]
    communities = OrgUnit.objects.filter(kind="community").select_related("parent")
    assert {c.parent.kind for c in communities} == {"grid"}
    assert len({c.name for c in communities}) == 266
    assert OrgUnit.objects.get(code="310106-01-G01-C01").path.startswith(
        OrgUnit.objects.get(code="310106-01").path
    )
    # Every street has grids, and every grid has at least one community.
    assert not OrgUnit.objects.filter(kind="street", children__isnull=True).exists()
    assert not OrgUnit.objects.filter(kind="grid", children__isnull=True).exists()


def test_every_demo_person_exists_with_their_roles(db):
    # given / when
    seed_demo()

    # then
    for person in DEMO_PEOPLE:
        stored = Person.objects.get(username=person["username"])
        assert stored.name == person["name"]
        assert stored.wecom_userid == person["username"]
        assert not stored.has_usable_password()
        assert sorted(stored.memberships.values_list("org_unit__code", "role")) == sorted(
            (person["unit"], role) for role in person["roles"]
        )


def test_demo_people_are_the_expected_accounts(db):
    # given / when
    seed_demo()

    # then
    expected = {
        "jny_grid": ("310106-01-G01", "reporter"),
        "jny_grid2": ("310106-01-G02", "reporter"),
        "jny_handler": ("310106-01", "handler"),
        "jny_dispatcher": ("310106-01", "dispatcher"),
        "jny_supervisor": ("310106-01", "supervisor"),
        "smr_grid": ("310106-02-G01", "reporter"),
        "smr_handler": ("310106-02", "handler"),
        "smr_dispatcher": ("310106-02", "dispatcher"),
        "smr_supervisor": ("310106-02", "supervisor"),
        "jingan_designer": ("310106", "designer"),
        "jingan_admin": ("310106", "admin"),
        "jingan_supervisor": ("310106", "supervisor"),
        "fgj_handler": ("310106-D-FGJ", "handler"),
    }
    got = {
        m.person.username: (m.org_unit.code, m.role)
        for m in Membership.objects.select_related("person", "org_unit")
    }
    assert got == expected
    assert OrgUnit.objects.get(code="310106-01-G01").name == "江宁路第1网格"
    assert OrgUnit.objects.get(code="310106-02").name == "石门二路街道"
    # no superuser unless asked
    assert not Person.objects.filter(is_superuser=True).exists()
    seed_demo(superusers=True)
    admins = Person.objects.filter(is_staff=True, is_superuser=True)
    assert list(admins.values_list("username", flat=True)) == ["jingan_admin"]


def test_seed_publishes_the_three_apps_once_by_the_designer(db):
    # given / when
    seed_demo()

    # then
    district = OrgUnit.objects.get(code="310106")
    for spec in map(demo_app, DEMO_APP_KEYS):
        app = LightApp.objects.get(key=spec["key"])
        assert (app.name, app.owner_unit) == (spec["name"], district)
        (version,) = app.versions.all()
        assert version.number == 1
        assert version.published_by.username == "jingan_designer"
        assert (version.schema, version.ui, version.flow) == (
            spec["schema"],
            ui_order_kept(spec["schema"], spec["ui"]),  # the field order made explicit
            spec["flow"],
        )


def test_running_the_seed_twice_changes_nothing(db):
    # given
    first = seed_demo()
    before = _snapshot()

    # when
    second = seed_demo()

    # then
    assert _snapshot() == before
    assert second["units"] == first["units"]
    assert (
        second["apps"] == first["apps"] == {"facade-hazard": 1, "flood-patrol": 1, "small-site": 1}
    )
    assert first["published"] == ["facade-hazard", "small-site", "flood-patrol"]
    assert second["published"] == []
    assert Person.objects.count() == len(DEMO_PEOPLE)


def test_an_edited_draft_is_put_back_without_a_new_version(db):
    # given: someone edited the draft of a demo app
    seed_demo()
    app = LightApp.objects.get(key="flood-patrol")
    app.draft_flow = {**app.draft_flow, "time_limit_hours": 48}
    app.save(update_fields=["draft_flow"])

    # when
    summary = seed_demo()

    # then: the draft matches the demo definition again, which v1 already holds
    app.refresh_from_db()
    assert app.draft_flow["time_limit_hours"] == 24
    assert summary["published"] == []
    assert list(app.versions.values_list("number", flat=True)) == [1]


def test_a_changed_demo_definition_is_published_as_the_next_version(db, monkeypatch):
    # given: the export file of one app changed since the last seed
    seed_demo()
    original = light_apps.demo_app_export

    def changed(key: str) -> dict:
        export = original(key)
        if key == "flood-patrol":
            export["flow"]["time_limit_hours"] = 12
        return export

    monkeypatch.setattr(light_apps, "demo_app_export", changed)

    # when
    summary = seed_demo()

    # then
    assert summary["published"] == ["flood-patrol"]
    assert summary["apps"] == {"facade-hazard": 1, "flood-patrol": 2, "small-site": 1}
    latest = LightAppVersion.objects.get(app__key="flood-patrol", number=2)
    assert latest.flow["time_limit_hours"] == 12
    assert (
        LightAppVersion.objects.get(app__key="flood-patrol", number=1).flow["time_limit_hours"]
        == 24
    )


def test_grid_boundaries_are_closed_rectangles_that_tile_the_district(db):
    # given / when
    seed_demo()

    # then
    grids = list(OrgUnit.objects.filter(kind="grid"))
    area = 0.0
    for grid in grids:
        assert grid.boundary["type"] == "Polygon"
        (ring,) = grid.boundary["coordinates"]
        assert len(ring) == 5
        assert ring[0] == ring[-1]
        for lng, lat in ring:
            assert BBOX["west"] <= lng <= BBOX["east"]
            assert BBOX["south"] <= lat <= BBOX["north"]
        # Shoelace formula: positive means counter-clockwise, as RFC 7946 asks.
        signed = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2
        assert signed > 0
        area += signed
    box = (BBOX["east"] - BBOX["west"]) * (BBOX["north"] - BBOX["south"])
    assert area == pytest.approx(box, rel=1e-6)
    assert not OrgUnit.objects.exclude(kind="grid").filter(boundary__isnull=False).exists()


def test_the_command_prints_a_summary(db):
    # given
    out = StringIO()

    # when
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)

    # then
    lines = out.getvalue().splitlines()
    assert lines.count("组织：区 1，街镇 14，网格 85，居村 266，委办局 5") == 2
    assert lines.count("演示人员：13") == 2
    assert lines[-2].endswith("本次发布新版本：无")
