"""The console's background work: exports too large for a request (console.background)."""

from celery import shared_task
from django.conf import settings

from .background import export_job_run, export_jobs_prune


@shared_task(
    time_limit=settings.EXPORT_TIME_LIMIT, soft_time_limit=max(10, settings.EXPORT_TIME_LIMIT - 30)
)
def export_job_task(job_id: str) -> str:
    """Write one export's file, counting its rows as it goes."""
    return export_job_run(job_id)


@shared_task
def export_jobs_prune_task() -> int:
    """Celery beat: exports past EXPORT_KEEP_HOURS, files and rows, deleted."""
    return export_jobs_prune()
