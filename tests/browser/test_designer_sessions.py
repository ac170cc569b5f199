"""表单设计 in Chromium at 1440×900: two tabs on one draft get a conflict, never a silent
overwrite; a delete is undone from its toast; the keyboard moves cards; a designer who may
only look gets a read-only page."""

import pytest
from playwright.sync_api import expect

from lightapps.definitions.models import LightApp
from lightapps.definitions.services import light_app_new
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, org_unit_create, person_upsert
from tests.browser.conftest import DESKTOP
from tests.browser.designer_helpers import designer_world, log_in, saved_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(page, live_server, person, key):
    log_in(page, person, live_server.url)
    page.goto(f"/builder/apps/{key}/")
    expect(page.locator("#designer[data-ready]")).to_be_visible()
    return int(page.locator("#designer").get_attribute("data-revision"))


def _titles(page):
    return page.locator(".canvas-list > .card-field > .card-line .card-title")


def test_two_tabs_on_one_draft_get_a_conflict_not_an_overwrite(browser, desktop, live_server,
                                                               shot):  # fmt: skip
    world = designer_world()
    key = world["app"].key
    other_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    other = other_context.new_page()
    try:
        start = _open(desktop, live_server, world["people"]["designer"], key)
        _open(other, live_server, world["people"]["designer2"], key)

        # when: the first tab adds a field and saves; the second, still on the old revision, too
        desktop.click(".palette-item[data-kind=text]")
        saved_after(desktop, start)
        other.click(".palette-item[data-kind=integer]")

        # then: the second tab is told who saved, and nothing of it was saved
        dialog = other.locator("#conflict")
        expect(dialog).to_be_visible()
        expect(other.locator("#conflict-message")).to_contain_text("草稿已被孙设计于")
        expect(other.locator("#save-status")).to_have_text("未保存：草稿已被别人修改")
        shot(other, "designer-5-conflict")
        schema = LightApp.objects.get(key=key).draft_schema
        assert list(schema["properties"]) == ["dan_xing_wen_zi"]

        # when: the second copies its work, then loads the latest
        other.click("#conflict-copy")
        expect(other.locator("#conflict-download")).to_be_visible()
        assert other.locator("#conflict-download").get_attribute("href").startswith("blob:")
        other.click("#conflict-reload")

        # then: it shows the first tab's draft and saves again from there
        expect(dialog).to_be_hidden()
        expect(_titles(other)).to_have_text(["单行文字"])
        revision = int(other.locator("#designer").get_attribute("data-revision"))
        other.click(".palette-item[data-kind=date]")
        saved_after(other, revision)
        schema = LightApp.objects.get(key=key).draft_schema
        assert list(schema["properties"]) == ["dan_xing_wen_zi", "ri_qi"]
    finally:
        other_context.close()


def test_delete_is_undone_from_its_toast_and_the_keyboard_moves_cards(desktop, live_server):
    world = designer_world()
    page = desktop
    start = _open(page, live_server, world["people"]["designer"], world["app"].key)
    page.click(".palette-item[data-kind=text]")
    expect(page.locator(".card-field.selected")).to_have_count(1)
    page.click(".palette-item[data-kind=boolean]")
    expect(_titles(page)).to_have_text(["单行文字", "是/否"])

    # when: 是/否 is deleted, then brought back from the toast
    page.locator(".card-field.selected [data-action=delete]").click()
    expect(_titles(page)).to_have_text(["单行文字"])
    expect(page.locator("#toast")).to_contain_text("已删除“是/否”")
    page.locator("[data-toast-undo]").click()
    expect(_titles(page)).to_have_text(["单行文字", "是/否"])

    # when: the second card is focused and moved up with Alt+↑, then copied with Ctrl+D
    page.locator(".canvas-list > .card-field").nth(1).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(_titles(page)).to_have_text(["是/否", "单行文字"])
    page.keyboard.press("Control+d")
    expect(_titles(page)).to_have_text(["是/否", "是/否（副本）", "单行文字"])

    # then: saved in that order
    saved_after(page, start)
    ui = LightApp.objects.get(key=world["app"].key).draft_ui
    assert ui["ui:order"] == ["shi_fou", "shi_fou_fu_ben", "dan_xing_wen_zi"]


def test_a_designer_who_may_only_look_gets_a_read_only_page(desktop, live_server, shot):
    world = designer_world()
    street = org_unit_create(
        name="石门二路街道", kind="street", code="T-SMR", parent=world["district"]
    )
    looker = person_upsert(username="smr_designer", name="石设计", wecom_userid="smr_designer")
    membership_grant(person=looker, org_unit=street, role=Role.DESIGNER)
    light_app_new(name="防汛巡查", template="flood-patrol", owner_unit=world["district"],
                  key="flood", actor=world["people"]["designer"])  # fmt: skip

    _open(desktop, live_server, looker, "flood")

    expect(desktop.locator("#read-only")).to_be_visible()
    expect(desktop.locator("#save-status")).to_have_attribute("data-state", "readonly")
    expect(desktop.locator(".palette-item").first).to_be_disabled()
    desktop.locator(".canvas-list > .card-field").first.click()
    expect(desktop.locator("#prop-title")).to_be_disabled()
    expect(desktop.locator(".card-field [data-action=delete]")).to_have_count(0)
    shot(desktop, "designer-6-read-only")


def test_a_save_without_network_is_retried_and_leaving_warns(desktop, live_server):
    world = designer_world()
    page = desktop
    start = _open(page, live_server, world["people"]["designer"], world["app"].key)
    page.click(".palette-item[data-kind=text]")
    saved_after(page, start)
    revision = int(page.locator("#designer").get_attribute("data-revision"))

    # when: the network goes while a title is typed
    page.context.set_offline(True)
    page.fill("#prop-title", "工地名称")

    # then: the bar says it failed and when it tries again; nothing is lost
    status = page.locator("#save-status")
    expect(status).to_have_text("保存失败，2 秒后重试")
    expect(page.locator("#save-retry")).to_be_visible()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.evaluate("() => window.dispatchEvent(new Event('beforeunload', {cancelable: true}))")

    # when: the network is back and 重试 is pressed
    page.context.set_offline(False)
    page.click("#save-retry")

    # then
    saved_after(page, revision)
    schema = LightApp.objects.get(key=world["app"].key).draft_schema
    assert [p["title"] for p in schema["properties"].values()] == ["工地名称"]


def test_a_key_made_from_its_title_follows_it_in_a_later_session_until_published(
    desktop, live_server
):
    world = designer_world()
    key = world["app"].key
    designer = world["people"]["designer"]
    start = _open(desktop, live_server, designer, key)
    desktop.click(".palette-item[data-kind=text]")
    expect(desktop.locator("#prop-key")).to_have_value("dan_xing_wen_zi")
    saved_after(desktop, start)

    # when: the page is opened again another day and the title is changed
    start = _open(desktop, live_server, designer, key)
    _titles(desktop).first.click()
    desktop.fill("#prop-title", "建筑名称")

    # then: the key follows the title, as it did when the field was made
    expect(desktop.locator("#prop-key")).to_have_value("jian_zhu_ming_cheng")
    saved_after(desktop, start)
    assert list(LightApp.objects.get(key=key).draft_schema["properties"]) == ["jian_zhu_ming_cheng"]

    # when: a key typed by hand, in a later session, is not taken over by the title
    desktop.fill("#prop-key", "bld_name")
    desktop.locator("#prop-key").blur()
    saved_after(desktop, start + 1)
    start = _open(desktop, live_server, designer, key)
    _titles(desktop).first.click()
    desktop.fill("#prop-title", "楼宇名称")
    desktop.wait_for_timeout(800)  # longer than the title's 350 ms wait for a key
    expect(desktop.locator("#prop-key")).to_have_value("bld_name")
