"""上报数据's tally (SubmissionTally) and the triggers that keep it, filled from the reports
already there (lightapps.tallies: how, and what to mind on SQLite)."""

import django.db.models.deletion
from django.db import migrations, models

from lightapps.tallies import CreateTally

TALLY = CreateTally(
    table="submissions_submission",
    tally="submissions_submissiontally",
    name="submissions_tally",
    columns=["app_id", "version_id", "place_path", "assignee_path"],
    constraint="submission_tally_key",
)


class Migration(migrations.Migration):

    dependencies = [
        ('definitions', '0004_ordered_json'),
        ('submissions', '0003_report_scope_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubmissionTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('place_path', models.CharField(default='', max_length=255)),
                ('assignee_path', models.CharField(blank=True, default='', max_length=255)),
                ('n', models.IntegerField(default=0)),
                ('app', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='definitions.lightapp')),
                ('version', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='definitions.lightappversion')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('app', 'version', 'place_path', 'assignee_path'), name='submission_tally_key')],
            },
        ),
        TALLY,
    ]
