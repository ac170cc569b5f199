"""The outbox across real processes: gunicorn, a Celery worker (with its beat) and a Redis of this
test's own that it can stop, a fake WeCom on 127.0.0.1, PostgreSQL.

- The worker SIGKILLed while it sends: after a restart every message arrives exactly once.
- Redis stopped: a report is stored and answered 201; its message arrives once Redis is back.

Needs PostgreSQL (DATABASE_URL: the processes share the test database) and redis-server.
"""

import json
import os
import shutil
import socket
import subprocess
import uuid

import pytest
import requests

from lightapps.orgs.tokens import token_issue
from lightapps.wecom.models import Notification
from lightapps.workorders.models import Webhook, WebhookDelivery, WorkOrderEvent
from tests.fixtures.definitions import valid_data
from tests.fixtures.processes import BIN, Processes, free_port, process_env, wait_for
from tests.fixtures.receiver import Receiver

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL): several processes share the test database",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(240),
]

URL = "/api/apps/facade-test/submissions/"


class Redis:
    """A redis-server of this test's own, on a free port, that the test stops and starts."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        assert wait_for(answers, 10), "redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


class Stack(Processes):
    """gunicorn and a Celery worker (with beat: the outbox sweep every second)."""

    def start_web(self):
        self.web_url = self.gunicorn()

    def start_worker(self):
        self.start(
            "worker",
            [str(BIN / "celery"), "-A", "lightapps", "worker", "-B", "--pool", "threads",
             "--concurrency", "4", "--loglevel", "INFO", "-s", str(self.tmp / "beat-schedule")],
        )  # fmt: skip

    def kill_worker(self):
        self.kill("worker")

    def url(self, path):
        return self.web_url + path


@pytest.fixture
def redis(tmp_path):
    server = Redis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def stack(redis, fake_wecom, people, app_version, settings, tmp_path):
    for person in people.values():
        fake_wecom.add_user(person.wecom_userid, person.name, [2])
    env = process_env(
        **fake_wecom.settings(),
        REDIS_URL=redis.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        WECOM_TIMEOUT="2",
        WEBHOOK_TIMEOUT="2",
        WECOM_RETRY_SECONDS="1",
        OUTBOX_SWEEP_SECONDS="1",
        OUTBOX_GRACE_SECONDS="1",
        OUTBOX_STALE_SECONDS="5",
        CELERY_TASK_TIME_LIMIT="20",
        CELERY_VISIBILITY_TIMEOUT="30",
        API_THROTTLE_RATE="100000/min",
    )
    running = Stack(env, tmp_path)
    running.start_worker()
    running.start_web()
    yield running
    running.stop()


@pytest.fixture
def reporter(people, make_photo):
    """The owner's token and a fresh photo for each report."""
    _row, key = token_issue(person=people["owner"], days=1)
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}

    def report(stack):
        photo = make_photo(people["owner"])
        body = {"id": str(uuid.uuid4()), "version": 1, "data": valid_data([photo.pk])}
        return requests.post(stack.url(URL), data=json.dumps(body), headers=headers, timeout=30)

    return report


def _report_events_told(fake) -> list[str]:
    """The event ids of the dispatcher's messages, in the order they arrived."""
    return [m["body"]["textcard"]["url"].rsplit("event=", 1)[1] for m in fake.inbox("dispatcher")]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def test_the_worker_killed_mid_send_every_message_arrives_exactly_once(
    stack, reporter, fake_wecom, receiver
):
    # given: WeCom takes 0.4 s a message, a webhook receiver 0.2 s a delivery; 20 reports,
    # each to tell the street's dispatcher and the hook
    fake_wecom.delay_next("message/send", 0.4, times=1000)
    receiver.delay = 0.2
    Webhook.objects.create(
        name="热线", url=receiver.url, secret="s" * 32, events=[Webhook.Event.REPORT]
    )
    for _ in range(20):
        response = reporter(stack)
        assert response.status_code == 201, response.text

    # when: the worker is SIGKILLed while it is sending, then started again
    assert wait_for(lambda: len(fake_wecom.inbox("dispatcher")) >= 3, 60), stack.log_text()
    stack.kill_worker()
    in_flight = Notification.objects.filter(status="sending").count()
    assert in_flight and len(fake_wecom.inbox("dispatcher")) < 20, "nothing was cut off mid-send"
    stack.start_worker()

    # then: within a bounded time every message is sent, and each arrived once
    def all_sent():
        return (
            Notification.objects.filter(status="sent").count() == 20
            and WebhookDelivery.objects.filter(status="delivered").count() == 20
        )

    assert wait_for(all_sent, 90), (
        list(Notification.objects.values_list("status", "attempts", "last_error")),
        list(WebhookDelivery.objects.values_list("status", "attempts", "last_error")),
        stack.log_text(),
    )
    told = _report_events_told(fake_wecom)
    reports = WorkOrderEvent.objects.filter(action="report").values_list("pk", flat=True)
    assert sorted(told) == sorted(str(pk) for pk in reports)
    assert len(told) == len(set(told)) == 20
    assert not WorkOrderEvent.objects.filter(effects_pending=True).exists()
    # the hook: every report's delivery arrived; a repeat (cut off by the kill) has its id
    ids = [json.loads(r["body"])["step"]["id"] for r in receiver.requests]
    assert sorted(set(ids)) == sorted(reports)
    by_delivery = {r["headers"]["X-Lightapps-Delivery"] for r in receiver.requests}
    assert len(by_delivery) == 20


def test_redis_down_a_report_is_stored_and_its_message_arrives_when_redis_is_back(
    stack, reporter, redis, fake_wecom
):
    # given: the broker (and the cache) gone
    redis.stop()

    # when: a report
    response = reporter(stack)

    # then: stored and answered as usual; the step waits in the outbox
    assert response.status_code == 201, (response.text, stack.log_text())
    event = WorkOrderEvent.objects.get(action="report")
    assert event.effects_pending
    assert fake_wecom.inbox("dispatcher") == []

    # when: Redis is back
    redis.start()

    # then: the worker reconnects, its beat sweeps the outbox, the message arrives, once
    assert wait_for(lambda: Notification.objects.filter(status="sent").exists(), 120), (
        stack.log_text()
    )
    assert _report_events_told(fake_wecom) == [str(event.pk)]
    event.refresh_from_db()
    assert not event.effects_pending
