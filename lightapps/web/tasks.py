"""Periodic upkeep of what every page shares (Celery beat)."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def sessions_clear() -> None:
    """Delete expired sessions from the database (Django's clearsessions), on the beat schedule."""
    call_command("clearsessions")
