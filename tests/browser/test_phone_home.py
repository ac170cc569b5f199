"""首页的列表 on a phone (375×740, WeCom): the tabs switch without the network, 待我处理 first
for a handler with orders waiting, 我的上报 first for a grid worker with none."""

import pytest
from playwright.sync_api import expect

from lightapps.demo.history import seed_demo_history
from lightapps.demo.seed import seed_demo
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_handler_switches_between_the_lists_offline(phone, shot):
    off_loop(seed_demo)
    off_loop(seed_demo_history)
    login_as(phone, "jny_handler", "/m/")
    todo, area = phone.locator("#list-todo"), phone.locator("#list-area")
    expect(todo).to_be_visible()
    expect(todo.locator("[data-order]").first).to_be_visible()
    expect(area).to_be_hidden()
    expect(phone.locator("#lists[data-ready='1']")).to_be_attached()
    shot(phone, "phone-home-todo")

    # when: offline, 本辖区 then 我的上报
    phone.context.set_offline(True)
    phone.click("#tab-area")
    expect(area).to_be_visible()
    expect(todo).to_be_hidden()
    expect(phone.locator("#tab-area")).to_have_attribute("aria-selected", "true")
    phone.click("#tab-mine")
    expect(phone.locator("#list-mine")).to_be_visible()
    expect(area).to_be_hidden()
    box = phone.locator("#tab-mine").bounding_box()
    assert box["height"] >= 44  # a thumb's target
