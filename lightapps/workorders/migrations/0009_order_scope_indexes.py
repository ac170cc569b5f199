"""The indexes the scope needs (orgs.selectors.work_order_q), built without blocking writes on
PostgreSQL (lightapps.indexes): a prefix index on the assigned unit's path, as org_path has, and
one on the reporter."""

from django.db import migrations

from lightapps.indexes import CreateIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workorders", "0008_order_scope_columns")]

    operations = [
        CreateIndexConcurrently(
            table="workorders_workorder",
            name="workorder_assignee_path",
            columns="assignee_path varchar_pattern_ops",
            sqlite_columns="assignee_path",
        ),
        CreateIndexConcurrently(
            table="workorders_workorder", name="workorder_reporter", columns="reporter_id"
        ),
    ]
