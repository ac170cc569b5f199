"""The steps' days (StepDay) and the triggers that keep them, filled from the steps already
there (lightapps.workorders.step_days: how, and what to mind on SQLite)."""

import django.db.models.deletion
from django.db import migrations, models

from lightapps.workorders.step_days import CreateStepDays


class Migration(migrations.Migration):

    dependencies = [
        ('definitions', '0004_ordered_json'),
        ('orgs', '0003_drop_clear_text_tokens'),
        ('workorders', '0014_order_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='StepDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('from_state', models.CharField(blank=True, max_length=20)),
                ('handled', models.IntegerField(default=0)),
                ('handled_on_time', models.IntegerField(default=0)),
                ('reworked', models.IntegerField(default=0)),
                ('steps', models.IntegerField(default=0)),
                ('seconds', models.BigIntegerField(default=0)),
                ('app', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='definitions.lightapp')),
                ('unit', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.orgunit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'day', 'app', 'from_state'), name='workorder_step_day_key')],
            },
        ),
        CreateStepDays(),
    ]
