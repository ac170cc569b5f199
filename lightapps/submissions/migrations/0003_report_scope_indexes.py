"""The indexes report_q needs, built without blocking writes on PostgreSQL (lightapps.indexes),
as workorders.0009 and 0010 build the orders': one per way of seeing a report — its place's path,
its order's assigned unit's path (prefix-matched: varchar_pattern_ops), its reporter — each
carrying what 上报数据 filters and counts on (app, received_at, version) and the columns of the
parts before it, so that a count over the disjoint parts (report_q_parts) reads the indexes
alone; and one in the data page's order (an app's reports by received_at, id) carrying the scope,
from which a page's ids are read (lightapps.paging.page_rows)."""

import django.db.models.deletion
from django.db import migrations, models

from lightapps.indexes import CreateIndexConcurrently

COUNTED = "app_id, received_at, version_id"
REPORT_INDEXES = [
    CreateIndexConcurrently(
        table="submissions_submission",
        name="submission_scope_place",
        columns="place_path varchar_pattern_ops",
        sqlite_columns="place_path",
        include=COUNTED,
    ),
    CreateIndexConcurrently(
        table="submissions_submission",
        name="submission_scope_assignee",
        columns="assignee_path varchar_pattern_ops",
        sqlite_columns="assignee_path",
        include=f"place_path, {COUNTED}",
    ),
    CreateIndexConcurrently(
        table="submissions_submission",
        name="submission_scope_reporter",
        columns="reporter_id",
        sqlite_columns="reporter_id, app_id",
        include=f"place_path, assignee_path, {COUNTED}",
    ),
    CreateIndexConcurrently(
        table="submissions_submission",
        name="submission_listed",
        columns="app_id, received_at, id",
        include="place_path, assignee_path, reporter_id, version_id",
    ),
]


def analyze(apps, schema_editor):
    """The planner's statistics for the columns 0002 filled (a sample: seconds at a million
    rows), so that the plans take the new indexes now rather than after autovacuum's next pass."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE submissions_submission")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("submissions", "0002_report_scope_columns")]

    operations = [
        # The app's own index is submission_listed's narrower twin. First: on SQLite altering a
        # column remakes the table, which would lose the indexes below.
        migrations.AlterField(
            model_name="submission",
            name="app",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="definitions.lightapp",
            ),
        ),
        *REPORT_INDEXES,
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
