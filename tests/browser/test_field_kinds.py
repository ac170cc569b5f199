"""Every kind of field on the phone: filled in by touch as a grid worker would, submitted, and
stored as the server's schema wants it; conditions show and hide fields from the definition."""

import io
import re

import pytest
from PIL import Image

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Attachment, Submission
from tests.fixtures.field_kinds import KINDS_FLOW, KINDS_SCHEMA, KINDS_UI, VALID_ID

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path, name):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 160, 170)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _pdf(tmp_path):
    path = tmp_path / "告知书.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def kinds_app(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    app = light_app_create(
        key="kinds",
        name="字段类型演示",
        owner_unit=OrgUnit.objects.get(code="310106"),
        schema=KINDS_SCHEMA,
        ui=KINDS_UI,
        flow=KINDS_FLOW,
    )
    return light_app_publish(app=app, actor=Person.objects.get(username="jingan_designer"))


def _sign(phone):
    pad = phone.locator("#f-signature")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 30, box["y"] + 60)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(box["x"] + 30 + step * 22, box["y"] + 60 + (step % 3) * 15)
    phone.mouse.up()


def test_a_grid_worker_fills_every_kind_of_field_and_it_is_stored(kinds_app, phone, tmp_path, shot):
    # given
    _login(phone, "jny_grid", "/m/apps/kinds/")
    assert phone.locator("[data-field=intro] h2").inner_text() == "基本情况"
    assert "如实填写" in phone.locator("[data-field=tip]").inner_text()
    assert phone.locator("#f-photos").get_attribute("capture") is None  # album allowed here
    street = OrgUnit.objects.get(code="310106-01")
    grids = OrgUnit.objects.filter(parent=street, kind="grid").order_by("code")
    grid_options = phone.locator("#f-grid option").all_inner_texts()
    assert grid_options[1:] == [g.name for g in grids]
    assert grid_options[1] == "江宁路第1网格"
    assert phone.locator("#f-handler option").all_inner_texts()[1:] == ["陈建国"]

    # when: each widget is used by touch
    phone.fill("#f-name", "江宁路 100 号检查点")
    phone.fill("#f-story", "第一行\n第二行")
    phone.fill("#f-floors", "6")
    phone.fill("#f-area", "12.5")
    phone.locator("label[for='f-severity-1']").click()
    phone.select_option("#f-category", label="丙")
    assert phone.locator("[data-field=noise_db]").is_hidden()
    phone.locator("label[for='f-issues-1']").click()  # 噪声: the decibel field appears
    phone.locator("[data-field=noise_db]").wait_for(state="visible")
    phone.fill("#f-noise_db", "72.5")
    phone.locator("label[for='f-urgent']").click()
    phone.fill("#f-day", "2026-11-23")
    phone.fill("#f-clock", "09:30")
    phone.fill("#f-moment", "2026-11-23T09:30")
    phone.set_input_files("#f-photos", str(_photo(tmp_path, "a.jpg")))
    phone.wait_for_function(
        "() => document.querySelectorAll('[data-field=photos] li.m-photo:not(.weui-uploader__file_status)').length === 1"
    )
    phone.set_input_files("#f-papers", str(_pdf(tmp_path)))
    phone.locator("[data-field=papers] .m-files__item_done").wait_for()
    phone.click("#f-location")
    phone.wait_for_function(
        "() => document.querySelector('[data-field=location] [data-location-text]').textContent.includes('31.23')"
    )
    phone.fill("#f-address", "江宁路 100 号")
    phone.select_option("#f-grid", label="江宁路第1网格")
    phone.select_option("#f-handler", label="陈建国")
    phone.fill("#f-mobile", "13812345678")
    phone.fill("#f-id_number", VALID_ID.lower())
    _sign(phone)
    phone.locator("[data-field=signature] [data-save]").click()
    phone.locator("[data-field=signature] img[data-image]:not([hidden])").wait_for()
    phone.locator("label[for='f-score-3']").click()  # the fourth star
    assert phone.locator("[data-field=score] [data-rating-text]").inner_text() == "4 分（满分 5）"
    phone.fill("#f-rooms-0-room", "101")
    phone.fill("#f-rooms-0-people", "2")
    shot(phone, "kinds-1-filled")
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))

    # then
    data = Submission.objects.get().data
    grid = OrgUnit.objects.get(name="江宁路第1网格")
    photo, paper, signature = data.pop("photos"), data.pop("papers"), data.pop("signature")
    assert data == {
        "name": "江宁路 100 号检查点",
        "story": "第一行\n第二行",
        "floors": 6,
        "area": 12.5,
        "severity": "high",
        "category": "c",
        "issues": ["noise"],
        "noise_db": 72.5,
        "urgent": True,
        "day": "2026-11-23",
        "clock": "09:30:00+08:00",
        "moment": "2026-11-23T09:30:00+08:00",
        "location": data["location"],
        "address": "江宁路 100 号",
        "grid": grid.pk,
        "handler": "jny_handler",
        "mobile": "13812345678",
        "id_number": VALID_ID,
        "score": 4,
        "rooms": [{"room": "101", "people": 2}],
    }
    assert data["location"]["lat"] == pytest.approx(31.2363)
    kinds = dict(
        Attachment.objects.filter(submission__isnull=False).values_list("pk", "content_type")
    )
    assert {str(k): v for k, v in kinds.items()} == {
        photo[0]: "image/jpeg",
        paper[0]: "application/pdf",
        signature: "image/jpeg",
    }


def test_the_phone_refuses_a_bad_mobile_and_id_before_sending_and_hides_answers(
    kinds_app, phone, shot
):
    # given
    _login(phone, "jny_grid", "/m/apps/kinds/")

    # when: a wrong mobile and ID, then 噪声 chosen and unchosen after typing decibels
    phone.fill("#f-mobile", "12345")
    phone.fill("#f-id_number", "110105194912310021")
    phone.locator("label[for='f-issues-1']").click()
    phone.fill("#f-noise_db", "80")
    phone.locator("label[for='f-issues-1']").click()
    phone.click("#submit-btn")

    # then
    assert (
        phone.locator("[data-field=mobile] [data-error]").inner_text() == "“手机”应为 11 位手机号码"
    )
    assert phone.locator("[data-field=name] [data-error]").inner_text() == "请填写“名称”"
    assert phone.locator("[data-field=score] [data-error]").inner_text() == "请选择“评分”"
    assert phone.locator("[data-field=noise_db]").is_hidden()
    shot(phone, "kinds-2-errors")
    assert Submission.objects.count() == 0


def test_an_imported_rjsf_schema_renders_and_submits_on_the_phone(settings, tmp_path, phone, shot):
    # given: a designer imports an RJSF schema + uiSchema and publishes it
    from lightapps.definitions.models import LightApp
    from lightapps.definitions.services import light_app_import
    from tests.api.test_definitions_api import RJSF_SCHEMA, RJSF_UI

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    designer = Person.objects.get(username="jingan_designer")
    app, _notes = light_app_import(
        data={"schema": RJSF_SCHEMA, "uiSchema": RJSF_UI},
        owner_unit=OrgUnit.objects.get(code="310106"),
        key="manholes",
    )
    light_app_publish(app=LightApp.objects.get(pk=app.pk), actor=designer)

    # when: the grid worker fills it in
    _login(phone, "jny_grid", "/m/apps/manholes/")
    assert phone.get_attribute("#f-road", "placeholder") == "如：延安中路"
    assert phone.locator("#f-cover-0-broken").is_checked() is False  # its default
    phone.fill("#f-road", "延安中路 100 号")
    phone.fill("#f-lanes", "4")
    phone.locator("label[for='f-level-1']").click()
    phone.locator("label[for='f-cover-0-kind-1']").click()
    phone.locator("label[for='f-cover-0-broken']").click()
    phone.locator("[data-field=others] [data-add]").click()
    phone.locator("label[for='f-others-0-kind-0']").click()
    phone.fill("#f-tags", "主干道，夜间")
    shot(phone, "kinds-3-rjsf-import")
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))

    # then
    assert Submission.objects.get().data == {
        "road": "延安中路 100 号",
        "lanes": 4,
        "level": 2,
        "cover": {"kind": "sewage", "broken": True},
        "others": [{"kind": "rain", "broken": False}],
        "tags": ["主干道", "夜间"],
    }


def test_a_designer_imports_a_schema_and_sees_notes_and_the_diff_before_publishing(
    settings, tmp_path, desktop, shot
):
    # given
    import json

    from lightapps.definitions.models import LightApp
    from tests.api.test_definitions_api import RJSF_SCHEMA, RJSF_UI

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    _login(desktop, "jingan_designer", "/builder/")

    # when: the RJSF schema is pasted into the import page
    desktop.click("#import-link")
    desktop.fill("#import-key", "manholes")
    desktop.fill("#import-schema", json.dumps(RJSF_SCHEMA, ensure_ascii=False))
    desktop.fill("#import-ui", json.dumps(RJSF_UI))
    desktop.click("#import-submit")
    desktop.wait_for_url(re.compile("/builder/apps/manholes/"))
    shot(desktop, "kinds-4-builder-imported")

    # then: the notes say what the phone cannot show
    notes = desktop.locator("#import-notes").inner_text()
    assert "不支持的控件“colorPicker”，改用默认控件" in notes
    assert LightApp.objects.get(key="manholes").name == "井盖巡查"

    # when: the facade draft gets a field removed after v1, the draft page shows the diff
    facade = LightApp.objects.get(key="facade-hazard")
    schema = json.loads(json.dumps(facade.draft_schema))
    del schema["properties"]["remark"]
    ui = {n: v for n, v in facade.draft_ui.items() if n != "remark"}
    ui["ui:order"] = [n for n in facade.draft_ui["ui:order"] if n != "remark"]
    from lightapps.definitions.services import light_app_save_draft

    light_app_save_draft(app=facade, schema=schema, ui=ui, flow=facade.draft_flow)
    desktop.goto("/builder/apps/facade-hazard/versions/?v=draft")
    shot(desktop, "kinds-5-builder-diff")

    # then
    publish = desktop.locator("#publish").inner_text()
    assert "与当前的 v1 相比" in publish
    assert "删除字段“备注”" in desktop.locator("#diff-words").inner_text()
    assert desktop.locator("#publish-problems").count() == 0
