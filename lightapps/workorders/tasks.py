"""Work-order side effects, run after commit (in-process on the embedded default): the live
broadcast and the WeCom messages of each step, sending one message, and the escalation pass.

services and messages enqueue these tasks with a function-local import: these tasks call them.
"""

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer

from lightapps.orgs.selectors import work_order_audience
from lightapps.wecom.models import Notification

from .escalation import work_orders_escalate as escalate
from .messages import notification_send, notifications_for_event, retry_delay
from .models import WorkOrderEvent


def unit_group(unit_id: int) -> str:
    return f"orgunit.{unit_id}"


@shared_task
def work_order_event_happened(event_id: int) -> None:
    """Fan out one step of a work order to everything that reacts to it."""
    broadcast_work_order_event(event_id)
    notifications_for_event(event_id=event_id)


# Named as before it moved from lightapps.wecom.tasks: messages an older worker queued (retries
# wait up to an hour) still find it after an upgrade.
@shared_task(bind=True, max_retries=None, name="lightapps.wecom.tasks.send_notification")
def send_notification(self, notification_id: int) -> str:
    """Send one notification; a transient failure comes back later, at most MAX_ATTEMPTS times."""
    outcome = notification_send(notification_id=notification_id)
    if outcome == "retry":
        attempts = Notification.objects.filter(pk=notification_id).values_list(
            "attempts", flat=True
        )
        countdown = retry_delay(attempts.first() or 1)
        if self.request.is_eager:
            # In-process tasks: returning the Retry makes apply() run the task again now;
            # raising it would propagate into whatever ran the on-commit hooks.
            return self.retry(countdown=countdown, throw=False)
        raise self.retry(countdown=countdown)
    return outcome


@shared_task
def work_orders_escalate() -> dict:
    """Celery beat: mark orders near or past their deadline, escalate the overdue ones."""
    return escalate()


def broadcast_work_order_event(event_id: int) -> int:
    """Tell every console watching a unit whose people see the order (its place's and its
    assigned unit's, as work_order_q) that it changed. Returns the number of groups sent."""
    event = (
        WorkOrderEvent.objects.select_related("order__assignee_unit").filter(pk=event_id).first()
    )
    if event is None:
        return 0
    layer = get_channel_layer()
    if layer is None:
        return 0
    order = event.order
    message = {
        "type": "work_order.event",
        "order": order.pk,
        "number": order.number,
        "state": order.state,
        "action": event.action,
    }
    assigned = order.assignee_unit.path if order.assignee_unit else ""
    unit_ids = work_order_audience(org_path=order.org_path, assignee_path=assigned)
    for unit_id in unit_ids:
        async_to_sync(layer.group_send)(unit_group(unit_id), message)
    return len(unit_ids)
