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
fixed offset is exact). The triggers are lightapps.tallies.row_triggers_sql's: on PostgreSQL
one PL/pgSQL function, the units taken in id order (so two steps never wait on each other's
rows in turn); on SQLite three triggers, the ids read with json_each. Mind SQLite: a migration that remakes workorders_workorderevent there
drops them (run the operation again: it is idempotent and refills).
"""

from lightapps.tallies import RowTriggers, local_day_sql, row_triggers_sql

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


class CreateStepDays(RowTriggers):
    name, table = "workorders_step_days", TABLE

    def deconstruct(self):
        return self.__class__.__qualname__, [], {}

    def create_sql(self, vendor: str) -> list[str]:
        add = lambda row, n: _add(row, str(n), vendor)  # noqa: E731
        body = f"""IF TG_OP IN ('UPDATE', 'DELETE') THEN {add("OLD", -1)} END IF;
              IF TG_OP IN ('UPDATE', 'INSERT') THEN {add("NEW", 1)} END IF;"""
        return row_triggers_sql(
            vendor, name=self.name, table=self.table, watched=list(WATCHED), pg_body=body, add=add
        )

    def fill_sql(self, vendor: str) -> list[str]:
        return fill_sql(vendor)

    def describe(self):
        return f"Steps' days of {TABLE} into {DAYS}"
