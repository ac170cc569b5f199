"""登录连接超时自动退出: a session ends after 30 idle minutes or 12 hours after its login.

Time is moved by rewriting the session's marks, never by sleeping.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from lightapps.web.middleware import LOGGED_IN_AT, SEEN_AT
from lightapps.web.tasks import sessions_clear


def _age(client, *, seen_ago: float, logged_in_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SEEN_AT] = int(now - seen_ago)
    session[LOGGED_IN_AT] = int(now - logged_in_ago)
    session.save()


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def signed_in(client, people):
    """The street supervisor, signed in through the development login (a real login)."""
    response = client.post("/login/", {"person": people["supervisor"].pk})
    assert response.status_code == 302
    return client


def test_a_login_gives_a_new_session_key(client, people):
    # given an anonymous session (e.g. planted by someone else: session fixation)
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    # when
    client.post("/login/", {"person": people["supervisor"].pk})
    # then the signed-in session has another key, and the old one is gone
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_login_starts_both_clocks(signed_in):
    session = signed_in.session
    assert abs(session[LOGGED_IN_AT] - time.time()) < 5
    assert session[SEEN_AT] == session[LOGGED_IN_AT]


def test_a_session_idle_for_thirty_minutes_ends_with_a_message(signed_in):
    # given 31 minutes without a request
    _age(signed_in, seen_ago=31 * 60, logged_in_ago=31 * 60)
    # when the supervisor comes back to the console
    response = signed_in.get("/console/", follow=True)
    # then they are asked to log in again, and told why
    assert response.redirect_chain[0][0].startswith("/login/?next=/console/")
    assert "登录已超时，请重新登录" in response.content.decode()
    assert not _logged_in(signed_in)


def test_working_keeps_the_session_and_moves_the_idle_clock(signed_in):
    # given 29 idle minutes
    _age(signed_in, seen_ago=29 * 60, logged_in_ago=2 * 3600)
    # when
    assert signed_in.get("/console/").status_code == 200
    # then the session lives on, seen just now
    assert _logged_in(signed_in)
    assert abs(signed_in.session[SEEN_AT] - time.time()) < 5


def test_twelve_hours_after_login_the_session_ends_however_busy(signed_in):
    # given a person active a minute ago, but logged in 12 hours and a minute ago
    _age(signed_in, seen_ago=60, logged_in_ago=12 * 3600 + 60)
    # then
    assert signed_in.get("/console/").status_code == 302
    assert not _logged_in(signed_in)


def test_an_api_call_on_an_expired_session_is_refused(signed_in):
    _age(signed_in, seen_ago=3600, logged_in_ago=3600)
    response = signed_in.get("/api/work-orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "messages" not in response.cookies  # no page message kept for a reader who never sees it


def test_the_limits_are_settings(signed_in, settings):
    # given a city that allows 10 idle minutes
    settings.SESSION_IDLE_SECONDS = 10 * 60
    _age(signed_in, seen_ago=11 * 60, logged_in_ago=11 * 60)
    assert signed_in.get("/console/").status_code == 302


def test_expired_sessions_are_cleared_on_the_beat_schedule(settings, signed_in, people):
    # given the signed-in session, and one whose cookie expired yesterday
    old = Client()
    old.post("/login/", {"person": people["owner"].pk})
    Session.objects.filter(session_key=old.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    # when beat's task runs
    entry = settings.CELERY_BEAT_SCHEDULE["clear-sessions"]
    assert entry["task"] == sessions_clear.name
    sessions_clear()
    # then only the live session is left
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        signed_in.session.session_key
    ]
