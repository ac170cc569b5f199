"""API tokens used to be DRF's authtoken rows, keys in clear text. They are now ApiToken digests
(issue new ones with `manage.py issue_token USERNAME --days N`); the old table goes, so that no
usable key is left lying in the database."""

from django.db import migrations


def drop_clear_text_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_api_token")]

    operations = [migrations.RunPython(drop_clear_text_tokens, migrations.RunPython.noop)]
