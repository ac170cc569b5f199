"""A city's worth of work orders on PostgreSQL, generated with set-based SQL (bench/lists.py).

The database is `<name>_bench` on the server of DATABASE_URL (a database of its own: the bench
never writes into the one you work in). It holds the demo district (seed_demo: 14 streets,
85 grids) with one grid worker per grid, and BENCH_ORDERS work orders spread over two years and
every grid, each with its submission and its steps: clones of the 158 demo orders of
`seed_demo --records` (their answers, titles, search text and events, shifted in time and moved
to their grid), the old ones closed, the last weeks' in every state of the closed loop. Made
once, then reused while BENCH_ORDERS is the same (a million: a few minutes, ~3 GB).
"""

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORDERS = int(os.environ.get("BENCH_ORDERS", "1000000"))
DAYS = 730  # two years
RECENT_DAYS = 45  # orders younger than this may be in any state; older ones are done


def bench_database_url() -> str | None:
    """DATABASE_URL with the database name + '_bench', or None without PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def _server_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def ensure_database(url: str) -> bool:
    """Create the bench database if it is not there; True when it was made now."""
    name = urlsplit(url).path.lstrip("/")
    with _server_connection(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _server_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generated_orders(cursor) -> int | None:
    cursor.execute("SELECT to_regclass('bench_meta')")
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute("SELECT orders FROM bench_meta")
    row = cursor.fetchone()
    return row[0] if row else None


def _grid_workers():
    """One reporter per grid (the demo has three): each grid's orders have their own reporter."""
    from lightapps.orgs.models import OrgUnit, Role
    from lightapps.orgs.services import membership_grant, person_upsert

    for grid in OrgUnit.objects.filter(kind=OrgUnit.Kind.GRID).order_by("path"):
        if grid.memberships.filter(role=Role.REPORTER).exists():
            continue
        person = person_upsert(
            username=f"bench_{grid.code}", name=f"{grid.name}网格员", wecom_userid=f"b{grid.pk}"
        )
        membership_grant(person=person, org_unit=grid, role=Role.REPORTER)


BULK_TABLES = ("submissions_submission", "workorders_workorder", "workorders_workorderevent")
GENERATE = [
    # The grids, numbered, each with its street and its reporter.
    """CREATE TEMP TABLE bench_grid AS
    SELECT (row_number() OVER (ORDER BY g.path))::int - 1 AS n, g.id, g.path,
           s.id AS street_id, s.path AS street_path,
           (SELECT m.person_id FROM orgs_membership m
             WHERE m.org_unit_id = g.id AND m.role = 'reporter' ORDER BY m.id LIMIT 1) AS reporter
      FROM orgs_orgunit g JOIN orgs_orgunit s ON s.id = g.parent_id
     WHERE g.kind = 'grid'""",
    # The demo orders to clone: all of them (recent) and the done ones (old), numbered.
    """CREATE TEMP TABLE bench_tpl AS
    SELECT (row_number() OVER (ORDER BY o.id))::int - 1 AS n_all,
           CASE WHEN o.state IN ('closed', 'rejected')
                THEN (row_number() OVER (PARTITION BY o.state IN ('closed', 'rejected')
                                         ORDER BY o.id))::int - 1 END AS n_done,
           o.*, u.kind AS assignee_kind
      FROM workorders_workorder o LEFT JOIN orgs_orgunit u ON u.id = o.assignee_unit_id""",
    # Which demo order each new one clones: (done, k) → template.
    """CREATE TEMP TABLE bench_key AS
    SELECT true AS done, n_done AS k, id AS tpl_id FROM bench_tpl WHERE n_done IS NOT NULL
    UNION ALL SELECT false, n_all, id FROM bench_tpl""",
    """CREATE TEMP TABLE bench_plan AS
    WITH counts AS (
        SELECT count(*)::int AS n_all, count(n_done)::int AS n_done FROM bench_tpl),
    base AS (SELECT COALESCE(max(id), 0) AS order_id FROM workorders_workorder),
    series AS (
        SELECT i, at AS created_at, at < now() - make_interval(days => %(recent)s) AS done
          FROM generate_series(1, %(orders)s) AS i,
               LATERAL (SELECT now() - make_interval(
                   secs => (%(orders)s - i)::float8 / %(orders)s * %(days)s * 86400) AS at) a)
    SELECT s.i, base.order_id + s.i AS order_id, s.created_at,
           md5('bench-' || s.i)::uuid AS submission_id, k.tpl_id,
           (s.i %% (SELECT count(*) FROM bench_grid))::int AS grid_n
      FROM series s CROSS JOIN counts CROSS JOIN base
      JOIN bench_key k ON k.done = s.done
       AND k.k = s.i %% CASE WHEN s.done THEN counts.n_done ELSE counts.n_all END""",
    "CREATE INDEX ON bench_plan (tpl_id)",
    "ANALYZE bench_plan",
    """INSERT INTO submissions_submission (id, data, latitude, longitude, accuracy, device_time,
        received_at, app_id, org_unit_id, reporter_id, version_id, place_path, assignee_path,
        has_work_order)
    SELECT p.submission_id, s.data, s.latitude, s.longitude, s.accuracy,
           p.created_at - interval '1 minute', p.created_at, s.app_id, g.id, g.reporter,
           s.version_id, g.path,
           CASE WHEN t.assignee_kind = 'department' THEN u.path ELSE g.street_path END, true
      FROM bench_plan p JOIN bench_tpl t ON t.id = p.tpl_id
      JOIN submissions_submission s ON s.id = t.submission_id
      JOIN bench_grid g ON g.n = p.grid_n
      LEFT JOIN orgs_orgunit u ON u.id = t.assignee_unit_id""",
    """INSERT INTO workorders_workorder (id, number, org_path, state, priority, title, due_at,
        created_at, updated_at, closed_at, app_id, assignee_id, assignee_unit_id, org_unit_id,
        submission_id, clock, due_soon_for, escalated_to_id, merged_into_id, overdue_for,
        paused_seconds, version, search_text, assignee_path, reporter_id)
    SELECT p.order_id, 'GD' || to_char(p.created_at, 'YYYYMMDD') || lpad(p.i::text, 7, '0'),
           g.path, t.state, t.priority, t.title, t.due_at + (p.created_at - t.created_at),
           p.created_at, t.updated_at + (p.created_at - t.created_at),
           t.closed_at + (p.created_at - t.created_at), t.app_id, NULL,
           CASE WHEN t.assignee_kind = 'department' THEN t.assignee_unit_id ELSE g.street_id END,
           g.id, p.submission_id, t.clock, NULL, NULL, NULL, NULL, t.paused_seconds, t.version,
           t.search_text,
           CASE WHEN t.assignee_kind = 'department' THEN u.path ELSE g.street_path END,
           g.reporter
      FROM bench_plan p JOIN bench_tpl t ON t.id = p.tpl_id
      JOIN bench_grid g ON g.n = p.grid_n
      LEFT JOIN orgs_orgunit u ON u.id = t.assignee_unit_id""",
    """INSERT INTO workorders_workorderevent (action, from_state, to_state, note, created_at,
        actor_id, assignee_unit_id, order_id, data, due_at, step_seconds, effects_pending,
        org_path, assignee_path, app_id)
    SELECT e.action, e.from_state, e.to_state, e.note, e.created_at + (p.created_at - t.created_at),
           e.actor_id,
           CASE WHEN u.kind = 'department' THEN e.assignee_unit_id
                WHEN e.assignee_unit_id IS NULL THEN NULL ELSE g.street_id END,
           p.order_id, e.data, e.due_at + (p.created_at - t.created_at), e.step_seconds, false,
           o.org_path, o.assignee_path, o.app_id
      FROM bench_plan p JOIN bench_tpl t ON t.id = p.tpl_id
      JOIN bench_grid g ON g.n = p.grid_n
      JOIN workorders_workorder o ON o.id = p.order_id
      JOIN workorders_workorderevent e ON e.order_id = t.id
      LEFT JOIN orgs_orgunit u ON u.id = e.assignee_unit_id
     ORDER BY p.order_id, e.id""",
    "SELECT setval(pg_get_serial_sequence('workorders_workorder', 'id'), max(id))"
    " FROM workorders_workorder",
    "SELECT setval(pg_get_serial_sequence('workorders_workorderevent', 'id'), max(id))"
    " FROM workorders_workorderevent",
    "CREATE TABLE bench_meta (orders integer NOT NULL)",
    "INSERT INTO bench_meta VALUES (%(orders)s)",
]


def generate(orders: int = ORDERS) -> None:
    """Migrate, seed the demo with its records, and add `orders` cloned orders (Django set up
    on the bench database)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("seed_demo", records=True, verbosity=0)
    _grid_workers()
    params = {"orders": orders, "days": DAYS, "recent": RECENT_DAYS}
    with connection.cursor() as cursor:
        # Bulk-load speed: no triggers (foreign keys: the rows are clones of consistent ones; the
        # tallies: filled at the end), and the secondary indexes dropped now and built once at
        # the end.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'"
            " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
            " WHERE c.conname = i.indexname)",
            [list(BULK_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for statement in GENERATE:
            started = time.perf_counter()
            cursor.execute(statement, params if "%(" in statement else None)
            label = " ".join(statement.split()[:4])[:40]
            print(f"  {label:<40} {time.perf_counter() - started:6.1f} s", flush=True)
        started = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        label = f"CREATE INDEX × {len(indexes)}"
        print(f"  {label:<40} {time.perf_counter() - started:6.1f} s", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        # The tallies and days the triggers keep (off for the load): filled as the migrations do.
        started = time.perf_counter()
        for statement in _fills(connection.vendor):
            cursor.execute(statement)
        print(f"  {'tallies and days filled':<40} {time.perf_counter() - started:6.1f} s")
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
        print(f"  {'VACUUM (ANALYZE)':<40} {time.perf_counter() - started:6.1f} s", flush=True)


def _fills(vendor: str) -> list[str]:
    """The statements filling every tally the database keeps by trigger (the migrations')."""
    import importlib

    from lightapps.workorders import step_days

    tallies = [
        importlib.import_module(f"lightapps.{name}").TALLY
        for name in (
            "workorders.migrations.0014_order_tally",
            "submissions.migrations.0004_report_tally",
            "submissions.migrations.0005_report_days",
        )
    ]
    return [s for t in tallies for s in t.fill_sql(vendor)] + step_days.fill_sql(vendor)


def prepare() -> str | None:
    """Point Django at the bench database, generating it unless it holds BENCH_ORDERS orders;
    returns its URL (None without PostgreSQL)."""
    url = bench_database_url()
    if url is None:
        return None
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the seed's and the logins' audit lines: not the bench's
    from django.db import connection

    with connection.cursor() as cursor:
        have = generated_orders(cursor)
    if have == ORDERS:
        from django.core.management import call_command
        from django.db.migrations.recorder import MigrationRecorder

        applied = MigrationRecorder.Migration.objects.count()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)  # what landed since: applied at a city's scale
        if MigrationRecorder.Migration.objects.count() != applied:
            # As autovacuum would in a while: the planner's statistics for the new columns, and
            # the visibility map that lets the scans read the indexes alone.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            spent = time.perf_counter() - started
            print(f"migrated the bench database (and vacuumed it) in {spent:.0f} s", flush=True)
        return url
    if have is not None or _has_tables(connection):
        connection.close()
        drop_database(url)
        ensure_database(url)
    started = time.perf_counter()
    print(f"generating {ORDERS:,} work orders in {urlsplit(url).path.lstrip('/')} …", flush=True)
    generate()
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _has_tables(connection) -> bool:
    return "workorders_workorder" in connection.introspection.table_names()
