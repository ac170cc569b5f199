"""API tokens: issued for N days, stored as a digest, rotated and revoked, all audited."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from lightapps.audit.models import AuditEntry
from lightapps.orgs.models import ApiToken
from lightapps.orgs.tokens import token_digest


def _issue(capsys, *args) -> str:
    call_command("issue_token", *args)
    return capsys.readouterr().out.strip()


def _api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_issued_token_authenticates_the_api_and_is_stored_only_as_a_digest(
    people, app_version, capsys
):
    # when
    key = _issue(capsys, "supervisor", "--days", "30", "--note", "城运大屏")

    # then
    assert _api(key).get("/api/work-orders/").status_code == 200
    row = ApiToken.objects.get(person=people["supervisor"])
    assert row.digest == token_digest(key) and key not in (row.digest, row.prefix)
    assert timedelta(days=29, hours=23) < row.expires_at - timezone.now() <= timedelta(days=30)
    assert row.last_used_at is not None
    entry = AuditEntry.objects.get(action="token.issue")
    assert entry.object_id == str(row.pk) and entry.details["days"] == 30
    assert entry.actor_username.startswith("manage.py issue_token")
    # a second issue is a second token (the first one cannot be shown again)
    assert _issue(capsys, "supervisor") != key
    assert ApiToken.objects.filter(person=people["supervisor"]).count() == 2


def test_an_expired_token_is_refused_with_its_own_code(people, capsys):
    key = _issue(capsys, "supervisor", "--days", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _api(key).get("/api/work-orders/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "过期" in response.json()["message"]


def test_rotate_revokes_the_old_token_and_revoke_ends_them_all(people, capsys):
    old = _issue(capsys, "supervisor")
    new = _issue(capsys, "supervisor", "--rotate")
    assert _api(old).get("/api/work-orders/").status_code == 401
    assert _api(new).get("/api/work-orders/").status_code == 200

    call_command("issue_token", "supervisor", "--revoke")
    assert "revoked 1" in capsys.readouterr().out
    response = _api(new).get("/api/work-orders/")
    assert response.status_code == 401 and "吊销" in response.json()["message"]
    assert AuditEntry.objects.filter(action="token.revoke").count() == 2

    call_command("issue_token", "supervisor", "--list")
    listing = capsys.readouterr().out
    assert listing.count("revoked") == 2 and new not in listing


@pytest.mark.parametrize("days", ["0", "-3", "400"])
def test_a_lifetime_out_of_range_is_refused(people, days):
    with pytest.raises(CommandError, match="有效期"):
        call_command("issue_token", "supervisor", "--days", days)
    assert not ApiToken.objects.exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="no active person"):
        call_command("issue_token", "nobody")


@pytest.mark.parametrize(
    "header", ["Token nope", "Token " + "x" * 5000, "Token la_\u00e9", "Token a b", "Token"]
)
def test_bad_token_is_refused_in_the_error_shape(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/work-orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert "令牌" in response.json()["message"]


def test_a_token_of_a_deactivated_person_stops_working(people, capsys):
    key = _issue(capsys, "supervisor")
    people["supervisor"].is_active = False
    people["supervisor"].save()
    assert _api(key).get("/api/work-orders/").status_code == 401
