"""Handing outbox rows to the broker and taking them for sending (see workorders.outbox)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

logger = logging.getLogger(__name__)

_withheld: ContextVar[bool] = ContextVar("outbox_effects_withheld", default=False)


@contextmanager
def effects_withheld():
    """Steps written inside are stored with their side effects marked done and nothing enqueued.

    For records of the past (the demo's back-dated history, an import from an older system):
    nobody is to be told now of a step taken months ago, by WeCom, webhook or live update. The
    step's rows are otherwise what the services write; its effects_pending is False, so the
    outbox sweep (which takes only pending steps) never sends them either.
    """
    token = _withheld.set(True)
    try:
        yield
    finally:
        _withheld.reset(token)


def effects_are_withheld() -> bool:
    """Whether the current code runs inside effects_withheld()."""
    return _withheld.get()


def enqueue(task, *args) -> bool:
    """Hand a task to the broker (or run it here, eagerly). False, logged, when that failed: the
    row stays in the outbox and the sweep delivers it once the broker is back."""
    try:
        task.delay(*args)
    except Exception:  # a broker that is down, or an in-process task that raised
        logger.warning("outbox: %s%r not enqueued; the sweep will deliver it", task.name, args,
                       exc_info=True)  # fmt: skip
        return False
    return True


def enqueue_after_commit(task, ids) -> None:
    """After the current transaction commits (at once outside one), enqueue `task` per id."""
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: [enqueue(task, pk) for pk in ids])


def requeue(model, ids: list[int], task) -> int:
    """重新发送: these rows start a new round of tries (a new duplicate-check window too) and are
    enqueued after commit. Returns how many."""
    model.objects.filter(pk__in=ids).update(
        status="pending", attempts=0, next_attempt_at=None, claimed_at=None, first_claimed_at=None
    )
    enqueue_after_commit(task, ids)
    return len(ids)


def claimable(now=None) -> Q:
    """Rows a sender may take now: pending and due, or sending under a claim that went stale."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status="pending") & due) | Q(status="sending", claimed_at__lt=stale)


def claim(model, pk: int, *, also: Q | None = None) -> bool:
    """Take one delivery row for sending (status → sending). True when this caller holds it."""
    now = timezone.now()
    condition = claimable(now) if also is None else claimable(now) & also
    taken = model.objects.filter(condition, pk=pk).update(
        status="sending",
        claimed_at=now,
        first_claimed_at=Coalesce(F("first_claimed_at"), Value(now)),
    )
    return bool(taken)
