"""A unit's steps over a period that is not whole days (figures.steps_under) from one index per way
of seeing them, built without blocking writes on PostgreSQL (lightapps.indexes): by the place's
path, by the assigned unit's path, each then by time and carrying what the figures count. The
figures ask for the unit's paths exactly (`= ANY`), so each path's steps of the period are one
range of the index, whatever the size of the table."""

from django.db import migrations

from lightapps.indexes import CreateIndexConcurrently

COUNTED = "app_id, action, from_state, actor_id, step_seconds, due_at"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workorders", "0012_event_scope_columns")]

    operations = [
        CreateIndexConcurrently(
            table="workorders_workorderevent",
            name="event_scope_place",
            columns="org_path varchar_pattern_ops, created_at",
            sqlite_columns="org_path, created_at",
            include=f"assignee_path, {COUNTED}",
        ),
        CreateIndexConcurrently(
            table="workorders_workorderevent",
            name="event_scope_assignee",
            columns="assignee_path varchar_pattern_ops, created_at",
            sqlite_columns="assignee_path, created_at",
            include=f"org_path, {COUNTED}",
        ),
        migrations.RunSQL(
            "ANALYZE workorders_workorderevent", migrations.RunSQL.noop, elidable=True
        ),
    ]
