"""消息通知: WeCom messages about work orders, one `Notification` row per event and person, sent once.

`notifications_for_event` records who is told (the rule is `notifications.recipients_of_event`)
and, after commit, enqueues one `send_notification` task per row. `notification_send` takes the
row (pending → sending) with a conditional UPDATE (relay.claim), so two senders never both send
it, calls message/send with WeCom's own duplicate check on, and records the outcome. Transient
errors (-1 system busy, rate limits, network errors, timeouts) come back after a backoff through
the outbox sweep; others fail at once. Why a row is sent once even when its sender dies mid-send:
workorders.outbox.
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
from .relay import claim, enqueue_after_commit, requeue

logger = logging.getLogger(__name__)

# -1 system busy, 45009 API frequency limit, 45033 too many concurrent calls; None: HTTP error.
TRANSIENT_ERRCODES = frozenset({-1, 45009, 45033, None})
MAX_ATTEMPTS = 5
# WeCom's duplicate check at its longest (4 hours): a resend of a message whose first copy may
# have arrived is dropped by WeCom inside this window, and is never made outside it.
DUPLICATE_CHECK_SECONDS = 4 * 3600


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
        # whose answer was lost, or whose sender died, cannot reach the person twice. The link
        # names the event, so two events never look the same.
        "enable_duplicate_check": 1,
        "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
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
    from .tasks import send_notification  # cycle: the task sends through this module

    enqueue_after_commit(
        send_notification, [r.pk for r in rows if r.status == Notification.Status.PENDING]
    )
    return rows


def notifications_resend(*, ids) -> int:
    """重新发送: put the failed ones among these notifications back in the queue. Returns how many."""
    failed = list(
        Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    from .tasks import send_notification  # cycle: the task sends through this module

    return requeue(Notification, failed, send_notification)


def resend_cutoff(now=None):
    """Claims older than this are past the duplicate-check window: never sent again."""
    return (now or timezone.now()) - timedelta(seconds=settings.WECOM_RESEND_CUTOFF_SECONDS)


def notifications_unknown(now=None) -> int:
    """Rows first tried so long ago that another try could reach the person twice (a sender
    that died mid-send, or a retry after a lost answer, held up past WeCom's duplicate check):
    marked failed with 结果未知 for a person to check (the admin's 重新发送). Returns how many."""
    return Notification.objects.filter(
        status__in=[Notification.Status.SENDING, Notification.Status.PENDING],
        first_claimed_at__lt=resend_cutoff(now),
    ).update(
        status=Notification.Status.FAILED,
        claimed_at=None,
        last_error=_(
            "发送结果未知：发送中断后已超过企业微信的重复消息检查时间，请核实对方是否收到后再重新发送"
        ),
    )


def notification_send(*, notification_id: int) -> str:
    """Send one notification. Returns "sent", "retry", "failed" or "skip" (not ours to send)."""
    if not claim(Notification, notification_id, also=Q(first_claimed_at__isnull=True)
                 | Q(first_claimed_at__gte=resend_cutoff())):  # fmt: skip
        return "skip"
    row = Notification.objects.select_related("person", "event__order").get(pk=notification_id)
    attempts = row.attempts + 1
    update = {"attempts": attempts, "claimed_at": None, "next_attempt_at": None}
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
            update["next_attempt_at"] = timezone.now() + timedelta(seconds=retry_delay(attempts))
            outcome = "retry"
        else:
            update.update(status=Notification.Status.FAILED, last_error=error)
            outcome = "failed"
        logger.warning("WeCom message %s attempt %s: %s", notification_id, attempts, error)
    Notification.objects.filter(pk=notification_id).update(**update)
    return outcome


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 30 s, 1 min, 2 min, 4 min (WECOM_RETRY_SECONDS doubling)."""
    base = settings.WECOM_RETRY_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), 3600)
