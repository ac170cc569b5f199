"""Retention of the audit log (Celery beat)."""

from celery import shared_task

from .services import audit_prune


@shared_task
def audit_log_prune() -> int:
    """Entries older than AUDIT_RETENTION_DAYS out of the database, on the beat schedule."""
    return audit_prune()
