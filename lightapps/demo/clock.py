"""The demo's clock: run the real services as if it were another moment (演示历史).

The services take "now" from `django.utils.timezone.now()` in many places: deadlines, work-order
numbers (`localdate`), photo capture times and the `auto_now_add` / `auto_now` columns
(`created_at`, `received_at`, `updated_at`, which ignore a value passed in). Threading a `now=`
through every one of them would change a dozen signatures for the demo's sake alone, so the
demo's history sets the clock back instead, around each step it replays: every row is then
exactly what the services write at that moment. Demo seeding only; one thread; never in a
request.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """While inside, `timezone.now()` (and so localdate, auto_now_add…) answers `moment`."""
    if timezone.is_naive(moment):
        raise ValueError("clock_at needs an aware datetime")
    real = timezone.now
    # Patched on the module: callers look `timezone.now` up at call time (django.db's
    # DateTimeField.pre_save and timezone.localtime included), none keeps its own reference.
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real
