"""Tallies kept by the database: a migration operation.

A tally table holds, per key (some columns of a big table), how many of its rows have that key.
Triggers on the big table add one to the row of a key when a row is inserted or moves to it and
take one from the key it leaves or is deleted from, in that row's own statement and
transaction — so the tally is never behind, whatever writes the rows (our services, a bulk
INSERT, a backfill, a queryset update), and no service has a statement to add. A count over a
wide scope (a district's million orders) then adds up a few thousand tally rows.

On PostgreSQL one PL/pgSQL function does it, taking the two rows of a move in the order of their
keys, as every transaction then does, so that two writers never wait on each other's tallies in
turn. SQLite (one writer at a time) gets three triggers. Creating a trigger locks out writes to
the table until the migration commits; the tally is then filled from the rows already there (a
second or two at a million rows).

Mind SQLite: a later migration that remakes the big table there (an AlterField) drops its
triggers; such a migration must run this operation again (it is idempotent: it refills). The
tally's tests check the triggers are there.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def local_day_sql(moment: str, vendor: str) -> str:
    """SQL for the local day (TIME_ZONE's, as the migration runs) of a timestamp expression.
    SQLite gets a fixed offset: exact for Asia/Shanghai (UTC+8 all year), not for a zone with
    summer time."""
    if vendor == "postgresql":
        return f"({moment} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    offset = ZoneInfo(settings.TIME_ZONE).utcoffset(datetime(2000, 1, 1))
    return f"date({moment}, '{int(offset.total_seconds())} seconds')"


def row_triggers_sql(
    vendor: str, *, name: str, table: str, watched: list[str], pg_body: str, add
) -> list[str]:
    """The statements installing `name`'s triggers on `table` (idempotent): on PostgreSQL a
    PL/pgSQL function `name`() running `pg_body` (which may use `add`), fired after each inserted
    or deleted row and each update that changes one of `watched`; on SQLite three triggers, each
    adding the row as NEW (+1) and taking it as OLD (-1). `add(row, n)` is the statement adding n
    for a row (NEW or OLD)."""
    columns = ", ".join(watched)
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              {pg_body}
              RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS {name}_insert_delete ON {table}",
            f"CREATE TRIGGER {name}_insert_delete AFTER INSERT OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()",
            f"DROP TRIGGER IF EXISTS {name}_update ON {table}",
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table}"
            f" FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}()",
        ]
    changed = changed.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table}"
        f" BEGIN {add('NEW', 1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table}"
        f" BEGIN {add('OLD', -1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE OF {columns} ON {table}"
        f" WHEN {changed} BEGIN {add('OLD', -1)} {add('NEW', 1)} END",
    ]


class RowTriggers(migrations.operations.base.Operation):
    """A migration operation installing the triggers named `name` on `table` and filling what
    they keep (create_sql and fill_sql, per vendor); reversed, it drops them."""

    reversible = True
    reduces_to_sql = False
    name = table = ""

    def create_sql(self, vendor: str) -> list[str]:
        raise NotImplementedError

    def fill_sql(self, vendor: str) -> list[str]:
        raise NotImplementedError

    def drop_sql(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {self.name}_update ON {self.table}",
                f"DROP TRIGGER IF EXISTS {self.name}_insert_delete ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.name}()",
            ]
        return [f"DROP TRIGGER IF EXISTS {self.name}_{op}" for op in ("insert", "delete", "update")]

    def state_forwards(self, app_label, state):
        pass  # the triggers are not part of the models' state

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        for statement in self.create_sql(vendor) + self.fill_sql(vendor):
            schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in self.drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    @property
    def migration_name_fragment(self):
        return self.name


class CreateTally(RowTriggers):
    def __init__(
        self, *, table: str, tally: str, name: str, columns: list[str], constraint: str,
        day_of: str = "",
    ):  # fmt: skip
        """`name` names the function and triggers; `constraint`, the tally's unique constraint
        on `columns` (its model's Meta). With `day_of` (a timestamp column of the table), the
        tally's column "day" is that moment's local day (local_day_sql)."""
        self.table, self.tally, self.name, self.columns = table, tally, name, list(columns)
        self.constraint, self.day_of = constraint, day_of

    def deconstruct(self):
        kwargs = {"table": self.table, "tally": self.tally, "name": self.name}
        kwargs.update({"columns": self.columns, "constraint": self.constraint})
        if self.day_of:
            kwargs["day_of"] = self.day_of
        return self.__class__.__qualname__, [], kwargs

    def _value(self, row: str, column: str, vendor: str) -> str:
        """The value of a tally column for a row of the table (`row`: NEW, OLD or an alias)."""
        if column == "day" and self.day_of:
            return local_day_sql(f"{row}.{self.day_of}", vendor)
        return f"{row}.{column}"

    @property
    def _watched(self) -> list[str]:
        """The table's columns the key is made of."""
        return [self.day_of if c == "day" and self.day_of else c for c in self.columns]

    def _add(self, row: str, n: int, *, vendor: str) -> str:
        """The statement adding n to the tally of a row (NEW or OLD)."""
        columns = ", ".join(self.columns)
        values = ", ".join(self._value(row, c, vendor) for c in self.columns)
        conflict = f"ON CONSTRAINT {self.constraint}" if vendor == "postgresql" else f"({columns})"
        return (
            f"INSERT INTO {self.tally} ({columns}, n) VALUES ({values}, {n})"
            f" ON CONFLICT {conflict} DO UPDATE SET n = {self.tally}.n + {n};"
        )

    def _tally_key(self, row: str, vendor: str) -> str:
        """The tally row's key the row counts in: the order two moves take their locks in."""
        return "(" + ", ".join(self._value(row, c, vendor) for c in self.columns) + ")"

    def create_sql(self, vendor: str) -> list[str]:
        add = lambda row, n: self._add(row, n, vendor=vendor)  # noqa: E731
        # A move takes its two tally rows in the order of their keys, as every move then does,
        # so two moves never wait on each other's rows in turn.
        body = f"""IF TG_OP = 'UPDATE' AND {self._tally_key("OLD", vendor)}
                                    > {self._tally_key("NEW", vendor)} THEN
                {add("NEW", 1)}
                {add("OLD", -1)}
              ELSE
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {add("OLD", -1)} END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN {add("NEW", 1)} END IF;
              END IF;"""
        return row_triggers_sql(
            vendor, name=self.name, table=self.table, watched=self._watched, pg_body=body, add=add
        )

    def fill_sql(self, vendor: str) -> list[str]:
        """Empty the tally and count the rows there into it (the triggers keep it from then)."""
        columns = ", ".join(self.columns)
        values = ", ".join(self._value("t", c, vendor) for c in self.columns)
        keys = ", ".join(str(i + 1) for i in range(len(self.columns)))
        return [
            f"DELETE FROM {self.tally}",
            f"INSERT INTO {self.tally} ({columns}, n)"
            f" SELECT {values}, count(*) FROM {self.table} t GROUP BY {keys}",
        ]

    def describe(self):
        return f"Tally {self.table} ({', '.join(self.columns)}) into {self.tally}"
