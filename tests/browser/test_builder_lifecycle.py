"""The builder's list, flow and versions tabs in Chromium at 1440×900: a new app from a
template, its flow set from lists, a second tab's stale save shown as a conflict, publish with a
note, an unchanged publish refused, roll back."""

import pytest
from playwright.sync_api import expect

from lightapps.definitions.models import LightApp
from lightapps.demo.seed import seed_demo
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    off_loop(seed_demo)


def test_a_designer_starts_from_a_template_sets_the_flow_publishes_and_rolls_back(
    demo, desktop, browser, live_server, shot
):
    page = desktop
    login_as(page, "jingan_designer", "/builder/")

    # 新建应用 from the 小型工地检查 template; an empty name is refused in the dialog first
    page.click("#new-app")
    page.click("#new-app-create")
    expect(page.locator("[data-error-for=name]")).to_have_text("请填写应用名称")
    page.fill("#new-app-name", "工地检查（试点）")
    page.locator("label.template-card", has_text="小型工地检查").click()
    page.click("#new-app-create")
    page.wait_for_url("**/builder/apps/gong-di-jian-cha-shi-dian/")
    key = "gong-di-jian-cha-shi-dian"

    # 流程设置: route by the 工程类型 answer, 外立面改造 to 房管局; 处置 within 2 calendar hours
    page.goto(f"/builder/apps/{key}/flow/")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    page.click("#add-rule")
    page.select_option("#rule-1-by", "subject")
    page.select_option("#rule-1-field", "site_type")
    page.select_option("#rule-1-map-facade", label="　房管局")
    page.select_option("#limit-dispatched-unit", "hour")
    page.fill("#limit-dispatched-amount", "2")
    page.locator("#limit-dispatched-amount").blur()
    expect(page.locator("#save-status")).to_contain_text("已保存 · 第")
    expect(page.locator("[data-pointer='/flow/routing/1/map']")).to_be_hidden()
    shot(page, "builder-flow-tab")

    def saved_flow():
        return off_loop(lambda: LightApp.objects.get(key=key).draft_flow)

    flow = saved_flow()
    assert flow["routing"][1] == {
        "by": "subject",
        "field": "site_type",
        "map": {"facade": "310106-D-FGJ"},
    }
    assert flow["time_limits"]["dispatched"] == {"amount": 2, "unit": "hour"}

    # a second tab still holds the old revision: its save is refused and said so
    other = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    second = other.new_page()
    login_as(second, "jingan_designer", f"/builder/apps/{key}/flow/")
    expect(second.locator("#save-status")).to_contain_text("已保存")
    page.select_option("#priority", "urgent")
    expect(page.locator("#save-status")).to_contain_text("已保存 · 第")
    second.fill("#dup-days", "3")
    second.locator("#dup-days").blur()
    expect(second.locator("#flow-conflict")).to_be_visible()
    expect(second.locator("#flow-conflict-text")).to_contain_text("林思远")
    shot(second, "builder-flow-conflict")
    assert saved_flow()["duplicates"]["days"] == 7
    assert saved_flow()["priority"] == "urgent"
    second.click("#flow-reload")
    expect(second.locator("#priority")).to_have_value("urgent")
    other.close()

    # 发布与版本: publish v1 with a note
    page.click("#tab-versions")
    page.goto(f"/builder/apps/{key}/versions/?v=draft")
    page.fill("#publish-note", "试点首版")
    page.click("#publish-button")
    page.wait_for_url("**?v=1&published=1")
    expect(page.locator("[data-version='1'] .version-note")).to_have_text("试点首版")

    # nothing changed since: the page says so and offers no publish
    page.goto(f"/builder/apps/{key}/versions/?v=draft")
    expect(page.locator("#publish-unchanged")).to_be_visible()
    expect(page.locator("#publish-button")).to_be_disabled()

    # change the flow again, publish v2, then roll back to v1 and publish it as v3
    page.goto(f"/builder/apps/{key}/flow/")
    expect(page.locator("#save-status")).to_contain_text("已保存")
    page.select_option("#priority", "normal")
    expect(page.locator("#save-status")).to_contain_text("已保存 · 第")
    page.goto(f"/builder/apps/{key}/versions/?v=draft")
    expect(page.locator("#diff-words")).to_contain_text("流程设置有修改")
    page.click("#publish-button")
    page.wait_for_url("**?v=2&published=1")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-rollback='1']")
    page.wait_for_url("**?v=draft")
    expect(page.locator("#diff-words")).to_contain_text("流程设置有修改")
    page.fill("#publish-note", "回到试点首版")
    page.click("#publish-button")
    page.wait_for_url("**?v=3&published=1")
    shot(page, "builder-versions-tab")
    app = off_loop(lambda: LightApp.objects.get(key=key))
    v1, v3 = off_loop(lambda: [app.versions.get(number=n).flow for n in (1, 3)])
    assert v3 == v1

    # back on the list: the new app is published, with its reports (none yet)
    page.goto("/builder/?q=试点")
    row = page.locator(f"tr[data-app='{key}']")
    expect(row.locator(".app-status")).to_have_text("已发布")
    shot(page, "builder-app-list")
