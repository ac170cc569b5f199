"""A step carries its order's scope (place's and assigned unit's paths, app), copied as the
report's are (submissions.0002), so that a unit's steps over a period are read from the step's
own index (0013) with no join. One UPDATE fills the steps already there."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = [
    "UPDATE workorders_workorderevent SET org_path = o.org_path,"
    " assignee_path = o.assignee_path, app_id = o.app_id"
    " FROM workorders_workorder o WHERE o.id = workorders_workorderevent.order_id",
]


class Migration(migrations.Migration):

    dependencies = [
        ('definitions', '0004_ordered_json'),
        ('workorders', '0011_order_closed_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='workorderevent',
            name='app',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='definitions.lightapp'),
        ),
        migrations.AddField(
            model_name='workorderevent',
            name='assignee_path',
            field=models.CharField(blank=True, default='', max_length=255),
        ),
        migrations.AddField(
            model_name='workorderevent',
            name='org_path',
            field=models.CharField(default='', max_length=255),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
    ]
