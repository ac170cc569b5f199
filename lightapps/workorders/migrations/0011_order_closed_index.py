"""结案数 over a period (figures.closed_q, the trend's closings): the closed orders by closing
time, carrying the scope's paths, state and app, so a unit's closings in a month are read from
the index alone. Only closed orders are in it."""

from django.db import migrations

from lightapps.indexes import CreateIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("workorders", "0010_order_created_index")]

    operations = [
        CreateIndexConcurrently(
            table="workorders_workorder",
            name="workorder_closed",
            columns="closed_at",
            include="org_path, assignee_path, state, app_id",
            where="closed_at IS NOT NULL",
        ),
    ]
