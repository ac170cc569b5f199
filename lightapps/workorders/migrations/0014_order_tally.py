"""The orders' tally (WorkOrderTally), kept by the database: a trigger adds one to the row of an
order's (place's path, assigned unit's path, app, state) when it is inserted or moves there, and
takes one from the row it leaves or is deleted from — in the order's own statement and
transaction, so the tally is never behind, whatever writes the orders (our services, a bulk
INSERT, a backfill). Then the table is filled from the orders already there (creating the
trigger locks out writes to the orders until this migration commits: a second at a million).

On PostgreSQL one PL/pgSQL function does it, taking the two rows of a move in the order of their
keys, as every transaction then does, so two steps never wait on each other's tallies in turn.
SQLite (one writer at a time) has three triggers. Mind SQLite: a later migration that remakes
workorders_workorder there (an AlterField) drops its triggers; such a migration must create
them again (TRIGGERS below). tests/workorders/test_tally.py fails when they are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "org_path, assignee_path, app_id, state"
KEY = "(org_path, assignee_path, app_id, state)"


def _add(row: str, n: int, *, vendor: str) -> str:
    """The statement adding n to the tally of an order's row (NEW or OLD)."""
    conflict = "ON CONSTRAINT workorder_tally_key" if vendor == "postgresql" else KEY
    values = ", ".join(f"{row}.{c.strip()}" for c in COLUMNS.split(","))
    return (
        f"INSERT INTO workorders_workordertally ({COLUMNS}, n) VALUES ({values}, {n})"
        f" ON CONFLICT {conflict} DO UPDATE SET n = workorders_workordertally.n + {n};"
    )


POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION workorders_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND (OLD.org_path, OLD.assignee_path, OLD.app_id, OLD.state)
                            > (NEW.org_path, NEW.assignee_path, NEW.app_id, NEW.state) THEN
        {_add("NEW", 1, vendor="postgresql")}
        {_add("OLD", -1, vendor="postgresql")}
      ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_add("OLD", -1, vendor="postgresql")} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add("NEW", 1, vendor="postgresql")} END IF;
      END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER workorders_tally_insert_delete AFTER INSERT OR DELETE ON workorders_workorder"
    " FOR EACH ROW EXECUTE FUNCTION workorders_tally()",
    f"CREATE TRIGGER workorders_tally_update AFTER UPDATE OF {COLUMNS} ON workorders_workorder"
    " FOR EACH ROW WHEN ((OLD.org_path, OLD.assignee_path, OLD.app_id, OLD.state)"
    " IS DISTINCT FROM (NEW.org_path, NEW.assignee_path, NEW.app_id, NEW.state))"
    " EXECUTE FUNCTION workorders_tally()",
]
CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}" for c in ("org_path", "assignee_path", "app_id", "state")
)
SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS workorders_tally_insert AFTER INSERT ON workorders_workorder"
    f" BEGIN {_add('NEW', 1, vendor='sqlite')} END",
    "CREATE TRIGGER IF NOT EXISTS workorders_tally_delete AFTER DELETE ON workorders_workorder"
    f" BEGIN {_add('OLD', -1, vendor='sqlite')} END",
    f"CREATE TRIGGER IF NOT EXISTS workorders_tally_update AFTER UPDATE OF {COLUMNS}"
    f" ON workorders_workorder WHEN {CHANGED}"
    f" BEGIN {_add('OLD', -1, vendor='sqlite')} {_add('NEW', 1, vendor='sqlite')} END",
]
TRIGGERS = {"postgresql": POSTGRESQL, "sqlite": SQLITE}
BACKFILL = (
    f"INSERT INTO workorders_workordertally ({COLUMNS}, n)"
    f" SELECT {COLUMNS}, count(*) FROM workorders_workorder GROUP BY {COLUMNS}"
)
DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS workorders_tally_update ON workorders_workorder",
        "DROP TRIGGER IF EXISTS workorders_tally_insert_delete ON workorders_workorder",
        "DROP FUNCTION IF EXISTS workorders_tally()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS workorders_tally_{op}" for op in ("insert", "delete", "update")
    ],
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in TRIGGERS[vendor]:
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM workorders_workordertally")
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("definitions", "0004_ordered_json"),
        ("workorders", "0013_event_scope_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkOrderTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("org_path", models.CharField(max_length=255)),
                ("assignee_path", models.CharField(blank=True, default="", max_length=255)),
                ("state", models.CharField(max_length=20)),
                ("n", models.IntegerField(default=0)),
                (
                    "app",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="definitions.lightapp",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org_path", "assignee_path", "app", "state"),
                        name="workorder_tally_key",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
