"""Celery app. With REDIS_URL it uses Redis as the broker; without, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")

app = Celery("lightapps")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The worker and beat log through Django's LOGGING (JSON lines in production), not Celery's own.
app.conf.worker_hijack_root_logger = False
app.autodiscover_tasks()
