"""Indexes made without locking a big table: a migration operation.

On PostgreSQL `CREATE INDEX CONCURRENTLY` builds an index while the table takes reads and writes
(a plain CREATE INDEX blocks every write until it is done: minutes at a million work orders). It
cannot run inside a transaction, so a migration using it says `atomic = False`. Elsewhere
(SQLite, the embedded default) the same columns get a plain index, less PostgreSQL-only parts
(operator classes such as varchar_pattern_ops, which let a LIKE 'prefix%' use the index under
any collation, and INCLUDE columns).

The indexes are a physical matter of the database, not part of the models' state: migrations
record them, EXPLAIN-based tests (tests/workorders/test_plans.py) check that the planner uses
them. Mind SQLite: a later AlterField of such a table remakes it there without them, so a
migration that alters one (as 0009 does org_path) alters first and creates after.
"""

from django.db import migrations


class CreateIndexConcurrently(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, *, table: str, name: str, columns: str, sqlite_columns: str = "",
                 include: str = "", where: str = ""):  # fmt: skip
        self.table, self.name, self.columns = table, name, columns
        self.sqlite_columns = sqlite_columns or columns
        self.include, self.where = include, where

    def deconstruct(self):
        kwargs = {"table": self.table, "name": self.name, "columns": self.columns}
        for key in ("sqlite_columns", "include", "where"):
            if getattr(self, key) and getattr(self, key) != self.columns:
                kwargs[key] = getattr(self, key)
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass  # not part of the models' state (see the module docstring)

    def _create_sql(self, vendor: str) -> str:
        where = f" WHERE {self.where}" if self.where else ""
        if vendor == "postgresql":
            include = f" INCLUDE ({self.include})" if self.include else ""
            return (
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {self.name} "
                f"ON {self.table} ({self.columns}){include}{where}"
            )
        return (
            f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} ({self.sqlite_columns}){where}"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql" and schema_editor.connection.in_atomic_block:
            raise RuntimeError(f"{self.name}: CONCURRENTLY needs a migration with atomic = False")
        schema_editor.execute(self._create_sql(vendor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {self.name}")

    def describe(self):
        return f"Create index {self.name} on {self.table} ({self.columns})"

    @property
    def migration_name_fragment(self):
        return self.name
