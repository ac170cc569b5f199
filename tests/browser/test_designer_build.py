"""表单设计 in Chromium at 1440×900: a designer builds 小型工地检查 from a blank app by clicking
and dragging — a choice, a photo field shown only when the choice says so, a repeated group with
two fields dragged into it, a computed count of the group — reorders by drag, undoes and redoes,
sees it saved and tries it in the phone preview; then a problem shown on its field is fixed."""

import pytest
from playwright.sync_api import expect

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.models import LightApp
from lightapps.submissions.models import Submission
from tests.browser.designer_helpers import (
    add_field,
    build_small_site,
    cards,
    designer_world,
    drag,
    log_in,
    saved_after,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return designer_world()


def _open(page, live_server, world, who="designer"):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, world["people"][who], live_server.url)
    page.goto(f"/builder/apps/{world['app'].key}/")
    expect(page.locator("#designer[data-ready]")).to_be_visible()
    return errors


def test_a_designer_builds_a_small_site_check_by_click_and_drag(desktop, live_server, world, shot):
    page = desktop
    errors = _open(page, live_server, world)
    key = world["app"].key
    start = int(page.locator("#designer").get_attribute("data-revision"))

    # when: the form is built by dragging and clicking (see build_small_site)
    build_small_site(page)

    # when: the group's second field is dragged above the first, then undone and redone
    inner = page.locator(".group-list > .card-field")
    drag(page, inner.nth(1).locator(".drag-handle"), inner.nth(0), above=True)
    expect(cards(page, ".group-list > .card-field")).to_have_text(["涉及人数", "问题描述"])
    page.locator("#canvas").click(position={"x": 200, "y": 600})
    page.keyboard.press("Control+z")
    expect(cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])
    page.keyboard.press("Control+Shift+z")
    expect(cards(page, ".group-list > .card-field")).to_have_text(["涉及人数", "问题描述"])
    page.click("#undo")
    expect(cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])

    # and: a field dragged out of the group onto the form, and back by 撤销
    top = page.locator(".canvas-list > .card-field")
    drag(page, inner.nth(1).locator(".drag-handle"), top.last, below=True)
    expect(cards(page)).to_have_text(["是否发现问题", "问题照片", "问题清单", "问题数", "涉及人数"])
    expect(cards(page, ".group-list > .card-field")).to_have_text(["问题描述"])
    page.click("#undo")
    expect(cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])
    expect(cards(page)).to_have_count(4)

    # then: saved, the definition is clean JSON Schema + ui, and the preview shows it
    revision = saved_after(page, start)
    expect(page.locator("#save-status")).to_have_text("已保存")
    app = LightApp.objects.get(key=key)
    assert app.draft_revision == revision
    schema, ui = app.draft_schema, app.draft_ui
    assert ui["ui:order"] == [
        "shi_fou_fa_xian_wen_ti",
        "wen_ti_zhao_pian",
        "wen_ti_qing_dan",
        "wen_ti_shu",
    ]
    assert schema["properties"]["shi_fou_fa_xian_wen_ti"] == {
        "type": "string", "title": "是否发现问题", "enum": ["yes", "no"], "enumNames": ["是", "否"],
    }  # fmt: skip
    assert schema["required"] == ["shi_fou_fa_xian_wen_ti"]
    assert schema["properties"]["wen_ti_zhao_pian"]["x-visibleIf"] == {
        "==": [{"var": "shi_fou_fa_xian_wen_ti"}, "yes"]
    }
    group = schema["properties"]["wen_ti_qing_dan"]
    assert list(group["items"]["properties"]) == ["wen_ti_miao_shu", "she_ji_ren_shu"]
    assert ui["wen_ti_qing_dan"]["items"]["ui:order"] == ["wen_ti_miao_shu", "she_ji_ren_shu"]
    assert schema["properties"]["wen_ti_shu"]["x-compute"] == {"count": {"var": "wen_ti_qing_dan"}}
    assert schema["properties"]["wen_ti_shu"]["type"] == "integer"
    shot(page, "designer-1-built")

    frame = page.frame_locator("#preview")
    expect(frame.locator(".m-preview-tag")).to_have_text("预览")
    expect(frame.locator(f"text=草稿第 {revision} 稿")).to_be_visible()
    expect(frame.locator("[data-field=wen_ti_miao_shu]")).to_be_visible()

    # when: the preview is submitted empty, then filled
    frame.locator("#submit-btn").click()
    expect(frame.locator("#submit-status")).to_contain_text("预览：有")
    expect(frame.locator("[data-field=shi_fou_fa_xian_wen_ti]")).to_contain_text(
        "请选择“是否发现问题”"
    )
    frame.locator("[data-field=shi_fou_fa_xian_wen_ti] label", has_text="否").click()
    frame.locator("[data-field=wen_ti_miao_shu] input").fill("围挡破损")
    frame.locator("#submit-btn").click()

    # then: checked on the server against the draft, and nothing stored
    expect(frame.locator("#submit-status")).to_have_text("预览：校验通过，未保存")
    shot(page, "designer-2-preview-filled")
    assert Submission.objects.count() == 0
    assert errors == []


def test_a_problem_is_shown_on_its_field_and_fixed(desktop, live_server, world, shot):
    page = desktop
    errors = _open(page, live_server, world)
    start = int(page.locator("#designer").get_attribute("data-revision"))

    # when: a text field gets a typed pattern JavaScript compiles but the server refuses
    add_field(page, "text", "单行文字")
    page.fill("#prop-title", "施工许可证编号")
    page.select_option("#prop-pattern", "custom")
    page.fill("#prop-pattern-custom", "^(?=.*[0-9]).{18}$")
    saved_after(page, start)

    # then: the card is marked, the bar counts it, and the list selects the field
    card = page.locator(".card-field.has-problems")
    expect(card).to_have_count(1)
    expect(card.locator(".problem-count")).to_have_text("1 处问题")
    expect(page.locator("#problems-toggle")).to_have_text("问题 1")
    shot(page, "designer-3-problem")
    page.locator("#canvas").click(position={"x": 200, "y": 600})
    expect(page.locator(".card-field.selected")).to_have_count(0)
    page.click("#problems-toggle")
    page.locator(".problem-link").click()
    expect(page.locator(".card-field.selected.has-problems")).to_have_count(1)

    # when: the pattern is picked from the list instead
    page.select_option("#prop-pattern", "mobile")

    # then
    expect(page.locator(".card-field.has-problems")).to_have_count(0)
    expect(page.locator("#problems-toggle")).to_have_text("没有问题，可以发布")
    assert (
        LightApp.objects.get(key=world["app"].key).draft_schema["properties"][
            "shi_gong_xu_ke_zheng_bian_hao"
        ]["pattern"]
        == "^1[3-9][0-9]{9}$"
    )
    assert errors == []


def test_a_photo_field_can_ask_for_a_watermark(desktop, live_server, world):
    page = desktop
    errors = _open(page, live_server, world)
    start = int(page.locator("#designer").get_attribute("data-revision"))

    # when: a photo field is added and 照片加水印 ticked
    add_field(page, "photos", "照片")
    page.get_by_label("照片加水印（拍摄时间和位置）").check()
    saved_after(page, start)

    # then: the draft asks the phone for it, and the phone's field says so
    app = LightApp.objects.get(key=world["app"].key)
    (name,) = [
        k for k, v in app.draft_ui.items() if isinstance(v, dict) and v.get("ui:widget") == "photos"
    ]
    assert app.draft_ui[name]["ui:options"]["watermark"] is True
    (field,) = [f for f in fields_of(app.draft_schema, app.draft_ui) if f["name"] == name]
    assert field["watermark"] is True
    assert errors == []
