"""登录失败处理: failed logins counted per account and per address, locked after
LOGIN_FAILURE_LIMIT, unlocked by time or by an admin; the development login only on loopback
and never as a superuser; every step in the audit log."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from lightapps.audit.models import AuditEntry
from lightapps.web.apps import dev_login_check
from tests.fixtures.production import django_setup_in, production_env

PASSWORD = "Correct-horse-battery-9"


@pytest.fixture
def with_password(people):
    person = people["supervisor"]
    person.set_password(PASSWORD)
    person.save()
    return person


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _signed_in(client):
    return client.session.get(SESSION_KEY) is not None


@pytest.fixture(autouse=True)
def _no_dev_login(settings):
    settings.DEV_LOGIN_ANY_ADDRESS = False


def test_password_login_signs_in_and_is_audited(client, with_password):
    response = _login(client, "supervisor", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/console/"
    assert _signed_in(client)
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor_id == with_password.pk and entry.details == {"method": "password"}
    assert entry.ip == "127.0.0.1"


def test_five_failures_lock_the_account_even_for_the_right_password(client, with_password):
    # when
    codes = [_login(client, "supervisor", f"wrong{i}").status_code for i in range(5)]
    response = _login(client, "supervisor", PASSWORD)

    # then
    assert codes[:4] == [400] * 4
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert not _signed_in(client)
    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert failed.count() >= 5
    assert set(failed.values_list("actor_username", flat=True)) == {"supervisor"}
    assert AuditEntry.objects.filter(action="auth.lockout", outcome="denied").exists()
    assert not AuditEntry.objects.filter(action="auth.login").exists()
    # the wrong password never reaches the log
    assert not any("wrong" in str(e.details) for e in AuditEntry.objects.all())


def test_the_lock_is_per_account_across_addresses(with_password):
    for i in range(5):
        _login(Client(REMOTE_ADDR=f"192.0.2.{i}"), "supervisor", "nope")

    response = _login(Client(REMOTE_ADDR="192.0.2.99"), "supervisor", PASSWORD)

    assert response.status_code == 429


def test_the_lock_is_per_address_across_accounts(with_password, people):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for name in ["owner", "colleague", "handler", "dispatcher", "outsider"]:
        _login(attacker, name, "guess")

    assert _login(attacker, "supervisor", PASSWORD).status_code == 429
    # the owner of the account, from elsewhere, is not locked out by the address rule
    assert _login(Client(REMOTE_ADDR="198.51.100.1"), "supervisor", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, with_password):
    for i in range(5):
        _login(client, "supervisor", f"wrong{i}")
    assert _login(client, "supervisor", PASSWORD).status_code == 429

    # time travel: the failures are 16 minutes old
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert _login(client, "supervisor", PASSWORD).status_code == 302


def test_the_limit_and_the_wait_are_settings(client, with_password, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    _login(client, "supervisor", "a")
    response = _login(client, "supervisor", "b")
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert "5 分钟" in response.content.decode()


def test_the_admin_login_is_limited_too(client, with_password):
    with_password.is_staff = with_password.is_superuser = True
    with_password.save()
    for i in range(5):
        client.post("/admin/login/", {"username": "supervisor", "password": f"x{i}"})
    response = client.post("/admin/login/", {"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 429
    assert not _signed_in(client)


def test_an_admin_unlocks_in_the_django_admin_and_that_is_audited(with_password, people):
    # given: the supervisor is locked out
    client = Client()
    for i in range(5):
        _login(client, "supervisor", f"wrong{i}")
    admin = people["designer"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin_client = Client()
    admin_client.force_login(admin)
    attempt = AccessAttempt.objects.get(username="supervisor")

    # when
    page = admin_client.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/")
    assert page.status_code == 200
    admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    # then
    assert not AccessAttempt.objects.filter(username="supervisor").exists()
    assert _login(client, "supervisor", PASSWORD).status_code == 302
    change = AuditEntry.objects.get(action="admin.change")
    assert change.actor_id == admin.pk and change.details["action"] == "delete"
    assert change.object_type == "axes.accessattempt"


@pytest.mark.parametrize(
    "username",
    [
        "",
        "x" * 5000,
        "supervisor\x00",
        "<script>alert(1)</script>",
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ],
)
def test_hostile_usernames_fail_cleanly(client, with_password, username):
    response = _login(client, username, "whatever")
    assert response.status_code in {400, 429}
    assert not _signed_in(client)
    assert "<script>alert(1)</script>" not in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The development login: loopback only, no superuser unless asked
# ---------------------------------------------------------------------------------------------


def test_the_dev_login_answers_only_loopback_to_loopback(people):
    local = Client(HTTP_HOST="127.0.0.1:8000")
    assert 'data-username="owner"' in local.get("/login/").content.decode()
    assert local.post("/login/", {"person": people["owner"].pk}).status_code == 302

    # reached through another name, or from another machine: no list, no login
    for client in (
        Client(HTTP_HOST="testserver"),
        Client(HTTP_HOST="127.0.0.1:8000", REMOTE_ADDR="192.168.1.20"),
    ):
        html = client.get("/login/").content.decode()
        assert "data-username" not in html and "账号密码登录" in html
        assert client.post("/login/", {"person": people["owner"].pk}).status_code == 404
        assert not _signed_in(client)


def test_dev_login_1_opens_it_everywhere_with_a_warning_at_start(settings, people):
    settings.DEV_LOGIN_ANY_ADDRESS = True
    assert [w.id for w in dev_login_check(None)] == ["lightapps.W001"]
    remote = Client(REMOTE_ADDR="192.168.1.20")
    assert remote.post("/login/", {"person": people["owner"].pk}).status_code == 302

    settings.DEV_LOGIN_ANY_ADDRESS = False
    assert dev_login_check(None) == []


def test_the_dev_login_never_signs_in_a_superuser_unless_asked(settings, people):
    boss = people["designer"]
    boss.is_superuser = boss.is_staff = True
    boss.save()
    local = Client(HTTP_HOST="127.0.0.1:8000")

    assert 'data-username="designer"' not in local.get("/login/").content.decode()
    assert local.post("/login/", {"person": boss.pk}).status_code == 404

    settings.DEV_LOGIN_SUPERUSER = True
    assert local.post("/login/", {"person": boss.pk}).status_code == 302
    assert AuditEntry.objects.get(action="auth.login").details == {"method": "dev"}


def test_behind_one_nat_address_the_lock_can_be_per_account_only(with_password, people, settings):
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    office = Client(REMOTE_ADDR="203.0.113.77")
    for name in ["owner", "colleague", "handler", "dispatcher", "outsider"]:
        _login(office, name, "typo")

    assert _login(office, "supervisor", PASSWORD).status_code == 302


def test_a_bad_lockout_setting_is_refused_at_start():
    result = django_setup_in(production_env(LOGIN_LOCKOUT_BY="username,cookie"))
    assert result.returncode != 0 and "LOGIN_LOCKOUT_BY" in result.stderr
