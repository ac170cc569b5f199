"""The outbox (发件箱): the side effects of a work-order step are stored with the step, in its
transaction, and delivered after it, however the broker, the worker or WeCom behave.

    the step's transaction   WorkOrderEvent(effects_pending=True)        ─┐ one commit
    after commit             enqueue(event_effects_task, event id)        │ best effort: a broker
                                                                          │ that is down is logged,
    event_effects            live broadcast; Notification rows (WeCom);   │ never a failed request
                             WebhookDelivery rows; effects_pending=False  │
    per row                  enqueue(send task, row id) → claim → send   ─┘
    every OUTBOX_SWEEP_SECONDS  sweep(): what the fast path left behind

Every delivery row (Notification, WebhookDelivery) is taken by a conditional UPDATE (`claim`):
pending and due, or "sending" with a claim older than OUTBOX_STALE_SECONDS (its sender died: a
SIGKILLed worker, a pod evicted). Two senders never hold one row; a task delivered twice by the
broker finds the row taken or done and does nothing. A failed try sets `next_attempt_at`
(backoff) and the sweep brings it back then: no countdown tasks wait in the broker, so
Redis's visibility timeout can be short.

Exactly one WeCom message per row: a sender that died may have died after WeCom accepted the
message and before the row said so. Such a row is sent again only inside WeCom's duplicate
check (same content within `duplicate_check_interval`, which drops the second copy), which
the message asks for at its longest (4 hours); past WECOM_RESEND_CUTOFF the row is not sent
again but marked failed ("结果未知"), for a person to check and resend. Webhook receivers get
a delivery id (`X-Lightapps-Delivery`) that stays the same across every retry, to drop repeats.

The event fan-out is idempotent (one Notification per event and person, one WebhookDelivery per
hook and event); the live broadcast carries the event id, so a console that hears it twice can
tell. On the embedded default (no broker) tasks run in-process and `manage.py escalation_loop`
sweeps beside the web server.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lightapps.wecom.models import Notification

from .live import broadcast_work_order_event
from .messages import notification_send, notifications_for_event, notifications_unknown
from .models import WebhookDelivery, WorkOrderEvent
from .relay import claimable
from .webhooks import deliveries_for_event, delivery_send


def event_effects(event_id: int) -> dict:
    """Record and start every side effect of one step; safe to run any number of times."""
    event = WorkOrderEvent.objects.filter(pk=event_id).first()
    if event is None:
        return {}
    done = {
        "groups": broadcast_work_order_event(event_id),
        "notifications": len(notifications_for_event(event_id=event_id)),
        "webhooks": len(deliveries_for_event(event_id=event_id)),
    }
    WorkOrderEvent.objects.filter(pk=event_id, effects_pending=True).update(effects_pending=False)
    return done


def sweep(now=None) -> dict:
    """Deliver what the fast path left behind: steps whose fan-out did not run (broker down, a
    worker killed), rows whose retry is due, rows whose sender died. Runs them here, in batches
    of OUTBOX_SWEEP_BATCH, so a backlog is not enqueued again on every pass."""
    now = now or timezone.now()
    batch = settings.OUTBOX_SWEEP_BATCH
    grace = now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    counts = {"events": 0, "notifications": 0, "webhooks": 0, "unknown": notifications_unknown(now)}
    events = WorkOrderEvent.objects.filter(effects_pending=True, created_at__lt=grace)
    for event_id in events.order_by("created_at").values_list("pk", flat=True)[:batch]:
        event_effects(event_id)
        counts["events"] += 1
    for model, send, key in (
        (Notification, lambda pk: notification_send(notification_id=pk), "notifications"),
        (WebhookDelivery, lambda pk: delivery_send(delivery_id=pk), "webhooks"),
    ):
        # Fresh pending rows belong to the fast path for a moment; older ones, due retries and
        # stale claims are the sweep's.
        due = model.objects.filter(claimable(now)).exclude(
            status="pending", next_attempt_at__isnull=True, created_at__gte=grace
        )
        for pk in due.order_by("created_at").values_list("pk", flat=True)[:batch]:
            if send(pk) != "skip":
                counts[key] += 1
    return counts
