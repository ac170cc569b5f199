import json

from django.db import models


class OrderedJSONField(models.JSONField):
    """A JSONField stored as plain text, so an object's keys keep the order they were written in.

    PostgreSQL's ``jsonb`` (what ``models.JSONField`` uses there) sorts an object's keys by length
    and then bytes. A form's fields are the keys of ``properties``, in the order the worker sees
    them, and an exported definition should come back as it was imported; on ``jsonb`` both came
    back shuffled. SQLite kept the order, so only a PostgreSQL deployment showed it. Nothing
    queries inside these documents, so giving up jsonb's operators costs nothing. Everything else
    (forms, DRF serializers, dumpdata) still sees a JSONField.
    """

    def db_type(self, connection):
        return "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)
