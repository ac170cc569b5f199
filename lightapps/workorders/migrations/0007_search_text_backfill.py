"""搜索: the answers' search text for the orders opened before it was written at 上报."""

from django.db import migrations

BATCH = 1000


def backfill(apps, schema_editor):
    from lightapps.workorders.titles import work_order_search_text

    WorkOrder = apps.get_model("workorders", "WorkOrder")
    pending = WorkOrder.objects.filter(search_text="").select_related("submission__version")
    batch = []
    for order in pending.iterator(chunk_size=BATCH):
        version = order.submission.version
        text = work_order_search_text(
            schema=version.schema, ui=version.ui, data=order.submission.data
        )
        if text:
            order.search_text = text
            batch.append(order)
        if len(batch) >= BATCH:
            WorkOrder.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        WorkOrder.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("workorders", "0006_search_text")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
