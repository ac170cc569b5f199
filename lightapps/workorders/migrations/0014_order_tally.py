"""The orders' tally (WorkOrderTally) and the triggers that keep it, filled from the orders
already there (lightapps.tallies: how, and what to mind on SQLite)."""

import django.db.models.deletion
from django.db import migrations, models

from lightapps.tallies import CreateTally

TALLY = CreateTally(
    table="workorders_workorder",
    tally="workorders_workordertally",
    name="workorders_tally",
    columns=["org_path", "assignee_path", "app_id", "state"],
    constraint="workorder_tally_key",
)


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
        TALLY,
    ]
