"""Work-order tasks: the outbox's fan-out of a step and its deliveries (workorders.outbox), the
outbox sweep and the escalation pass (celery beat). In-process on the embedded default.

Tasks take ids and fetch their rows: a task the broker delivers twice, or late, finds its row
taken or done and does nothing.
"""

from celery import shared_task

from .escalation import work_orders_escalate as escalate
from .messages import notification_send
from .outbox import event_effects, sweep
from .webhooks import delivery_send


@shared_task
def work_order_event_happened(event_id: int) -> dict:
    """Fan out one step of a work order: live update, WeCom messages, webhook deliveries."""
    return event_effects(event_id)


# Named as before it moved from lightapps.wecom.tasks: messages an older worker queued still
# find it after an upgrade.
@shared_task(name="lightapps.wecom.tasks.send_notification")
def send_notification(notification_id: int) -> str:
    """Send one WeCom message; a failed try comes back through the sweep (backoff)."""
    return notification_send(notification_id=notification_id)


@shared_task
def send_webhook(delivery_id: int) -> str:
    """POST one webhook delivery; a failed try comes back through the sweep (backoff)."""
    return delivery_send(delivery_id=delivery_id)


@shared_task
def outbox_sweep() -> dict:
    """Celery beat: deliver what the fast path left behind (workorders.outbox.sweep)."""
    return sweep()


@shared_task
def work_orders_escalate() -> dict:
    """Celery beat: mark orders near or past their deadline, escalate the overdue ones."""
    return escalate()
