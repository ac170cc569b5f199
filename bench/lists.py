"""Benchmark: the console's and the API's lists at a city's scale, on PostgreSQL.

BENCH_ORDERS work orders (default 1,000,000; each with its submission and its steps) in a
database of their own, `<name>_bench` on DATABASE_URL's server (bench/bigdata.py makes it once,
with set-based SQL, and reuses it). Each page is asked as a street's supervisor
(BENCH_PERSON, default jny_supervisor) through Django's test client, in this process: the
server's time for the whole page (middleware, queries, template), no network. Rounds are
interleaved with the baseline — a bare indexed `SELECT … ORDER BY id DESC LIMIT 50` on the same
table, the least a list page can cost — and every figure prints min/median/max, its ratio to the
baseline's median and its bound (LIST_BOUND_MS, 100 ms, on the median). Exits 1 when a page
misses its bound. Without PostgreSQL (no postgres DATABASE_URL) it says so and exits 0.
Run with `make bench`.
"""

import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("REDIS_URL", None)  # the pages' own cost, not the cache's
# As production serves them: DEBUG off (no query log, no debug page machinery).
os.environ["DEBUG"] = "0"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"

import bigdata  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
PERSON = os.environ.get("BENCH_PERSON", "jny_supervisor")
BOUND_MS = float(os.environ.get("LIST_BOUND_MS", "100"))
BASELINE_SQL = (
    "SELECT id, number, title, state, created_at FROM workorders_workorder"
    " ORDER BY id DESC LIMIT 50"
)


def _pages(client) -> list[tuple[str, str]]:
    """(label, URL) of every page measured; the last pages found through the first."""
    from datetime import date, timedelta

    first = client.get("/api/work-orders/").json()
    month_end = date.today().replace(day=1) - timedelta(days=1)  # the last whole month
    month = f"since={month_end.replace(day=1).isoformat()}&until={month_end.isoformat()}"
    last_offset = max(0, math.ceil(first["count"] / 50) * 50 - 50)
    return [
        ("/console/ first page", "/console/"),
        ("/console/ filtered (待派遣… state)", "/console/?state=dispatched"),
        ("/console/ filtered (app + street)", "/console/?app=facade-hazard&due=overdue"),
        ("/console/ page 100", "/console/?page=100"),
        ("/console/ last page", "/console/?page=999999"),
        ("/api/work-orders/ first page", "/api/work-orders/"),
        ("/api/work-orders/ filtered", "/api/work-orders/?state=dispatched"),
        ("/api/work-orders/ page 100", "/api/work-orders/?offset=4950"),
        ("/api/work-orders/ last page", f"/api/work-orders/?offset={last_offset}"),
        ("/console/data/ first page", "/console/data/?app=facade-hazard"),
        ("/console/data/ filtered", "/console/data/?app=small-site&since=2026-01-01"),
        ("/console/data/ page 100", "/console/data/?app=facade-hazard&page=100"),
        ("/console/data/ last page", "/console/data/?app=facade-hazard&page=999999"),
        ("/console/figures/ (last month)", f"/console/figures/?{month}"),
    ]


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    url = bigdata.prepare()
    if url is None:
        print("lists: skipped, needs PostgreSQL (DATABASE_URL=postgres://…)")
        return 0

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lightapps.orgs.models import Person

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(Person.objects.get(username=PERSON))
    pages = _pages(client)
    queries = {}
    for label, path in pages:  # warm the caches, check each page answers, count its queries
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            print(f"{label}: {path} answered {response.status_code}")
            return 1
        queries[label] = len(captured.captured_queries)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL)
            cursor.fetchall()

    samples = {label: [] for label, _ in pages}
    base = []
    for _ in range(ROUNDS):
        for label, path in pages:
            base.append(_ms(baseline))
            samples[label].append(_ms(lambda path=path: client.get(path)))

    orders = bigdata.ORDERS
    base_median = statistics.median(base)
    print(f"lists at {orders:,} work orders, as {PERSON}, {ROUNDS} rounds (ms: min/median/max)")
    print(f"  {'bare SELECT … LIMIT 50 (baseline)':<40} {min(base):7.1f} {base_median:7.1f}"
          f" {max(base):7.1f}")  # fmt: skip
    missed = []
    for label, _ in pages:
        s = samples[label]
        median = statistics.median(s)
        ok = median <= BOUND_MS
        if not ok:
            missed.append(label)
        print(
            f"  {label:<40} {min(s):7.1f} {median:7.1f} {max(s):7.1f}"
            f"  × {median / base_median:6.0f} baseline  {queries[label]:2d} SQL"
            f"  bound ≤ {BOUND_MS:.0f} ms {'ok' if ok else 'MISSED'}"
        )
    if missed:
        print(f"lists: {len(missed)} page(s) over {BOUND_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
