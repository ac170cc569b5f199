"""表单设计 in Chromium at 1440×900: a designer builds 小型工地检查 from a blank app by clicking
and dragging — a choice, a photo field shown only when the choice says so, a repeated group with
two fields dragged into it, a computed count of the group — reorders by drag, undoes and redoes,
sees it saved and tries it in the phone preview; then a problem shown on its field is fixed."""

import pytest
from playwright.sync_api import expect

from lightapps.definitions.models import LightApp
from lightapps.submissions.models import Submission
from tests.browser.designer_helpers import designer_world, drag, log_in, saved_after

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


def _add(page, kind, label):
    page.click(f".palette-item[data-kind={kind}]")
    expect(page.locator(".card-field.selected > .card-line .card-title")).to_have_text(label)


def _cards(page, selector=".canvas-list > .card-field"):
    return page.locator(selector).locator(":scope > .card-line .card-title")


def test_a_designer_builds_a_small_site_check_by_click_and_drag(desktop, live_server, world, shot):
    page = desktop
    errors = _open(page, live_server, world)
    key = world["app"].key
    start = int(page.locator("#designer").get_attribute("data-revision"))

    # when: 单选 is dragged from the palette onto the empty canvas and named
    drag(page, page.locator(".palette-item[data-kind=radio]"), page.locator(".canvas-list"))
    expect(_cards(page)).to_have_text(["单选"])
    page.fill("#prop-title", "是否发现问题")
    expect(page.locator("#prop-key")).to_have_value("shi_fou_fa_xian_wen_ti")
    page.check("#prop-required")
    page.click(".choice-bulk summary")
    page.fill("#choice-bulk", "yes,是\nno,否")
    page.click("#choice-bulk-apply")
    expect(page.locator(".choice-label")).to_have_count(2)

    # and: 照片, added by a click after it, is shown only when the answer is 是
    _add(page, "photos", "照片")
    page.fill("#prop-title", "问题照片")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_zhao_pian")
    visible = page.locator("[data-logic='x-visibleIf']")
    visible.locator(".logic-add").click()
    visible.locator(".logic-field").select_option(label="是否发现问题")
    visible.locator(".logic-value").select_option(label="是")
    badge = page.locator(".card-field.selected .badge-visible")
    expect(badge).to_have_text("显示条件：是否发现问题 等于 是")

    # and: a repeated group with two fields dragged into it, and a computed count of it
    _add(page, "group", "重复组")
    page.fill("#prop-title", "问题清单")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_qing_dan")
    group_list = page.locator(".group-list")
    drag(page, page.locator(".palette-item[data-kind=text]"), group_list)
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["单行文字"])
    page.fill("#prop-title", "问题描述")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_miao_shu")
    drag(
        page,
        page.locator(".palette-item[data-kind=integer]"),
        group_list.locator(".card-field").last,
        below=True,
    )
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "整数"])
    page.fill("#prop-title", "涉及人数")
    expect(page.locator("#prop-key")).to_have_value("she_ji_ren_shu")
    page.locator(".canvas-list > .card-field").nth(2).locator(".card-title").first.click()
    _add(page, "computed", "计算")
    page.fill("#prop-title", "问题数")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_shu")
    page.locator(".formula-group").select_option(label="问题清单")
    expect(page.locator(".card-field.selected .badge-compute")).to_have_text(
        "计算：问题清单 的项数"
    )
    expect(_cards(page)).to_have_text(["是否发现问题", "问题照片", "问题清单", "问题数"])

    # when: the group's second field is dragged above the first, then undone and redone
    inner = page.locator(".group-list > .card-field")
    drag(page, inner.nth(1).locator(".drag-handle"), inner.nth(0), above=True)
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["涉及人数", "问题描述"])
    page.locator("#canvas").click(position={"x": 200, "y": 600})
    page.keyboard.press("Control+z")
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])
    page.keyboard.press("Control+Shift+z")
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["涉及人数", "问题描述"])
    page.click("#undo")
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])

    # and: a field dragged out of the group onto the form, and back by 撤销
    top = page.locator(".canvas-list > .card-field")
    drag(page, inner.nth(1).locator(".drag-handle"), top.last, below=True)
    expect(_cards(page)).to_have_text(
        ["是否发现问题", "问题照片", "问题清单", "问题数", "涉及人数"]
    )
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["问题描述"])
    page.click("#undo")
    expect(_cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "涉及人数"])
    expect(_cards(page)).to_have_count(4)

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
    _add(page, "text", "单行文字")
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
