"""WeCom tasks: send one message (retried with backoff), and the periodic contact sync."""

import logging

from celery import shared_task

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None)
def send_notification(self, notification_id: int) -> str:
    """Send one notification; a transient failure comes back later, at most MAX_ATTEMPTS times."""
    from .messages import notification_send, retry_delay

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
def sync_contacts() -> list[str]:
    """通讯录同步 on a schedule (celery beat): the same as `manage.py sync_wecom`."""
    from .client import wecom_configured
    from .services import contacts_sync

    if not wecom_configured():
        return []
    lines = contacts_sync().lines()
    logger.info("WeCom contact sync: %s", "; ".join(lines))
    return lines
