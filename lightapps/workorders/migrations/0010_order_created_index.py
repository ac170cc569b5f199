"""A list page's ids from one index, at any depth (lightapps.paging): the orders by creation
(then id, as SORTS end), carrying what the scope reads, so that skipping to page 100 walks the
index alone. It replaces created_at's own narrower index (db_index), which the planner would
otherwise take and then read every row it skips."""

import importlib

from django.db import migrations, models

from lightapps.indexes import CreateIndexConcurrently

scope = importlib.import_module("lightapps.workorders.migrations.0009_order_scope_indexes")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workorders", "0009_order_scope_indexes")]

    operations = [
        migrations.AlterField(
            model_name="workorder",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        # SQLite remade the table for the AlterField, without 0009's indexes: again (on
        # PostgreSQL, where they are still there, IF NOT EXISTS makes these nothing).
        *scope.SCOPE_INDEXES,
        CreateIndexConcurrently(
            table="workorders_workorder",
            name="workorder_created",
            columns="created_at, id",
            include="org_path, assignee_path, reporter_id, state, app_id",
        ),
    ]
