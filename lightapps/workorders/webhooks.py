"""Webhooks (应接尽接): a signed POST of every work-order event another system asked for.

`deliveries_for_event` (the outbox's fan-out, workorders.outbox) records one WebhookDelivery per
active hook that hears the event, with its body built once; `delivery_send` POSTs it:

    POST <url>
    Content-Type: application/json; charset=utf-8
    X-Lightapps-Event: work_order.step
    X-Lightapps-Delivery: 3f0c…        the same on every try: drop a repeat
    X-Lightapps-Timestamp: 1764651600  unix seconds of this try
    X-Lightapps-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

A receiver recomputes the signature over the raw body, compares in constant time and refuses a
timestamp more than 5 minutes away from its clock (a replay). Any 2xx is delivered; anything
else (and a network error or timeout) is tried again after 30 s, 1, 2, 4 … minutes, at most
WEBHOOK_MAX_ATTEMPTS times, then left failed for an admin to resend. The body follows
`WEBHOOK_PAYLOAD_EXAMPLE` (also in the OpenAPI document and the README); answers are masked
as in every list (idcard, mobile, location).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from datetime import timedelta

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import REPORT_ACTION, action_label, flow_template, state_label
from lightapps.orgs.selectors import work_order_audience
from lightapps.submissions.masking import answers_masked

from .models import Webhook, WebhookDelivery, WorkOrderEvent
from .relay import claim, enqueue_after_commit, requeue

logger = logging.getLogger(__name__)

SYSTEM_EVENT_TYPES = {
    "due_soon": Webhook.Event.DUE_SOON,
    "overdue": Webhook.Event.OVERDUE,
    "escalate": Webhook.Event.ESCALATED,
}
USER_AGENT = "lightapps-webhook/1"
SIGNATURE_HEADER = "X-Lightapps-Signature"


def event_type_of(event: WorkOrderEvent) -> str:
    if event.action == REPORT_ACTION:
        return Webhook.Event.REPORT
    return SYSTEM_EVENT_TYPES.get(event.action, Webhook.Event.STEP)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Lightapps-Signature value of one try."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_valid(secret: str, headers, body: bytes, *, now=None, tolerance=300) -> bool:
    """A receiver's check (used by the tests and shown in the README)."""
    try:
        timestamp = int(headers["X-Lightapps-Timestamp"])
    except (KeyError, TypeError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, headers.get(SIGNATURE_HEADER, ""))


def _unit(unit) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit else None


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def payload_of(event: WorkOrderEvent, delivery_id: uuid.UUID) -> dict:
    order = event.order
    version = order.submission.version
    template = flow_template(version.flow)
    body = {
        "id": str(delivery_id),
        "type": event_type_of(event),
        "occurred_at": _when(event.created_at),
        "work_order": {
            "id": order.pk,
            "number": order.number,
            "title": order.title,
            "state": order.state,
            "state_label": state_label(template, order.state),
            "priority": order.priority,
            "app": {"key": order.app.key, "name": order.app.name},
            "org_unit": _unit(order.org_unit),
            "assignee_unit": _unit(order.assignee_unit),
            "due_at": _when(order.due_at),
            "url": settings.SITE_URL + reverse("console:work_order", args=[order.pk]),
        },
        "step": {
            "id": event.pk,
            "action": event.action,
            "action_label": action_label(template, event.action),
            "from_state": event.from_state,
            "to_state": event.to_state,
            "note": event.note,
            "actor": event.actor.name if event.actor_id else None,
        },
    }
    if event.action == REPORT_ACTION:
        submission = order.submission
        body["report"] = {
            "id": str(submission.pk),
            "version": version.number,
            "received_at": _when(submission.received_at),
            "answers": answers_masked(version.schema, version.ui, submission.data),
        }
    return body


def hooks_for(event: WorkOrderEvent) -> list[Webhook]:
    """Active hooks that asked for this event's type, over a unit that sees its order."""
    kind = event_type_of(event)
    order = event.order
    units = set(work_order_audience(org_path=order.org_path, assignee_path=order.assignee_path))
    return [
        hook
        for hook in Webhook.objects.filter(is_active=True)
        if kind in (hook.events or []) and (hook.org_unit_id is None or hook.org_unit_id in units)
    ]


def deliveries_for_event(*, event_id: int) -> list[WebhookDelivery]:
    """Record one delivery per hook that hears this event (once: safe to run again); enqueue
    them after commit."""
    event = (
        WorkOrderEvent.objects.select_related(
            "actor",
            "order__app",
            "order__org_unit",
            "order__assignee_unit",
            "order__submission__version",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    rows = []
    for hook in hooks_for(event):
        if WebhookDelivery.objects.filter(webhook=hook, event=event).exists():
            continue
        delivery_id = uuid.uuid4()
        body = json.dumps(payload_of(event, delivery_id), ensure_ascii=False, sort_keys=True)
        try:
            with transaction.atomic():
                rows.append(
                    WebhookDelivery.objects.create(
                        webhook=hook,
                        event=event,
                        delivery_id=delivery_id,
                        event_type=event_type_of(event),
                        body=body,
                    )
                )
        except IntegrityError:  # a concurrent fan-out of the same event made it first
            continue
    from .tasks import send_webhook  # cycle: the task sends through this module

    enqueue_after_commit(send_webhook, [row.pk for row in rows])
    return rows


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: WEBHOOK_RETRY_SECONDS doubling, at most an hour."""
    return min(settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)


def delivery_send(*, delivery_id: int) -> str:
    """POST one delivery. Returns "delivered", "retry", "failed" or "skip" (not ours to send)."""
    if not claim(WebhookDelivery, delivery_id):
        return "skip"
    row = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    hook = row.webhook
    attempts = row.attempts + 1
    body = row.body.encode()
    timestamp = int(time.time())
    update = {"attempts": attempts, "claimed_at": None, "next_attempt_at": None}
    error, status = "", None
    try:
        response = requests.post(
            hook.url,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                "X-Lightapps-Event": row.event_type,
                "X-Lightapps-Delivery": str(row.delivery_id),
                "X-Lightapps-Timestamp": str(timestamp),
                SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
            },
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
        status = response.status_code
        if not 200 <= status < 300:
            error = _("接收方回答 HTTP %(status)s：%(text)s") % {
                "status": status,
                "text": response.text[:300],
            }
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
    update["response_status"] = status
    if not error:
        update.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now())
        update["last_error"] = ""
        outcome = "delivered"
    elif not hook.is_active or attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        update.update(status=WebhookDelivery.Status.FAILED, last_error=error)
        outcome = "failed"
    else:
        update.update(status=WebhookDelivery.Status.PENDING, last_error=error)
        update["next_attempt_at"] = timezone.now() + timedelta(seconds=retry_delay(attempts))
        outcome = "retry"
    if error:
        logger.warning("webhook delivery %s attempt %s: %s", delivery_id, attempts, error)
    WebhookDelivery.objects.filter(pk=delivery_id).update(**update)
    return outcome


def deliveries_resend(*, ids) -> int:
    """重新发送: failed or delivered deliveries sent again, same id and body. Returns how many."""
    rows = list(
        WebhookDelivery.objects.filter(pk__in=ids)
        .exclude(status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING])
        .values_list("pk", flat=True)
    )
    from .tasks import send_webhook  # cycle: the task sends through this module

    return requeue(WebhookDelivery, rows, send_webhook)


WEBHOOK_PAYLOAD_EXAMPLE = {
    "id": "0f6b1d1e-8f0c-4bb2-9a51-6c0b3c7f9d21",
    "type": "work_order.step",
    "occurred_at": "2026-12-02T10:15:03.120000+08:00",
    "work_order": {
        "id": 812,
        "number": "GD202612020031",
        "title": "建筑外立面安全隐患 · 江宁路 181 号 · 空鼓",
        "state": "dispatched",
        "state_label": "处置中",
        "priority": "normal",
        "app": {"key": "facade-check", "name": "建筑外立面安全隐患排查"},
        "org_unit": {"id": 7, "name": "江宁路街道"},
        "assignee_unit": {"id": 12, "name": "城管执法中队"},
        "due_at": "2026-12-04T17:30:00+08:00",
        "url": "https://lightapps.example.gov.cn/console/work-orders/812/",
    },
    "step": {
        "id": 20571,
        "action": "dispatch",
        "action_label": "派遣",
        "from_state": "filed",
        "to_state": "dispatched",
        "note": "请两个工作日内处置",
        "actor": "王调度",
    },
}
