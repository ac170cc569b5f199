"""应用设计: importing, exporting, and the version diff shown before publishing."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from lightapps.audit.models import AuditEntry
from lightapps.definitions.models import LightApp
from lightapps.definitions.services import light_app_save_draft
from tests.api.test_definitions_api import RJSF_SCHEMA, RJSF_UI


def test_the_draft_page_shows_what_publishing_would_change(app_version, people, client):
    # given: the draft drops a choice and adds a field
    app = app_version.app
    schema = json.loads(json.dumps(app.draft_schema))
    schema["properties"]["remark"] = {"type": "string", "title": "备注"}
    hazards = schema["allOf"][0]["then"]["properties"]["hazards"]["items"]["properties"]
    hazards["kind"]["enum"] = ["tile", "window"]
    hazards["kind"]["enumNames"] = ["外墙脱落", "窗户松动"]
    light_app_save_draft(app=app, schema=schema, ui=app.draft_ui, flow=app.draft_flow)
    client.force_login(people["designer"])

    # when
    page = client.get("/builder/apps/facade-test/versions/?v=draft").content.decode()
    version_page = client.get("/builder/apps/facade-test/versions/?v=1").content.decode()

    # then
    assert "发布草稿（与当前的 v1 相比）" in page
    assert "新增字段“备注”" in page
    assert "的选项：删除 空调外机" in page
    assert 'id="version-diff"' not in version_page  # v1 has nothing before it


def test_export_downloads_the_definition_and_hides_other_apps(app_version, people, client):
    # given
    client.force_login(people["designer"])

    # when
    response = client.get("/builder/apps/facade-test/export/?v=1")
    missing = client.get("/builder/apps/facade-test/export/?v=9")

    # then
    assert response["Content-Disposition"] == 'attachment; filename="facade-test-v1.json"'
    body = json.loads(response.content)
    assert body["format"] == "lightapps.app/1"
    assert body["schema"] == app_version.schema
    assert missing.status_code == 404


def test_importing_an_rjsf_schema_lists_what_cannot_be_shown(app_version, people, client):
    # given
    client.force_login(people["designer"])

    # when
    response = client.post(
        "/builder/import/",
        {
            "key": "manholes",
            "name": "",
            "schema": json.dumps(RJSF_SCHEMA),
            "ui_schema": json.dumps(RJSF_UI),
        },
    )
    page = client.get(response["Location"]).content.decode()
    again = client.get(response["Location"]).content.decode()

    # then
    assert response.status_code == 302
    assert response["Location"] == "/builder/apps/manholes/versions/?v=draft"
    app = LightApp.objects.get(key="manholes")
    assert app.name == "井盖巡查"
    assert app.owner_unit == people["designer"].memberships.get().org_unit
    assert "不支持的控件“colorPicker”，改用默认控件" in page
    assert 'id="import-notes"' not in again  # shown once, right after importing


def test_an_uploaded_export_file_imports_and_a_broken_one_is_refused(app_version, people, client):
    # given
    client.force_login(people["designer"])
    exported = client.get("/builder/apps/facade-test/export/?v=1").content

    # when
    ok = client.post(
        "/builder/import/",
        {"key": "facade-2", "file": SimpleUploadedFile("facade.json", exported)},
    )
    broken = client.post("/builder/import/", {"key": "facade-3", "schema": "{not json"})

    # then
    assert ok.status_code == 302
    assert LightApp.objects.get(key="facade-2").draft_schema == app_version.schema
    assert broken.status_code == 400
    assert "不是有效的 JSON" in broken.content.decode()
    assert not LightApp.objects.filter(key="facade-3").exists()
    # the audit log names the designer and the import; the refused one left nothing
    created = AuditEntry.objects.get(action="app.create", actor_id=people["designer"].pk)
    assert created.details == {"key": "facade-2", "source": "import"}


def test_import_is_for_designers_only(app_version, people, client):
    # given
    client.force_login(people["supervisor"])

    # when
    response = client.post("/builder/import/", {"key": "x-1", "schema": json.dumps(RJSF_SCHEMA)})

    # then
    assert response.status_code == 403
    assert not LightApp.objects.filter(key="x-1").exists()
