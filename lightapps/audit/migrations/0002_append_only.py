"""Append-only in the database itself, whoever connects.

Both: UPDATE of an entry is refused. PostgreSQL also refuses DELETE of an entry younger than 180
days (the legal minimum; the retention pass deletes only older ones). SQLite, the embedded
development default, keeps DELETE open: Django's test flush empties tables with DELETE there
(PostgreSQL's flush uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit entries are append-only';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit entries are kept at least 180 days';
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_guard ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_guard();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_entry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor)
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
