"""The development login, logout, and that production mode can never turn the dev login on.

(tests/web/conftest.py opens the development login to the test client's `testserver` host; the
loopback rule and the password login are in test_login_limits.py.)"""

import subprocess
import sys

import pytest
from django.contrib.auth import SESSION_KEY

from tests.fixtures.production import ROOT, production_env


def _logged_in_id(client):
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_dev_login_lists_people_grouped_by_street_with_roles(client, people):
    # when
    response = client.get("/login/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    for person in people.values():
        assert f'data-username="{person.username}"' in html
    assert "江宁路街道" in html and "石门二路街道" in html
    assert "网格员 · 江宁路第1网格" in html
    assert "督办核查 · 江宁路街道" in html
    assert "应用设计 · 静安区" in html
    # 江宁路 people are listed under 江宁路, before 石门二路 starts.
    assert html.index('data-username="owner"') < html.index("石门二路街道")
    assert html.index('data-username="outsider"') > html.index("石门二路街道")


def test_dev_login_page_queries_do_not_grow_with_people(
    client, people, tree, django_assert_max_num_queries
):
    # given: many more people in many grids
    from lightapps.orgs.models import Role
    from lightapps.orgs.services import membership_grant, person_upsert

    for i in range(30):
        person = person_upsert(username=f"extra{i}", name=f"额外{i}")
        membership_grant(person=person, org_unit=tree["jny_grid2"], role=Role.REPORTER)

    # when / then
    with django_assert_max_num_queries(3):
        response = client.get("/login/")
    assert response.status_code == 200
    assert 'data-username="extra29"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("owner", "/m/"),
        ("handler", "/m/"),
        ("supervisor", "/console/"),
        ("dispatcher", "/console/"),
        ("designer", "/builder/"),
    ],
)
def test_dev_login_logs_in_the_chosen_person_and_lands_by_role(client, people, who, landing):
    # when
    response = client.post("/login/", {"person": people[who].pk})

    # then
    assert response.status_code == 302
    assert response["Location"] == landing
    assert _logged_in_id(client) == people[who].pk


def test_dev_login_follows_a_safe_next(client, people):
    response = client.post("/login/", {"person": people["owner"].pk, "next": "/console/?state=x"})

    assert response.status_code == 302
    assert response["Location"] == "/console/?state=x"


@pytest.mark.parametrize(
    "evil", ["https://evil.example", "//evil.example/x", "https://evil.example/console/"]
)
def test_dev_login_ignores_an_open_redirect_next(client, people, evil):
    # when
    response = client.post("/login/?next=/m/", {"person": people["supervisor"].pk, "next": evil})

    # then: the role's page, never the other host
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert "evil" not in response["Location"]
    assert _logged_in_id(client) == people["supervisor"].pk


def test_dev_login_page_does_not_echo_an_unsafe_next(client, people):
    response = client.get("/login/", {"next": "https://evil.example"})

    assert "evil.example" not in response.content.decode()


def test_dev_login_refuses_an_unknown_person(client, people):
    response = client.post("/login/", {"person": 987654})

    assert response.status_code == 404
    assert _logged_in_id(client) is None


def test_dev_login_refuses_a_person_without_memberships(client, people):
    # given: a superuser made on the command line, with no place in the tree
    from lightapps.orgs.models import Person

    admin = Person.objects.create_superuser(username="root", password="x" * 20)

    # when
    response = client.post("/login/", {"person": admin.pk})

    # then
    assert response.status_code == 404
    assert _logged_in_id(client) is None


def test_dev_login_refuses_a_non_numeric_person(client, people):
    response = client.post("/login/", {"person": "owner"})

    assert response.status_code == 404
    assert _logged_in_id(client) is None


def test_dev_login_requires_csrf(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"person": people["owner"].pk})

    assert response.status_code == 403
    assert _logged_in_id(client) is None


def test_with_dev_login_off_the_page_lists_nobody_and_offers_the_password_login(
    client, people, settings
):
    # given
    settings.DEV_LOGIN = False

    # when
    response = client.get("/login/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "企业微信" in html and "账号密码登录" in html
    assert 'name="password"' in html
    assert "data-username" not in html
    for person in people.values():
        assert person.display_name not in html


def test_with_dev_login_off_a_post_logs_nobody_in(client, people, settings):
    # given
    settings.DEV_LOGIN = False

    # when
    response = client.post("/login/", {"person": people["supervisor"].pk})

    # then
    assert response.status_code == 404
    assert _logged_in_id(client) is None


def test_logout_needs_post_and_logs_out(client, people):
    # given
    client.force_login(people["owner"])

    # when a GET does nothing
    assert client.get("/logout/").status_code == 405
    assert _logged_in_id(client) == people["owner"].pk

    # when
    response = client.post("/logout/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert _logged_in_id(client) is None


# ---------------------------------------------------------------------------------------------
# Production mode
# ---------------------------------------------------------------------------------------------


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_never_turns_the_dev_login_on():
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEV_LOGIN)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(DEV_LOGIN="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
