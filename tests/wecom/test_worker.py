"""Messages through a real Celery worker on Redis: enqueued after commit, retried later, sent once.

The other message tests run tasks in-process; these need the broker (REDIS_URL, as in CI's
second lane) and start a worker in this process with `celery.contrib.testing`.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from lightapps.celery import app
from lightapps.wecom.models import Notification
from lightapps.workorders.tasks import outbox_sweep

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _wecom_tasks_run_eagerly():
    """Overrides the package's fixture: here the tasks go through the broker to a worker."""


@pytest.fixture
def worker(settings):
    assert not app.conf.task_always_eager
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


@pytest.fixture
def contacts(wecom, people):
    for person in people.values():
        wecom.add_user(person.wecom_userid, person.name, [2])
    return wecom


def _wait_for(check, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return check()


def test_a_report_reaches_the_dispatcher_through_the_worker(contacts, make_order, people, worker):
    # when: the owner reports; the commit enqueues the message on Redis
    order = make_order(people["owner"])

    # then: the worker sent it, once
    sent = _wait_for(lambda: Notification.objects.filter(status="sent").first())
    assert sent is not None, list(Notification.objects.values("status", "last_error"))
    assert (sent.event.order_id, sent.person_id, sent.attempts) == (
        order.pk,
        people["dispatcher"].pk,
        1,
    )
    assert [m["touser"] for m in contacts.messages] == ["dispatcher"]


def test_a_transient_error_comes_back_later_and_the_message_arrives_once(
    contacts, make_order, people, worker, settings
):
    # given: WeCom is busy for the first try; the retry waits a second, not thirty
    settings.WECOM_RETRY_SECONDS = 1
    contacts.fail_next("message/send", errcode=-1, errmsg="system busy")

    # when: the report; then the beat's outbox sweeps, through the broker
    make_order(people["owner"])
    assert _wait_for(lambda: Notification.objects.filter(attempts=1, status="pending").exists())

    def swept_and_sent():
        outbox_sweep.delay()
        time.sleep(0.3)
        return Notification.objects.filter(status="sent").first()

    # then: a later try, from the sweep, sent it; nothing was sent twice
    sent = _wait_for(swept_and_sent)
    assert sent is not None, list(Notification.objects.values("status", "last_error"))
    assert sent.attempts == 2
    assert len(contacts.calls("message/send")) == 2
    assert len(contacts.inbox("dispatcher")) == 1
