"""The steps' days (StepDay), kept by the database: a migration operation and its SQL.

A step that counts in the figures — a 处置 (handle), a 返工 (rework), or a person's step out of
a state (its time in that state) — adds to the row of (its local day, unit, app, state left) of
every unit whose subtree holds its order's place or assigned unit, each unit once: the ids on
the two paths the step carries (workorders.0012). A trigger does it in the step's own
statement; when the step's paths change (a reassignment moves every step of the order), or any
column it counts by, it takes the step from where it was and adds it where it is. The measures
are figures.STEP_FILTERS spelled in SQL (tests/workorders/test_step_days.py holds the days to
the counts of the steps).

The local day is TIME_ZONE's when the migration ran (Asia/Shanghai: UTC+8 all year, so SQLite's
fixed offset is exact). On PostgreSQL one PL/pgSQL function, the units taken in id order (so
two steps never wait on each other's rows in turn); on SQLite two triggers per change, the ids
read with json_each. Mind SQLite: a migration that remakes workorders_workorderevent there
drops them (run the operation again: it is idempotent and refills).
"""

from django.db import migrations

from lightapps.tallies import local_day_sql

TABLE = "workorders_workorderevent"
DAYS = "workorders_stepday"
MEASURES = ("handled", "handled_on_time", "reworked", "steps", "seconds")
COLUMNS = "unit_id, day, app_id, from_state, " + ", ".join(MEASURES)


def _step(row: str) -> str:
    return (
        f"({row}.actor_id IS NOT NULL AND {row}.step_seconds IS NOT NULL"
        f" AND {row}.from_state <> '')"
    )


def _counts(row: str) -> str:
    """Whether the step counts at all: the trigger's condition."""
    return f"({row}.action IN ('handle', 'rework') OR {_step(row)})"


def _measures(row: str, sign: str) -> list[str]:
    on_time = f"({row}.due_at IS NULL OR {row}.created_at <= {row}.due_at)"
    return [
        f"{sign} * (CASE WHEN {row}.action = 'handle' THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {row}.action = 'handle' AND {on_time} THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {row}.action = 'rework' THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {_step(row)} THEN 1 ELSE 0 END)",
        f"{sign} * (CASE WHEN {_step(row)} THEN {row}.step_seconds ELSE 0 END)",
    ]


def _update(vendor: str) -> str:
    sets = ", ".join(f"{m} = {DAYS}.{m} + excluded.{m}" for m in MEASURES)
    target = "ON CONSTRAINT workorder_step_day_key" if vendor == "postgresql" else (
        "(unit_id, day, app_id, from_state)"
    )  # fmt: skip
    return f"ON CONFLICT {target} DO UPDATE SET {sets}"


def _day(row: str, vendor: str) -> str:
    return local_day_sql(f"{row}.created_at", vendor)


def _units(row: str, vendor: str) -> str:
    """The distinct unit ids on the row's two paths, ascending, as a subquery `u(id)`."""
    if vendor == "postgresql":
        return (
            f"(SELECT DISTINCT p::bigint AS id FROM unnest(string_to_array("
            f"{row}.org_path || {row}.assignee_path, '/')) AS p WHERE p <> '' ORDER BY 1) AS u"
        )
    return (
        f"(SELECT DISTINCT CAST(value AS INTEGER) AS id FROM json_each('[' || rtrim(replace("
        f"{row}.org_path || {row}.assignee_path, '/', ','), ',') || ']') ORDER BY 1) AS u"
    )


def _add(row: str, sign: str, vendor: str) -> str:
    values = ", ".join(_measures(row, sign))
    return (
        f"INSERT INTO {DAYS} ({COLUMNS}) SELECT u.id, {_day(row, vendor)}, {row}.app_id,"
        f" {row}.from_state, {values} FROM {_units(row, vendor)} WHERE {_counts(row)}"
        f" {_update(vendor)};"
    )


# Every column a step's days depend on: its paths change with a reassignment; the others never
# do in the product, but a data fix (or a fixture) may set them, and the days must follow.
WATCHED = ("org_path", "assignee_path", "app_id", "created_at", "action", "from_state",
           "actor_id", "step_seconds", "due_at")  # fmt: skip
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)


def create_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION workorders_step_days() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN {_add("OLD", "-1", vendor)} END IF;
              IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW", "1", vendor)} END IF;
              RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS workorders_step_days_insert_delete ON {TABLE}",
            f"CREATE TRIGGER workorders_step_days_insert_delete AFTER INSERT OR DELETE ON {TABLE}"
            " FOR EACH ROW EXECUTE FUNCTION workorders_step_days()",
            f"DROP TRIGGER IF EXISTS workorders_step_days_update ON {TABLE}",
            f"CREATE TRIGGER workorders_step_days_update AFTER UPDATE OF {', '.join(WATCHED)}"
            f" ON {TABLE} FOR EACH ROW WHEN ({CHANGED})"
            " EXECUTE FUNCTION workorders_step_days()",
        ]
    changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER IF NOT EXISTS workorders_step_days_insert AFTER INSERT ON {TABLE}"
        f" BEGIN {_add('NEW', '1', vendor)} END",
        f"CREATE TRIGGER IF NOT EXISTS workorders_step_days_delete AFTER DELETE ON {TABLE}"
        f" BEGIN {_add('OLD', '-1', vendor)} END",
        f"CREATE TRIGGER IF NOT EXISTS workorders_step_days_update AFTER UPDATE OF"
        f" {', '.join(WATCHED)} ON {TABLE} WHEN {changed}"
        f" BEGIN {_add('OLD', '-1', vendor)} {_add('NEW', '1', vendor)} END",
    ]


def fill_sql(vendor: str) -> list[str]:
    """Empty the days and add up the steps there into them (the triggers keep them from then)."""
    measures = ", ".join(f"sum({m})" for m in _measures("e", "1"))
    if vendor == "postgresql":
        ids = "SELECT DISTINCT s.id AS step, p::bigint AS id FROM {t} s,"
        ids += " unnest(string_to_array(s.org_path || s.assignee_path, '/')) AS p WHERE p <> ''"
    else:
        ids = "SELECT DISTINCT s.id AS step, CAST(j.value AS INTEGER) AS id FROM {t} s,"
        ids += " json_each('[' || rtrim(replace(s.org_path || s.assignee_path, '/', ','), ',')"
        ids += " || ']') AS j"
    units = f"({ids.format(t=TABLE)} AND {_counts('s')})" if vendor == "postgresql" else (
        f"({ids.format(t=TABLE)} WHERE {_counts('s')})"
    )  # fmt: skip
    return [
        f"DELETE FROM {DAYS}",
        f"INSERT INTO {DAYS} ({COLUMNS}) SELECT u.id, {_day('e', vendor)}, e.app_id,"
        f" e.from_state, {measures} FROM {units} AS u JOIN {TABLE} e ON e.id = u.step"
        " GROUP BY 1, 2, 3, 4",
    ]


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS workorders_step_days_update ON {TABLE}",
            f"DROP TRIGGER IF EXISTS workorders_step_days_insert_delete ON {TABLE}",
            "DROP FUNCTION IF EXISTS workorders_step_days()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS workorders_step_days_{op}" for op in ("insert", "delete", "update")
    ]


class CreateStepDays(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def deconstruct(self):
        return self.__class__.__qualname__, [], {}

    def state_forwards(self, app_label, state):
        pass  # the triggers are not part of the models' state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        for statement in create_sql(vendor) + fill_sql(vendor):
            schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def describe(self):
        return f"Steps' days of {TABLE} into {DAYS}"

    @property
    def migration_name_fragment(self):
        return "step_days"
