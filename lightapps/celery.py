"""Celery app. With REDIS_URL it uses Redis as the broker; without, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")

app = Celery("lightapps")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
