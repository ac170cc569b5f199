"""A new supervisor on the demo's history, in Chromium at 1440×900: open the 超期 orders from the
header, see only overdue ones (as many as it says), open one and take a step back with a note —
挂起 on an overdue order, 退回返工 on one waiting for 核查 — and see the timeline grow."""

import pytest
from playwright.sync_api import expect

from lightapps.demo.history import seed_demo_history
from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Person
from lightapps.workorders.selectors import work_order_list
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _overdue_count():
    person = Person.objects.get(username="jny_supervisor")
    return work_order_list(person=person, due="overdue").count()


def _step_back(desktop, action: str, note: str) -> None:
    before = desktop.locator("[data-live-region=timeline] > li").count()
    form = desktop.locator(f"form.action-form[data-action={action}]")
    form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    expect(desktop.locator(".flash-success")).to_be_visible()
    items = desktop.locator("[data-live-region=timeline] > li")
    expect(items).to_have_count(before + 1)
    expect(items.last).to_contain_text(note)


def test_filter_to_overdue_open_one_and_send_it_back_with_a_note(desktop, shot):
    off_loop(seed_demo)
    off_loop(seed_demo_records)
    off_loop(seed_demo_history)
    overdue = off_loop(_overdue_count)
    assert overdue > 0
    login_as(desktop, "jny_supervisor", "/console/")

    desktop.click("a.overdue")  # 超期 N 件 in the header
    expect(desktop.locator("select[name=due]")).to_have_value("overdue")
    rows = desktop.locator("tbody tr[data-order]")
    expect(rows).to_have_count(overdue)
    expect(desktop.locator("tbody tr[data-order]:not(.is-overdue)")).to_have_count(0)
    shot(desktop, "console-overdue")

    dispatched = desktop.locator("tbody tr[data-order]", has_text="待处置").first
    dispatched.locator("td.col-number a").click()
    expect(desktop.locator("#order-state")).to_have_attribute("data-state", "dispatched")
    _step_back(desktop, "suspend", "业主出差，约定下周一入户")
    expect(desktop.locator("#order-state")).to_have_attribute("data-state", "suspended")

    desktop.goto("/console/?state=handled")
    desktop.locator("tbody tr[data-order] td.col-number a").first.click()
    _step_back(desktop, "rework", "照片未体现修复后的墙面，请补拍")
    expect(desktop.locator("#order-state")).to_have_attribute("data-state", "dispatched")
    shot(desktop, "console-sent-back")
