"""Whether a report opened a work order, on the report (Submission.has_work_order), with a
partial index of the located reports without one, newest first, carrying what the scope and the
map read: the console's map finds its reports without an order as one range of it.

The column is added by plain SQL (a constant default: instant on PostgreSQL 11+), so that
SQLite adds it in place rather than remaking the table, which would drop the table's raw
indexes (0003) and the tallies' triggers (0004, 0005). One UPDATE fills the reports with an
order; the index is built without blocking writes on PostgreSQL (lightapps.indexes)."""

from django.db import migrations, models

from lightapps.indexes import CreateIndexConcurrently

ADD = (
    "ALTER TABLE submissions_submission"
    " ADD COLUMN has_work_order boolean NOT NULL DEFAULT false"
)
BACKFILL = (
    "UPDATE submissions_submission SET has_work_order = true WHERE id IN"
    " (SELECT submission_id FROM workorders_workorder)"
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("submissions", "0005_report_days"),
        ("workorders", "0015_step_days"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    ADD,
                    "ALTER TABLE submissions_submission DROP COLUMN has_work_order",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="submission",
                    name="has_work_order",
                    field=models.BooleanField(default=False),
                )
            ],
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
        CreateIndexConcurrently(
            table="submissions_submission",
            name="submission_unordered_located",
            columns="received_at",
            include="place_path, assignee_path, reporter_id, app_id, latitude, longitude",
            where="NOT has_work_order AND latitude IS NOT NULL",
        ),
    ]
