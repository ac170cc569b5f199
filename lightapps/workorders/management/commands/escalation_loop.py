"""The embedded default's beat, in the foreground: the escalation pass every minute and the
outbox sweep (workorders.outbox) every OUTBOX_SWEEP_SECONDS.

`make run` starts it beside the web server when there is no REDIS_URL (no broker, no Celery
worker); with Redis, run `make worker` and `make beat` instead.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lightapps.workorders.escalation import work_orders_escalate
from lightapps.workorders.outbox import sweep


class Command(BaseCommand):
    help = (
        "Mark work orders near or past their deadline and escalate the overdue ones, every "
        "minute; deliver what the outbox holds back, every OUTBOX_SWEEP_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=float(settings.ESCALATION_EVERY_SECONDS),
            help="seconds between escalation passes (default: ESCALATION_EVERY_SECONDS)",
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=float(settings.OUTBOX_SWEEP_SECONDS),
            help="seconds between outbox sweeps (default: OUTBOX_SWEEP_SECONDS)",
        )
        parser.add_argument("--once", action="store_true", help="one pass of each, then exit")

    def _run(self, name, job, once):
        try:
            done = job()
        except Exception as exc:  # keep the loop alive through a locked SQLite or a blip
            if once:
                raise CommandError(f"{name} failed: {exc!r}") from exc
            self.stderr.write(f"{name} failed: {exc!r}")
        else:
            if any(done.values()) or once:
                self.stdout.write(f"{name}: {done}")

    def handle(self, *args, every: float, sweep_every: float, once: bool, **options):
        next_escalation = next_sweep = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= next_escalation:
                self._run("escalation", work_orders_escalate, once)
                next_escalation = now + every
            if now >= next_sweep:
                self._run("outbox", sweep, once)
                next_sweep = now + sweep_every
            if once:
                return
            time.sleep(max(min(next_escalation, next_sweep) - time.monotonic(), 0.05))
            # A long-lived process: drop a connection that broke or outlived CONN_MAX_AGE.
            close_old_connections()
