import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient


def test_issued_token_authenticates_the_api(people, app_version, capsys):
    # when
    call_command("issue_token", "supervisor")
    token = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    # then
    assert len(token) == 40
    assert client.get("/api/work-orders/").status_code == 200
    call_command("issue_token", "supervisor")
    assert capsys.readouterr().out.strip() == token


def test_rotate_replaces_the_token(people, capsys):
    call_command("issue_token", "supervisor")
    old = capsys.readouterr().out.strip()
    call_command("issue_token", "supervisor", "--rotate")
    new = capsys.readouterr().out.strip()
    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/work-orders/").status_code == 401


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="no active person"):
        call_command("issue_token", "nobody")


def test_bad_token_is_refused_in_the_error_shape(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    response = client.get("/api/work-orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
