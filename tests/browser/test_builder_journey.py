"""The whole builder, as a new designer meets it, at 1440×900, then the phone at 375×740:
小型工地检查 made from a blank app by drag and drop (a choice, a photo field shown only when the
choice says so, a repeated group with a computed count), a routing rule by that answer, the
preview filled, a publish error fixed on its field, published, changed and published again,
rolled back, and submitted by a grid worker. No JSON is typed and no page is reloaded by hand."""

import re

import pytest
from playwright.sync_api import expect

from lightapps.definitions.models import LightApp
from lightapps.submissions.models import Submission
from lightapps.workorders.models import WorkOrder
from tests.browser.conftest import off_loop
from tests.browser.designer_helpers import (
    add_field,
    build_small_site,
    designer_world,
    log_in,
    saved_after,
)
from tests.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "xiao-xing-gong-di-jian-cha"


def _saved(page):
    """The flow tab's save state after an edit: saved as a new revision."""
    expect(page.locator("#save-status")).to_contain_text("已保存 · 第")


def test_a_new_designer_builds_publishes_rolls_back_and_a_grid_worker_submits(
    desktop, phone, live_server, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = off_loop(designer_world, with_app=False)
    street_code = world["street"].code
    page = desktop
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 新建应用: a blank app named 小型工地检查; its key comes from the name
    log_in(page, world["people"]["designer"], live_server.url)
    page.goto("/builder/")
    page.click("#new-app")
    page.fill("#new-app-name", "小型工地检查")
    page.click("#new-app-create")
    page.wait_for_url(f"**/builder/apps/{KEY}/")
    expect(page.locator("#designer[data-ready]")).to_be_visible()
    start = int(page.locator("#designer").get_attribute("data-revision"))

    # 表单设计: built by drag and click, plus a permit number with a typed pattern the phone's
    # JavaScript accepts but the server's engine refuses (lookahead)
    build_small_site(page)
    add_field(page, "text", "单行文字")
    page.fill("#prop-title", "施工许可证编号")
    page.select_option("#prop-pattern", "custom")
    page.fill("#prop-pattern-custom", "^(?=.*[0-9]).{8,20}$")
    saved_after(page, start)
    expect(page.locator("#problems-toggle")).to_have_text("问题 1")

    # the preview beside the canvas: 是 shows the photo field; filled and checked, not stored
    frame = page.frame_locator("#preview")
    expect(frame.locator("[data-field=wen_ti_miao_shu]")).to_be_visible()
    expect(frame.locator("[data-field=wen_ti_zhao_pian]")).to_be_hidden()
    frame.locator("[data-field=shi_fou_fa_xian_wen_ti] label", has_text="是").click()
    expect(frame.locator("[data-field=wen_ti_zhao_pian]")).to_be_visible()
    shot(page, "journey-1-designed")

    # 流程设置: the closed loop, a work order only when 是, routed by that answer to the street
    page.click("#tab-flow")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    page.locator("#flow-template input[value=closed_loop]").check()
    _saved(page)
    page.locator("#flow-open input[name=open]").nth(1).check()
    expect(page.locator("#open-field")).to_have_value("shi_fou_fa_xian_wen_ti")
    _saved(page)
    page.click("#add-rule")
    rule = page.locator("[id^=rule-][id$=-by]").last.get_attribute("id").split("-")[1]
    page.select_option(f"#rule-{rule}-by", "subject")
    page.select_option(f"#rule-{rule}-field", "shi_fou_fa_xian_wen_ti")
    page.select_option(f"#rule-{rule}-map-yes", street_code)
    _saved(page)
    shot(page, "journey-2-flow")

    # 发布与版本: the problem is listed, publishing is off; its link selects the field
    page.click("#tab-versions")
    problems = page.locator("#publish-problems")
    expect(problems).to_contain_text("格式规则“^(?=.*[0-9]).{8,20}$”无法使用")
    expect(page.locator("#publish-button")).to_be_disabled()
    shot(page, "journey-3-problem")
    problems.locator("a").first.click()
    page.wait_for_url(f"**/builder/apps/{KEY}/?field=shi_gong_xu_ke_zheng_bian_hao")
    expect(page.locator("#designer[data-ready]")).to_be_visible()
    selected = page.locator(".card-field.selected.has-problems")
    expect(selected.locator(".card-title").first).to_have_text("施工许可证编号")
    start = int(page.locator("#designer").get_attribute("data-revision"))
    page.fill("#prop-pattern-custom", "^[A-Z0-9]{8,20}$")
    saved_after(page, start)
    expect(page.locator("#problems-toggle")).to_have_text("没有问题，可以发布")

    # publish v1 with a note: history says who and what
    page.click("#tab-versions")
    expect(page.locator("#publish-problems")).to_have_count(0)
    page.fill("#publish-note", "试点首版")
    page.click("#publish-button")
    page.wait_for_url("**?v=1&published=1")
    v1 = page.locator("[data-version='1']")
    expect(v1.locator(".version-note")).to_have_text("试点首版")
    expect(v1).to_contain_text("孙设计")

    # a rename published as v2 …
    page.click("#tab-design")
    expect(page.locator("#designer[data-ready]")).to_be_visible()
    start = int(page.locator("#designer").get_attribute("data-revision"))
    page.locator(".card-field[data-path=wen_ti_zhao_pian] .card-title").first.click()
    page.fill("#prop-title", "现场照片")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_zhao_pian")  # frozen once published
    saved_after(page, start)
    page.click("#tab-versions")
    expect(page.locator("#diff-words")).to_contain_text("现场照片")
    page.fill("#publish-note", "改照片标题")
    page.click("#publish-button")
    page.wait_for_url("**?v=2&published=1")

    # … rolled back: v1 is the draft again, published as v3
    page.once("dialog", lambda d: d.accept())
    page.click("[data-rollback='1']")
    page.wait_for_url("**?v=draft")
    expect(page.locator("#diff-words")).to_contain_text("问题照片")
    page.fill("#publish-note", "回到试点首版")
    page.click("#publish-button")
    page.wait_for_url("**?v=3&published=1")
    expect(page.locator("[data-version]:not([data-version=draft])")).to_have_count(3)
    shot(page, "journey-4-history")
    app = off_loop(lambda: LightApp.objects.get(key=KEY))
    v1_schema, v3_schema = off_loop(lambda: [app.versions.get(number=n).schema for n in (1, 3)])
    assert v3_schema == v1_schema
    assert errors == []

    # the grid worker's phone: the app is on /m/, v3 is what it shows
    photo = tmp_path / "site.jpg"
    photo.write_bytes(jpeg_bytes())
    log_in(phone, world["people"]["grid"], live_server.url)
    phone.goto("/m/")
    phone.locator("a", has_text="小型工地检查").first.click()
    phone.wait_for_url(f"**/m/apps/{KEY}/")
    expect(phone.locator(".m-hero__meta")).to_contain_text("第 3 版")
    expect(phone.locator("[data-field=wen_ti_zhao_pian]")).to_be_hidden()
    phone.locator("[data-field=shi_fou_fa_xian_wen_ti] label", has_text="是").click()
    expect(phone.locator("[data-field=wen_ti_zhao_pian]")).to_contain_text("问题照片")
    phone.set_input_files("#f-wen_ti_zhao_pian", str(photo))
    phone.fill("#f-wen_ti_qing_dan-0-wen_ti_miao_shu", "围挡破损")
    phone.locator("[data-field=wen_ti_qing_dan] [data-add]").click()
    phone.fill("#f-wen_ti_qing_dan-1-wen_ti_miao_shu", "材料堆放占道")
    phone.fill("#f-wen_ti_qing_dan-1-she_ji_ren_shu", "3")
    expect(phone.locator("#f-wen_ti_shu")).to_have_value("2")
    phone.fill("#f-shi_gong_xu_ke_zheng_bian_hao", "JA2026A0815")
    shot(phone, "journey-5-phone-filled")
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))
    shot(phone, "journey-6-phone-submitted")

    # then: stored against v3 with the computed count, and a work order at the street
    submission = off_loop(lambda: Submission.objects.select_related("version").get())
    assert submission.version.number == 3
    assert submission.data["wen_ti_shu"] == 2
    assert submission.data["shi_fou_fa_xian_wen_ti"] == "yes"
    order = off_loop(lambda: WorkOrder.objects.select_related("assignee_unit").get())
    assert order.assignee_unit.code == street_code
