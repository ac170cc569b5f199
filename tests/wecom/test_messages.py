"""WeCom messages for work-order events: one per event and person, after commit, retried."""

import pytest
from django.db import transaction

from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant
from lightapps.wecom.models import Notification
from lightapps.workorders.messages import MAX_ATTEMPTS, notification_send, notifications_resend
from lightapps.workorders.models import WorkOrderEvent
from lightapps.workorders.outbox import sweep
from lightapps.workorders.services import after_commit, work_order_transition


@pytest.fixture
def contacts(wecom, people):
    for person in people.values():
        wecom.add_user(person.wecom_userid, person.name, [2])
    return wecom


@pytest.fixture
def retries_due_at_once(settings):
    """A failed try is due again at once, so that each outbox sweep makes the next try."""
    settings.WECOM_RETRY_SECONDS = 0


def sweep_until_quiet(limit=10) -> int:
    """Run the outbox sweep (celery beat's, escalation_loop's) until it finds nothing to do."""
    for passes in range(limit):
        if not any(sweep().values()):
            return passes
    raise AssertionError("the outbox sweep never settled")


def _step(order, action, actor, capture, note=""):
    with capture(execute=True):
        return work_order_transition(order=order, action=action, actor=actor, note=note)


def test_a_report_tells_the_streets_dispatcher_with_a_card_linking_to_the_order(
    contacts, make_order, people, settings
):
    # given
    settings.SITE_URL = "https://city.example"

    # when: the owner reports (make_order runs the on-commit work)
    order = make_order(people["owner"])

    # then: exactly one message, to the dispatcher, linking to the order's phone page
    event = order.events.get(action="report")
    assert [m["touser"] for m in contacts.messages] == ["dispatcher"]
    card = contacts.messages[0]["body"]["textcard"]
    assert card["url"] == f"https://city.example/m/work-orders/{order.pk}/?event={event.pk}"
    assert card["title"] == f"新上报待立案 {order.number}"
    assert order.number in card["description"]
    assert contacts.messages[0]["body"]["agentid"] == contacts.agent_id
    notification = Notification.objects.get()
    assert (notification.event_id, notification.person_id, notification.status) == (
        event.pk,
        people["dispatcher"].pk,
        "sent",
    )
    assert notification.attempts == 1
    assert notification.msgid == contacts.messages[0]["msgid"]


def test_a_dispatch_tells_the_handler_once_and_nobody_else(
    contacts, make_order, people, django_capture_on_commit_callbacks
):
    # given: an order filed by the street
    order = make_order(people["owner"])
    _step(order, "file", people["dispatcher"], django_capture_on_commit_callbacks)
    before = len(contacts.messages)

    # when
    _step(order, "dispatch", people["dispatcher"], django_capture_on_commit_callbacks)

    # then
    new = contacts.messages[before:]
    assert [m["touser"] for m in new] == ["handler"]
    assert new[0]["body"]["textcard"]["title"].startswith("工单已派遣，请处置")
    assert contacts.inbox("owner") == []
    assert contacts.inbox("supervisor") == []


def _event(order, action, capture, *, actor=None, to_state=None, data=None):
    """An event as the flows write it, through the same after-commit hook."""
    with capture(execute=True):
        event = WorkOrderEvent.objects.create(
            order=order,
            actor=actor,
            action=action,
            from_state=order.state,
            to_state=to_state or order.state,
            assignee_unit=order.assignee_unit,
            data=data or {},
        )
        after_commit(event)
    return event


@pytest.mark.parametrize("action", ["send_back", "rework"])
def test_sent_back_for_rework_tells_the_handler_who_handled_it(
    contacts, make_order, people, tree, django_capture_on_commit_callbacks, action
):
    # given: two handlers in the street; the second one handled the order
    from tests.conftest import _person

    other = _person("handler2", "二号处置", tree["jny"], Role.HANDLER)
    contacts.add_user("handler2", "二号处置", [2])
    order = make_order(people["owner"])
    order.assignee = other
    order.save(update_fields=["assignee"])
    before = len(contacts.messages)

    # when: the supervisor sends it back to 待处置
    _event(order, action, django_capture_on_commit_callbacks, actor=people["supervisor"],
           to_state="dispatched")  # fmt: skip

    # then
    assert [m["touser"] for m in contacts.messages[before:]] == ["handler2"]


def test_a_handler_sending_it_back_to_dispatch_tells_the_dispatcher(
    contacts, make_order, people, django_capture_on_commit_callbacks
):
    # given
    order = make_order(people["owner"])
    before = len(contacts.messages)

    # when: the handler returns it to 待派遣
    _event(order, "send_back", django_capture_on_commit_callbacks, actor=people["handler"],
           to_state="filed")  # fmt: skip

    # then
    assert [m["touser"] for m in contacts.messages[before:]] == ["dispatcher"]
    assert contacts.messages[-1]["body"]["textcard"]["title"].startswith("工单被退回")


def test_no_message_when_the_step_is_rolled_back(
    contacts, make_order, people, django_capture_on_commit_callbacks
):
    # given
    order = make_order(people["owner"])
    _step(order, "file", people["dispatcher"], django_capture_on_commit_callbacks)
    before = (len(contacts.messages), Notification.objects.count())

    # when: the dispatch happens in a transaction that fails afterwards
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        work_order_transition(order=order, action="dispatch", actor=people["dispatcher"])
        raise RuntimeError("something after the dispatch failed")

    # then
    assert callbacks == []
    assert (len(contacts.messages), Notification.objects.count()) == before
    assert not WorkOrderEvent.objects.filter(order=order, action="dispatch").exists()


def test_a_transient_error_is_retried_and_the_message_arrives_once(
    contacts, make_order, people, retries_due_at_once
):
    # given: WeCom answers "system busy" to the next message
    contacts.fail_next("message/send", errcode=-1, errmsg="system busy")

    # when: the first try fails and waits for its backoff; the sweep tries again
    order = make_order(people["owner"])
    waiting = Notification.objects.get(event__order=order)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at is not None
    sweep_until_quiet()

    # then: a second attempt delivered it; one message in the inbox
    assert len(contacts.calls("message/send")) == 2
    assert len(contacts.inbox("dispatcher")) == 1
    notification = Notification.objects.get(event__order=order)
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")


def test_a_lost_answer_is_retried_without_a_second_message(
    contacts, make_order, people, settings, retries_due_at_once
):
    # given: WeCom takes the message but answers after our timeout
    settings.WECOM_TIMEOUT = 0.3
    contacts.delay_next("message/send", 1.0)

    # when
    make_order(people["owner"])
    sweep_until_quiet()

    # then: two sends, one delivered (WeCom's duplicate check), recorded as sent once
    assert len(contacts.calls("message/send")) == 2
    assert len(contacts.inbox("dispatcher")) == 1
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("sent", 2)


def test_a_sent_notification_is_never_sent_again(contacts, make_order, people):
    # given
    make_order(people["owner"])
    notification = Notification.objects.get()

    # when: a second delivery of the task (e.g. a worker restarted), and the hook again
    outcome = notification_send(notification_id=notification.pk)
    from lightapps.workorders.messages import notifications_for_event

    again = notifications_for_event(event_id=notification.event_id)

    # then
    assert (outcome, again) == ("skip", [])
    assert len(contacts.inbox("dispatcher")) == 1
    assert Notification.objects.count() == 1


def test_giving_up_after_repeated_transient_errors_leaves_a_visible_failure(
    contacts, make_order, people, admin_client, retries_due_at_once
):
    # given
    contacts.fail_next("message/send", errcode=-1, errmsg="system busy", times=MAX_ATTEMPTS)

    # when
    make_order(people["owner"])
    sweep_until_quiet()

    # then
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert "system busy" in notification.last_error
    assert contacts.messages == []
    page = admin_client.get("/admin/wecom/notification/?status__exact=failed")
    assert page.status_code == 200
    assert "system busy" in page.content.decode()


def test_a_permanent_error_is_not_retried(contacts, make_order, people):
    # given: the dispatcher is not in WeCom's contacts
    del contacts.users["dispatcher"]

    # when
    make_order(people["owner"])

    # then: 81013 once, failed
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert "81013" in notification.last_error
    assert len(contacts.calls("message/send")) == 1


def test_without_wecom_notifications_are_recorded_as_skipped(make_order, people, settings):
    # given: WeCom not configured
    settings.WECOM_CORP_ID = ""

    # when
    order = make_order(people["owner"])

    # then
    notification = Notification.objects.get()
    assert (notification.person_id, notification.status, notification.attempts) == (
        people["dispatcher"].pk,
        "skipped",
        0,
    )
    assert notification.event.order_id == order.pk
    assert notification.last_error == "未配置企业微信"


@pytest.mark.parametrize(
    ("action", "expected"),
    [("due_soon", ["handler"]), ("overdue", ["handler"]), ("escalate", ["district_supervisor"])],
)
def test_system_events_reach_the_assignee_side_or_the_supervisors_above(
    contacts, make_order, people, tree, django_capture_on_commit_callbacks, action, expected
):
    # given: a district supervisor above the street; an order assigned to the street
    from tests.conftest import _person

    _person("district_supervisor", "区督办", tree["district"], Role.SUPERVISOR)
    contacts.add_user("district_supervisor", "区督办", [1])
    order = make_order(people["owner"])
    before = len(contacts.messages)

    # when: the flows' system event (no actor) happens; an escalation names the unit it went to
    data = {"to_unit": tree["district"].pk} if action == "escalate" else None
    _event(order, action, django_capture_on_commit_callbacks, data=data)

    # then
    assert [m["touser"] for m in contacts.messages[before:]] == expected


def test_the_actor_is_not_told_of_their_own_step(
    contacts, make_order, people, tree, django_capture_on_commit_callbacks
):
    # given: the dispatcher is also the street's only handler
    membership_grant(person=people["dispatcher"], org_unit=tree["jny"], role=Role.HANDLER)
    from lightapps.orgs.models import Membership

    Membership.objects.filter(person=people["handler"]).delete()
    order = make_order(people["owner"])
    _step(order, "file", people["dispatcher"], django_capture_on_commit_callbacks)
    before = len(contacts.messages)

    # when
    _step(order, "dispatch", people["dispatcher"], django_capture_on_commit_callbacks)

    # then
    assert contacts.messages[before:] == []
    assert not Notification.objects.filter(event__action="dispatch").exists()


def test_resend_queues_the_failed_messages_again_and_nothing_else(
    contacts, make_order, people, django_capture_on_commit_callbacks
):
    # given: the report's message was sent, then marked failed; another one is still sent
    order = make_order(people["owner"])
    sent = Notification.objects.get()
    failed = Notification.objects.create(
        event=order.events.get(), person=people["supervisor"], status="failed", last_error="x"
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        count = notifications_resend(ids=[sent.pk, failed.pk])
    # then: only the failed one was sent again; the sent one was left alone
    assert count == 1
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert (sent.status, sent.attempts) == ("sent", 1)


def test_a_retry_waits_for_its_backoff(contacts, make_order, people, settings):
    # given: a first try that failed; the next one is due in 30 s
    settings.WECOM_RETRY_SECONDS = 30
    contacts.fail_next("message/send", errcode=-1, errmsg="system busy")
    make_order(people["owner"])

    # when: the sweep passes before that
    done = sweep()

    # then: nothing sent yet, the row still waits
    assert done["notifications"] == 0
    assert len(contacts.calls("message/send")) == 1
    assert Notification.objects.get().status == "pending"


def test_a_step_whose_fan_out_never_ran_is_delivered_by_the_sweep(
    contacts, make_order, people, settings, django_capture_on_commit_callbacks
):
    # given: the process died right after the commit (the on-commit hook never ran)
    settings.OUTBOX_GRACE_SECONDS = 0
    order = make_order(people["owner"])
    with django_capture_on_commit_callbacks(execute=False):
        work_order_transition(order=order, action="file", actor=people["dispatcher"])
        work_order_transition(order=order, action="dispatch", actor=people["dispatcher"])
    dispatch = WorkOrderEvent.objects.get(order=order, action="dispatch")
    assert dispatch.effects_pending and not dispatch.notifications.exists()

    # when
    sweep_until_quiet()

    # then: the handler was told, once; the step is out of the outbox
    dispatch.refresh_from_db()
    assert not dispatch.effects_pending
    assert len(contacts.inbox("handler")) == 1
    assert dispatch.notifications.get().status == "sent"


def test_a_message_whose_sender_died_is_sent_again_and_arrives_once(
    contacts, make_order, people, settings
):
    # given: a sender took the message, WeCom delivered it, and the sender died before it
    # could record that (a SIGKILLed worker): the row is stuck "sending"
    from datetime import timedelta

    from django.utils import timezone

    make_order(people["owner"])
    row = Notification.objects.get()
    assert len(contacts.inbox("dispatcher")) == 1
    stuck_since = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=stuck_since, first_claimed_at=stuck_since, sent_at=None
    )

    # when: the sweep finds the stale claim
    sweep_until_quiet()

    # then: sent again inside WeCom's duplicate check, which dropped the copy
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(contacts.calls("message/send")) == 2
    assert len(contacts.inbox("dispatcher")) == 1
    body = contacts.calls("message/send")[1].body
    assert (body["enable_duplicate_check"], body["duplicate_check_interval"]) == (1, 4 * 3600)


@pytest.mark.parametrize("status", ["sending", "pending"])
def test_a_message_stuck_past_the_duplicate_check_is_not_sent_again(
    contacts, make_order, people, settings, status
):
    # given: a row first tried before WeCom's duplicate check would drop a copy: its sender
    # died ("sending"), or its retry was held up (pending, e.g. the broker down for hours)
    from datetime import timedelta

    from django.utils import timezone

    make_order(people["owner"])
    row = Notification.objects.get()
    long_ago = timezone.now() - timedelta(seconds=settings.WECOM_RESEND_CUTOFF_SECONDS + 60)
    Notification.objects.filter(pk=row.pk).update(
        status=status, claimed_at=long_ago, first_claimed_at=long_ago, attempts=1
    )

    # when
    sweep_until_quiet()
    outcome = notification_send(notification_id=row.pk)  # a late redelivery of its task

    # then: left failed with 结果未知 for a person to check, never sent a second time
    row.refresh_from_db()
    assert (row.status, outcome) == ("failed", "skip")
    assert "发送结果未知" in row.last_error
    assert len(contacts.calls("message/send")) == 1
