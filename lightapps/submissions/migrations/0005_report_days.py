"""The reports' days (ReportDay) and the triggers that keep them, filled from the reports already
there (lightapps.tallies: how, and what to mind on SQLite)."""

import django.db.models.deletion
from django.db import migrations, models

from lightapps.tallies import CreateTally

TALLY = CreateTally(
    table="submissions_submission",
    tally="submissions_reportday",
    name="submissions_report_days",
    columns=["day", "app_id", "place_path"],
    constraint="submission_report_day_key",
    day_of="received_at",
)


class Migration(migrations.Migration):

    dependencies = [
        ('definitions', '0004_ordered_json'),
        ('submissions', '0004_report_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('place_path', models.CharField(default='', max_length=255)),
                ('n', models.IntegerField(default=0)),
                ('app', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='definitions.lightapp')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'app', 'place_path'), name='submission_report_day_key')],
            },
        ),
        TALLY,
    ]
