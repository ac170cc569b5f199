"""Who may see a report, on the report: its work order's place and assigned unit's paths (the
reporter's unit's path for a report without an order), copied as the order's own are
(workorders.0008), so that scoping a report needs no join. Two UPDATEs fill the reports already
there: those with an order from it, the others from the reporter's unit."""

from django.db import migrations, models

BACKFILL = [
    "UPDATE submissions_submission SET place_path = o.org_path, assignee_path = o.assignee_path"
    " FROM workorders_workorder o WHERE o.submission_id = submissions_submission.id",
    "UPDATE submissions_submission SET place_path = u.path FROM orgs_orgunit u"
    " WHERE u.id = submissions_submission.org_unit_id AND submissions_submission.place_path = ''",
]


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("workorders", "0011_order_closed_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="place_path",
            field=models.CharField(default="", max_length=255),
        ),
        migrations.AddField(
            model_name="submission",
            name="assignee_path",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
    ]
