"""The escalation pass every minute, in the foreground: the embedded default's beat.

`make run` starts it beside the web server when there is no REDIS_URL (no broker, no Celery
worker); with Redis, run `make worker` and `make beat` instead.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lightapps.workorders.escalation import work_orders_escalate


class Command(BaseCommand):
    help = (
        "Mark work orders near or past their deadline and escalate the overdue ones, every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=float(settings.ESCALATION_EVERY_SECONDS),
            help="seconds between passes (default: ESCALATION_EVERY_SECONDS)",
        )
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args, every: float, once: bool, **options):
        while True:
            try:
                written = work_orders_escalate()
            except Exception as exc:  # keep the loop alive through a locked SQLite or a blip
                if once:
                    raise CommandError(f"escalation pass failed: {exc!r}") from exc
                self.stderr.write(f"escalation pass failed: {exc!r}")
            else:
                if any(written.values()) or once:
                    self.stdout.write(f"escalation: {written}")
            if once:
                return
            time.sleep(every)
            # A long-lived process: drop a connection that broke or outlived CONN_MAX_AGE.
            close_old_connections()
