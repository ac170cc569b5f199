"""Who may see an order, on the order: its assigned unit's path and its reporter, copied (as
org_path is) so that scoping needs no join. One UPDATE each fills the orders already there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BACKFILL = [
    "UPDATE workorders_workorder SET reporter_id = s.reporter_id FROM submissions_submission s"
    " WHERE s.id = workorders_workorder.submission_id AND workorders_workorder.reporter_id IS NULL",
    "UPDATE workorders_workorder SET assignee_path = u.path FROM orgs_orgunit u"
    " WHERE u.id = workorders_workorder.assignee_unit_id",
]


class Migration(migrations.Migration):

    dependencies = [
        ('workorders', '0007_search_text_backfill'),
        ('submissions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='workorder',
            name='assignee_path',
            field=models.CharField(blank=True, default='', max_length=255),
        ),
        migrations.AddField(
            model_name='workorder',
            name='reporter',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
    ]
