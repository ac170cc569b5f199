"""消息通知: WeCom messages about work orders, one `Notification` row per event and person, sent once.

`notifications_for_event` records who is told (the rule is `notifications.recipients_of_event`)
and, after commit, enqueues one
`send_notification` task per row. `notification_send` takes the row (pending → sending) with a
conditional UPDATE, so two senders never both send it, calls message/send with WeCom's own
duplicate check on, and records the outcome. Transient errors (-1 system busy, rate limits,
network errors, timeouts) are retried with backoff by the task; others fail at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpy.exceptions import WeChatClientException

from lightapps.wecom.client import WeComTokenError, get_client, wecom_configured
from lightapps.wecom.models import Notification

from .models import WorkOrderEvent
from .notifications import recipients_of_event

logger = logging.getLogger(__name__)

# -1 system busy, 45009 API frequency limit, 45033 too many concurrent calls; None: HTTP error.
TRANSIENT_ERRCODES = frozenset({-1, 45009, 45033, None})
MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=10)


def _titles() -> dict[str, str]:
    return {
        "report": _("新上报待立案"),
        "dispatch": _("工单已派遣，请处置"),
        "reassign": _("工单改派给您，请处置"),
        "send_back": _("工单被退回"),
        "rework": _("工单被退回返工"),
        "due_soon": _("工单即将到期"),
        "overdue": _("工单已超期"),
        "escalate": _("工单超期升级督办"),
    }


def work_order_link(event: WorkOrderEvent) -> str:
    """The work order's phone page; the event id keeps two messages of one order apart."""
    path = reverse("mobile:work_order", args=[event.order_id])
    return f"{settings.SITE_URL.rstrip('/')}{path}?event={event.pk}"


def message_body(event: WorkOrderEvent) -> dict:
    """A text card (文本卡片) about the event, linking to the work order's phone page."""
    order = event.order
    when = timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M")
    title = _titles().get(event.action, _("工单有新进展"))
    lines = [
        f'<div class="gray">{when}</div>',
        f'<div class="normal">{order.number} · {order.title}</div>',
    ]
    if order.due_at:
        due = timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M")
        lines.append(f'<div class="highlight">{_("办理时限")}：{due}</div>')
    if event.note:
        lines.append(f'<div class="normal">{event.note[:200]}</div>')
    return {
        "msgtype": "textcard",
        "textcard": {
            "title": f"{title} {order.number}"[:128],
            "description": "".join(lines)[:512],
            "url": work_order_link(event),
            "btntxt": _("详情"),
        },
        # WeCom drops the same content sent again within the interval: a retry after a send
        # whose answer was lost cannot reach the person twice.
        "enable_duplicate_check": 1,
        "duplicate_check_interval": 1800,
    }


def notifications_for_event(*, event_id: int) -> list[Notification]:
    """Record one notification per person told of this event; enqueue sending after commit."""
    event = (
        WorkOrderEvent.objects.select_related("order__assignee", "assignee_unit__parent")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    configured = wecom_configured()
    rows = []
    for person in recipients_of_event(event):
        status, error = Notification.Status.PENDING, ""
        if not configured:
            status, error = Notification.Status.SKIPPED, _("未配置企业微信")
        elif not person.wecom_userid:
            status, error = Notification.Status.SKIPPED, _("此人没有企业微信账号")
        try:
            with transaction.atomic():
                row, created = Notification.objects.get_or_create(
                    event=event, person=person, defaults={"status": status, "last_error": error}
                )
        except IntegrityError:  # a concurrent run of the same event made it first
            continue
        if created:
            rows.append(row)
    pending = [r.pk for r in rows if r.status == Notification.Status.PENDING]
    if pending:
        from .tasks import send_notification  # cycle: the task sends through this module

        transaction.on_commit(lambda: [send_notification.delay(pk) for pk in pending])
    return rows


def notifications_resend(*, ids) -> int:
    """重新发送: put the failed ones among these notifications back in the queue. Returns how many."""
    failed = list(
        Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    Notification.objects.filter(pk__in=failed).update(status=Notification.Status.PENDING)
    if failed:
        from .tasks import send_notification  # cycle: the task sends through this module

        transaction.on_commit(lambda: [send_notification.delay(pk) for pk in failed])
    return len(failed)


def _claim(notification_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return bool(
        Notification.objects.filter(claimable, pk=notification_id).update(
            status=Notification.Status.SENDING, claimed_at=now
        )
    )


def notification_send(*, notification_id: int) -> str:
    """Send one notification. Returns "sent", "retry", "failed" or "skip" (not ours to send)."""
    if not _claim(notification_id):
        return "skip"
    row = Notification.objects.select_related("person", "event__order").get(pk=notification_id)
    attempts = row.attempts + 1
    update = {"attempts": attempts, "claimed_at": None}
    outcome = "sent"
    try:
        result = get_client().message.send(
            settings.WECOM_AGENT_ID, [row.person.wecom_userid], msg=message_body(row.event)
        )
        update.update(status=Notification.Status.SENT, sent_at=timezone.now(), last_error="")
        update["msgid"] = str(result.get("msgid", ""))[:64]
        if row.person.wecom_userid in str(result.get("invaliduser", "")).split("|"):
            update.update(status=Notification.Status.FAILED, sent_at=None)
            update["last_error"] = _("企业微信认为此账号无效（invaliduser）")
            outcome = "failed"
    except (requests.RequestException, WeChatClientException) as exc:
        errcode = getattr(exc, "errcode", None)
        if isinstance(exc, WeComTokenError):
            errcode = "token"
        error = f"{type(exc).__name__}: {exc}"[:2000]
        transient = isinstance(exc, requests.RequestException) or errcode in TRANSIENT_ERRCODES
        if transient and attempts < MAX_ATTEMPTS:
            update.update(status=Notification.Status.PENDING, last_error=error)
            outcome = "retry"
        else:
            update.update(status=Notification.Status.FAILED, last_error=error)
            outcome = "failed"
        logger.warning("WeCom message %s attempt %s: %s", notification_id, attempts, error)
    Notification.objects.filter(pk=notification_id).update(**update)
    return outcome


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 30 s, 1 min, 2 min, 4 min … at most an hour."""
    base = settings.WECOM_RETRY_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), 3600)
