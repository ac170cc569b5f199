"""WeCom tasks: the periodic contact sync (messages about work orders: workorders.tasks)."""

import logging

from celery import shared_task

from .client import wecom_configured
from .services import contacts_sync

logger = logging.getLogger(__name__)


@shared_task
def sync_contacts() -> list[str]:
    """通讯录同步 on a schedule (celery beat): the same as `manage.py sync_wecom`."""
    if not wecom_configured():
        return []
    lines = contacts_sync().lines()
    logger.info("WeCom contact sync: %s", "; ".join(lines))
    return lines
