"""`seed_demo --records`: months of work orders replayed through the services (demo.history).

The history is seeded once for this module (about ten seconds) against a fixed "now", inside a
transaction rolled back at the end; each test runs in a savepoint of it.
"""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F, Max
from django.test import override_settings

from lightapps.definitions.flows import flow_template, transition_for
from lightapps.demo.history import CURRENT, HISTORY_DAYS, PAST, STREETS, seed_demo_history
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit
from lightapps.submissions.models import Attachment, Submission
from lightapps.wecom.models import Notification
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.figures import work_order_figures
from lightapps.workorders.models import WebhookDelivery, WorkOrder, WorkOrderEvent
from lightapps.workorders.outbox import sweep
from lightapps.workorders.selectors import work_orders_with_flow
from lightapps.workorders.worktime import SHANGHAI

# A Friday afternoon, a workday: the history ends here.
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        seed_demo()
        created = seed_demo_history(now=NOW)
        yield created
        transaction.set_rollback(True)


@pytest.fixture
def seeded(history, db):
    return history


def _district():
    return OrgUnit.objects.get(code="310106")


def test_the_history_has_every_planned_order_and_nothing_in_the_future(seeded):
    # then
    total = sum(PAST.values()) + sum(CURRENT.values())
    assert seeded == total
    assert WorkOrder.objects.count() == Submission.objects.count() == total
    latest = [
        WorkOrder.objects.aggregate(t=Max("created_at"))["t"],
        WorkOrder.objects.aggregate(t=Max("updated_at"))["t"],
        WorkOrder.objects.aggregate(t=Max("closed_at"))["t"],
        WorkOrderEvent.objects.aggregate(t=Max("created_at"))["t"],
        Submission.objects.aggregate(t=Max("received_at"))["t"],
        Attachment.objects.aggregate(t=Max("created_at"))["t"],
    ]
    assert all(moment <= NOW for moment in latest)
    first = WorkOrder.objects.order_by("created_at").first().created_at
    assert NOW - timedelta(days=HISTORY_DAYS) <= first < NOW - timedelta(days=HISTORY_DAYS - 10)
    # months of it, across the six streets and both departments routing sends to
    months = WorkOrder.objects.dates("created_at", "month")
    assert len(months) >= 5
    streets = {o.org_unit.parent.code for o in WorkOrder.objects.select_related("org_unit__parent")}
    assert streets == set(STREETS)
    departments = set(
        WorkOrder.objects.filter(assignee_unit__kind="department").values_list(
            "assignee_unit__code", flat=True
        )
    )
    assert departments == {"310106-D-FGJ", "310106-D-CGZF"}
    # every report has its photos, bound to it
    assert not Attachment.objects.filter(submission__isnull=True).exists()
    assert not Submission.objects.annotate(n=Count("attachments")).filter(n__lt=2).exists()


def test_the_history_holds_every_kind_of_story(seeded):
    closed = WorkOrder.objects.filter(state="closed")
    handles = WorkOrderEvent.objects.filter(action="handle")
    on_time = handles.filter(created_at__lte=F("due_at")).values("order")
    late = handles.filter(created_at__gt=F("due_at")).values("order")
    events = WorkOrderEvent.objects.values("order")
    open_orders = WorkOrder.objects.filter(closed_at__isnull=True)
    lefts = [work_order_time_left(o, now=NOW) for o in work_orders_with_flow(open_orders)]

    # closed on time and late, reworked, extended, suspended and resumed
    assert closed.filter(pk__in=on_time).exclude(pk__in=late).count() >= 60
    assert closed.filter(pk__in=late).count() >= PAST["late"]
    assert closed.filter(pk__in=events.filter(action="rework")).count() == PAST["rework"]
    extended = closed.filter(pk__in=events.filter(action="approve_extension"))
    assert extended.count() == PAST["extended"]
    assert closed.filter(pk__in=events.filter(action="resume")).count() == PAST["suspended"]
    assert closed.filter(pk__in=events.filter(action="reassign")).count() == PAST["reassigned"]
    assert closed.filter(pk__in=events.filter(action="send_back")).count() == PAST["sent_back"]
    assert WorkOrder.objects.filter(state="rejected").count() == PAST["rejected"]
    # marked and escalated by the escalation pass on the way
    assert events.filter(action="overdue").count() >= PAST["late"]
    assert events.filter(action="escalate").count() == events.filter(action="overdue").count()
    assert events.filter(action="due_soon").exists()
    # open now at each main state, some due soon, some overdue
    states = dict(open_orders.values_list("state").annotate(n=Count("pk")))
    assert states == {
        "reported": CURRENT["reported"],
        "filed": CURRENT["filed"],
        "dispatched": CURRENT["dispatched"] + CURRENT["due_soon"] + CURRENT["overdue"],
        "extension_requested": CURRENT["extension_requested"],
        "suspended": CURRENT["suspended_now"],
        "handled": CURRENT["handled"],
        "verified": CURRENT["verified"],
    }
    dispatched = [t for o, t in zip(open_orders, lefts, strict=True) if o.state == "dispatched"]
    assert sum(t["overdue"] for t in dispatched) == CURRENT["overdue"]
    assert sum(t["soon"] for t in dispatched) == CURRENT["due_soon"]
    overdue = open_orders.filter(due_at__lt=NOW, state="dispatched")
    assert all(o.events.filter(action="overdue", due_at=o.due_at).exists() for o in overdue)


def test_the_figures_of_the_district_are_plausible(seeded):
    # when
    figures = work_order_figures(
        unit=_district(), start=NOW - timedelta(days=HISTORY_DAYS), end=NOW, now=NOW
    )

    # then: 按期处置率 around 85–92 %, some 返工, most cases closed
    assert 0.85 <= figures["on_time_rate"] <= 0.92
    assert 0.03 <= figures["rework_rate"] <= 0.12
    assert 0.65 <= figures["closure_rate"] <= 0.95
    assert figures["reworked"] == PAST["rework"]
    assert figures["overdue_now"] >= CURRENT["overdue"]
    assert figures["deferred"] == CURRENT["suspended_now"]
    # every street has its own figures
    for code in STREETS:
        street = OrgUnit.objects.get(code=code)
        assert work_order_figures(unit=street, start=NOW - timedelta(days=HISTORY_DAYS), end=NOW)[
            "handled"
        ]


def test_each_order_s_steps_are_in_time_order_and_allowed_by_its_flow(seeded):
    orders = WorkOrder.objects.select_related("submission__version")
    for order in orders:
        template = flow_template(order.submission.version.flow)
        events = list(order.events.order_by("id"))
        assert events[0].action == "report" and events[0].from_state == ""
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        state = events[0].to_state
        for event in events[1:]:
            assert event.from_state == state
            if event.actor_id is not None:  # people's steps: a transition of the flow
                transition = transition_for(template, event.action)
                assert (transition["from"], transition["to"]) == (event.from_state, event.to_state)
            state = event.to_state
        assert state == order.state
        assert order.created_at == events[0].created_at
        assert order.created_at == order.submission.received_at


def test_nobody_is_told_of_the_history(seeded):
    # then: no message or delivery was recorded, and the outbox sweep finds nothing to send
    assert not WorkOrderEvent.objects.filter(effects_pending=True).exists()
    assert not Notification.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert sweep()["events"] == 0


def test_seeding_the_history_again_adds_nothing(seeded):
    # given
    counts = (WorkOrder.objects.count(), WorkOrderEvent.objects.count(), Attachment.objects.count())

    # when: run again, now and an hour later
    again = seed_demo_history(now=NOW), seed_demo_history(now=NOW + timedelta(hours=1))

    # then
    assert again == (0, 0)
    assert (
        WorkOrder.objects.count(),
        WorkOrderEvent.objects.count(),
        Attachment.objects.count(),
    ) == counts
