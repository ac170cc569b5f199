"""The indexes the scope needs (orgs.selectors.work_order_q), built without blocking writes on
PostgreSQL (lightapps.indexes): one per way of seeing an order — its place's path, its assigned
unit's path (both prefix-matched: varchar_pattern_ops), its reporter — each carrying what the
list's counters read (state, deadline, closing, app) and the columns of the parts before it, so
that a count over the disjoint parts (workorders.selectors.work_order_state_counts) is answered
from the indexes alone."""

from django.db import migrations, models

from lightapps.indexes import CreateIndexConcurrently

COUNTED = "state, due_at, closed_at, app_id"
SCOPE_INDEXES = [
    CreateIndexConcurrently(
        table="workorders_workorder",
        name="workorder_scope_place",
        columns="org_path varchar_pattern_ops",
        sqlite_columns="org_path",
        include=COUNTED,
    ),
    CreateIndexConcurrently(
        table="workorders_workorder",
        name="workorder_scope_assignee",
        columns="assignee_path varchar_pattern_ops",
        sqlite_columns="assignee_path",
        include=f"org_path, {COUNTED}",
    ),
    CreateIndexConcurrently(
        table="workorders_workorder",
        name="workorder_scope_reporter",
        columns="reporter_id",
        include=f"org_path, assignee_path, {COUNTED}",
    ),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workorders", "0008_order_scope_columns")]

    operations = [
        # org_path's own two indexes (db_index) are workorder_scope_place's narrower twins. First:
        # on SQLite altering a column remakes the table, which would lose the indexes below.
        migrations.AlterField(
            model_name="workorder", name="org_path", field=models.CharField(max_length=255)
        ),
        *SCOPE_INDEXES,
    ]
