"""实时: the console's websocket, through the real consumer and channel layer (in memory on the
embedded default, Redis in CI's second lane): who hears which step, catching up, refusals."""

import os
import subprocess
import sys
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from lightapps.console import consumers
from lightapps.console.consumers import ConsoleConsumer
from lightapps.web.middleware import LOGGED_IN_AT, SEEN_AT
from lightapps.workorders.live import unit_group
from lightapps.workorders.services import work_order_transition
from tests.fixtures.websocket import WebsocketCommunicator

# The consumer reads the database through database_sync_to_async, which closes the connection
# it ran on: no test transaction could survive that.
# Side effects run in-process (the fan-out's broadcast), in the Redis lane too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

QUIET = 0.3  # seconds a socket must stay silent to count as "received nothing"


def run(scenario):
    return async_to_sync(scenario)()


async def connect(person, session=None):
    socket = WebsocketCommunicator(ConsoleConsumer.as_asgi(), "/ws/console/")
    socket.scope["user"] = person
    if session is not None:
        socket.scope["session"] = session
    connected, code = await socket.connect()
    return socket, connected, code


def _session(person, *, seen_ago=0):
    session = SessionStore()
    now = int(time.time())
    session.update(
        {"_auth_user_id": str(person.pk), LOGGED_IN_AT: now - seen_ago, SEEN_AT: now - seen_ago}
    )
    session.create()
    return session


@pytest.fixture
def step(people, django_capture_on_commit_callbacks):
    """A step through the one transition service, its side effects run as after a commit."""

    def take(order, action, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return work_order_transition(
                order=order, action=action, actor=actor or people["dispatcher"]
            )

    return database_sync_to_async(take)


def test_a_step_reaches_the_streets_supervisor_and_nobody_of_another_street(
    make_order, people, step
):
    order = make_order(people["owner"])

    async def scenario():
        jny, ok_jny, _ = await connect(people["supervisor"])
        smr, ok_smr, _ = await connect(people["smr_supervisor"])
        assert ok_jny and ok_smr
        await step(order, "file")
        message = await jny.receive_json_from(timeout=5)
        assert await smr.receive_nothing(timeout=QUIET)
        await jny.disconnect()
        await smr.disconnect()
        return message

    message = run(scenario)
    event = order.events.get(action="file")
    assert message == {"type": "event", "event": event.pk, "order": order.pk,
                       "number": order.number, "state": "filed", "action": "file"}  # fmt: skip


def test_a_broadcast_for_an_order_the_person_may_not_see_is_dropped(make_order, people, tree):
    # given: a 江宁路 order; a message about it lands in 石门二路's group (a routing mistake)
    order = make_order(people["owner"])
    event = order.events.get()

    async def scenario():
        smr, connected, _ = await connect(people["smr_supervisor"])
        assert connected
        await get_channel_layer().group_send(
            unit_group(tree["smr"].pk),
            {"type": "work_order.event", "event": event.pk, "order": order.pk,
             "number": order.number, "state": order.state, "action": "report"},
        )  # fmt: skip
        silent = await smr.receive_nothing(timeout=QUIET)
        await smr.disconnect()
        return silent

    assert run(scenario)


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_strangers_are_refused_at_the_handshake(people, who):
    person = AnonymousUser() if who == "anonymous" else people[who]

    async def scenario():
        socket, connected, code = await connect(person)
        await socket.disconnect()
        return connected, code

    # a grid worker (reporter only) has no console
    assert run(scenario) == (False, 4401 if who == "anonymous" else 4403)


def test_after_a_drop_the_page_asks_for_what_it_missed_and_gets_only_its_own(
    make_order, people, step, monkeypatch
):
    # given: while the page was away, a 江宁路 order was filed and dispatched; 石门二路 had one
    order = make_order(people["owner"])
    since = order.events.get().pk
    other = make_order(people["outsider"])

    async def scenario():
        await step(order, "file")
        await step(order, "dispatch")
        socket, connected, _ = await connect(people["supervisor"])
        assert connected
        await socket.send_json_to({"since": since})
        missed = await socket.receive_json_from(timeout=5)
        monkeypatch.setattr(consumers, "MISSED_LIMIT", 1)
        await socket.send_json_to({"since": since})
        capped = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return missed, capped

    missed, capped = run(scenario)
    assert missed["type"] == "missed" and missed["more"] is False
    assert [(e["order"], e["action"]) for e in missed["events"]] == [
        (order.pk, "file"),
        (order.pk, "dispatch"),
    ]
    assert other.pk not in {e["order"] for e in missed["events"]}
    assert (len(capped["events"]), capped["more"]) == (1, True)  # the page reloads instead


@pytest.mark.parametrize(
    "bad", ['"not an object"', "{not json", '{"since": "12"}', '{"since": -1}', '{"since": true}']
)
def test_a_bad_message_gets_an_error_and_the_socket_stays(people, bad):
    async def scenario():
        socket, connected, _ = await connect(people["supervisor"])
        assert connected
        await socket.send_to(text_data=bad)
        error = await socket.receive_json_from(timeout=5)
        await socket.send_json_to({"since": 0})
        after = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return error, after

    error, after = run(scenario)
    assert error == {"type": "error", "code": "invalid", "field": "since"}
    assert after["type"] == "missed"


@pytest.mark.parametrize("how", ["idle", "logged_out"])
def test_an_ended_session_closes_the_socket_at_the_next_ping(people, settings, how):
    session = _session(people["supervisor"], seen_ago=settings.SESSION_IDLE_SECONDS + 5
                       if how == "idle" else 0)  # fmt: skip

    async def scenario():
        socket, connected, _ = await connect(people["supervisor"], session)
        assert connected
        if how == "logged_out":
            await database_sync_to_async(session.delete)()
        await socket.send_json_to({"since": 0})
        closed = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4401}


def test_the_console_pages_name_their_socket_and_where_they_start(
    client, make_order, people, settings
):
    # given
    settings.LIVE_WS_URL = "ws://127.0.0.1:8001/ws/console/"
    order = make_order(people["owner"])
    client.force_login(people["supervisor"])

    # when
    pages = [client.get("/console/"), client.get(f"/console/work-orders/{order.pk}/")]

    # then: the socket's address, the newest step already shown, and (detail) which order
    newest = order.events.latest("pk").pk
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-live-ws="ws://127.0.0.1:8001/ws/console/"' in html
        assert f'data-live-since="{newest}"' in html
        assert "console/live.js" in html
    assert f'data-live-order="{order.pk}"' in pages[1].content.decode()


@pytest.mark.parametrize(
    ("value", "ok"), [("ws://127.0.0.1:8001/ws/console/", True), ("http://x/ws/", False)]
)
def test_live_ws_url_is_a_websocket_url_and_the_csp_lets_pages_reach_it(value, ok):
    from tests.fixtures.production import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_")}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src'])"
    )
    run_ = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**env, "LIVE_WS_URL": value})  # fmt: skip
    if ok:
        assert run_.returncode == 0, run_.stderr
        assert "ws://127.0.0.1:8001" in run_.stdout
    else:
        assert run_.returncode != 0
        assert "LIVE_WS_URL must start with ws:// or wss://" in run_.stderr
