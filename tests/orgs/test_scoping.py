"""The one selector that scopes what a person may see."""

from lightapps.definitions.selectors import light_apps_visible_to
from lightapps.definitions.services import light_app_create
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import (
    ancestor_of_kind,
    home_unit_of,
    org_units_visible_to,
    person_has_role_over,
    scope_q,
)
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI


def _names(qs):
    return sorted(u.name for u in qs)


def test_street_supervisor_sees_the_street_and_nothing_of_the_next(tree, people):
    assert _names(org_units_visible_to(people["supervisor"])) == [
        "江宁路第1网格",
        "江宁路第2网格",
        "江宁路街道",
    ]
    assert _names(org_units_visible_to(people["smr_supervisor"])) == [
        "石门二路第1网格",
        "石门二路街道",
    ]


def test_grid_worker_sees_their_street_but_acts_only_in_their_grid(tree, people):
    owner = people["owner"]
    assert "江宁路第2网格" in _names(org_units_visible_to(owner))
    assert "石门二路第1网格" not in _names(org_units_visible_to(owner))
    assert person_has_role_over(owner, roles=["reporter"], unit=tree["jny_grid1"])
    assert not person_has_role_over(owner, roles=["reporter"], unit=tree["jny_grid2"])
    assert home_unit_of(owner) == tree["jny_grid1"]


def test_roles_reach_down_not_up(tree, people):
    supervisor = people["supervisor"]
    assert person_has_role_over(supervisor, roles=["supervisor"], unit=tree["jny_grid2"])
    assert not person_has_role_over(supervisor, roles=["supervisor"], unit=tree["district"])
    assert not person_has_role_over(supervisor, roles=["handler"], unit=tree["jny_grid2"])


def test_designer_of_the_district_sees_all_apps(tree, people):
    for key, owner in [("a", tree["district"]), ("b", tree["jny"]), ("c", tree["smr"])]:
        light_app_create(
            key=key, name=key, owner_unit=owner, schema=SMALL_SCHEMA, ui=SMALL_UI, flow=SMALL_FLOW
        )
    assert sorted(a.key for a in light_apps_visible_to(people["designer"])) == ["a", "b", "c"]
    # a street's people see the district's apps and their own street's, not the next street's
    assert sorted(a.key for a in light_apps_visible_to(people["owner"])) == ["a", "b"]
    assert sorted(a.key for a in light_apps_visible_to(people["smr_supervisor"])) == ["a", "c"]


def test_nobody_without_membership_sees_anything(tree, people, django_user_model):
    stranger = django_user_model.objects.create(username="stranger")
    assert OrgUnit.objects.filter(scope_q(stranger, path_field="path")).count() == 0
    assert light_apps_visible_to(stranger).count() == 0


def test_ancestor_of_kind(tree):
    assert ancestor_of_kind(tree["jny_grid1"], OrgUnit.Kind.STREET) == tree["jny"]
    assert ancestor_of_kind(tree["jny"], OrgUnit.Kind.STREET) == tree["jny"]
    assert ancestor_of_kind(tree["fgj"], OrgUnit.Kind.STREET) is None
