"""API limits: a budget per token / person / address, and wrong tokens slowed per address."""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from lightapps.orgs.models import ApiToken, Role
from lightapps.orgs.services import membership_grant, person_upsert


def _forget(kind: str, pk: int) -> None:
    """Counters are kept by id, and ids come back after a rolled-back test: start from zero."""
    cache.delete(f"throttle_client_{kind}:{pk}")


@pytest.fixture(autouse=True)
def _forget_failures(settings):
    """Wrong-token counters of the addresses below, left by an earlier run on a shared Redis."""
    slot = int(time.time() // settings.API_AUTH_FAILURE_WINDOW)
    for ip in ("198.51.100.7", "198.51.100.8", "203.0.113.9", "203.0.113.10"):
        for s in (slot, slot + 1):
            cache.delete(f"api-auth-failures:{ip}:{s}")


@pytest.fixture
def fresh(tree, people):
    person = person_upsert(username="throttled_sup", name="限流督办")
    membership_grant(person=person, org_unit=tree["jny"], role=Role.SUPERVISOR)
    for p in (person, people["supervisor"]):
        _forget("person", p.pk)
    return person


def test_past_the_rate_a_person_gets_429_with_retry_after(settings, fresh, people):
    # given
    settings.API_THROTTLE_RATE = "3/min"
    client = APIClient()
    client.force_authenticate(fresh)

    # when
    codes = [client.get("/api/work-orders/").status_code for _ in range(4)]

    # then
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/work-orders/")
    body = response.json()
    assert body["code"] == "throttled" and "请求太频繁" in body["message"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # someone else keeps their own budget
    other = APIClient()
    other.force_authenticate(people["supervisor"])
    assert other.get("/api/work-orders/").status_code == 200


def test_a_token_has_its_own_budget(settings, fresh, capsys):
    settings.API_THROTTLE_RATE = "2/min"
    call_command("issue_token", fresh.username)
    key = capsys.readouterr().out.strip()
    _forget("token", ApiToken.objects.get(person=fresh).pk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert [client.get("/api/org-units/").status_code for _ in range(3)] == [200, 200, 429]


def test_wrong_tokens_from_one_address_are_slowed_before_any_lookup(settings, fresh, capsys):
    # given: a limit of 3 wrong tokens per window, from one address
    settings.API_AUTH_FAILURE_LIMIT = 3
    call_command("issue_token", fresh.username)
    good = capsys.readouterr().out.strip()
    guesser = APIClient(REMOTE_ADDR="198.51.100.7")

    # when
    codes = []
    for i in range(5):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token la_guess{i}")
        codes.append(guesser.get("/api/work-orders/").status_code)

    # then: three 401s, then 429 even for a right key from that address
    assert codes == [401, 401, 401, 429, 429]
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    response = guesser.get("/api/work-orders/")
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_failures"
    assert int(response["Retry-After"]) >= 1
    # another address is not held up
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.8")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    assert elsewhere.get("/api/work-orders/").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(settings, fresh):
    settings.API_AUTH_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_HOPS = 1

    def attempt(forwarded):
        client = APIClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        client.credentials(HTTP_AUTHORIZATION="Token la_wrong")
        return client.get("/api/work-orders/").status_code

    # a client cannot dodge the count by adding its own X-Forwarded-For entries
    assert [attempt(f"1.2.3.{i}, 203.0.113.9") for i in range(3)] == [401, 401, 429]
    assert attempt("203.0.113.10") == 401
