from django.db import migrations, models


class Migration(migrations.Migration):
    """The outbox mark on every step. Steps already stored had their side effects run by the
    after-commit hook of their time: they join with the mark cleared (a default of False on the
    column, instant on PostgreSQL 11+), and only steps written from now on start pending."""

    dependencies = [
        ("workorders", "0003_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="workorderevent",
            name="effects_pending",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="workorderevent",
            name="effects_pending",
            field=models.BooleanField(default=True),
        ),
        migrations.AddIndex(
            model_name="workorderevent",
            index=models.Index(
                condition=models.Q(("effects_pending", True)),
                fields=["created_at"],
                name="event_effects_pending",
            ),
        ),
    ]
