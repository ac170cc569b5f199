"""批量办理 and 我的筛选 in Chromium at 1440×900 on the demo district, as 江宁路's dispatcher:
keep a filter, open it from its chip, tick the waiting reports, 批量立案 after a confirmation, and
see what was done (and what was left, with its reason) on the same list."""

import pytest
from playwright.sync_api import expect

from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Person
from lightapps.workorders.selectors import work_orders_visible_to
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _waiting():
    person = Person.objects.get(username="jny_dispatcher")
    return list(
        work_orders_visible_to(person).filter(state="reported").values_list("number", flat=True)
    )


def test_a_dispatcher_keeps_a_filter_and_files_the_waiting_reports_at_once(desktop, shot):
    off_loop(seed_demo)
    off_loop(seed_demo_records)
    waiting = off_loop(_waiting)
    assert len(waiting) >= 2
    login_as(desktop, "jny_dispatcher", "/console/")

    # 我的筛选: the list of reports waiting for 立案, kept under a name, opened from its chip
    desktop.goto("/console/?state=reported&sort=created")
    desktop.fill("#saved-filter-name", "待立案（最早的在前）")
    desktop.click(".saved-filter-new button")
    expect(desktop.locator(".flash-success")).to_have_text("已保存筛选“待立案（最早的在前）”")
    desktop.goto("/console/")
    desktop.click(".saved-filter a:text('待立案（最早的在前）')")
    expect(desktop.locator(".saved-filter.current")).to_have_count(1)
    expect(desktop.locator("select[name=state]")).to_have_value("reported")

    # 批量立案: nothing ticked, nothing to send; all of the page ticked from the header
    expect(desktop.locator("#bulk-submit")).to_be_disabled()
    expect(desktop.locator("#bulk-unit-label")).to_be_hidden()
    desktop.check("#bulk-all")
    expect(desktop.locator("#bulk-count")).to_have_text(f"已选 {len(waiting)} 件")
    shot(desktop, "console-bulk-ticked")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    desktop.once("dialog", answer)
    desktop.click("#bulk-submit")

    expect(desktop.locator(".flash").first).to_contain_text("已批量立案")
    assert asked and f"已选的 {len(waiting)} 件工单“批量立案”" in asked[0]
    done = desktop.locator(".flash-success").text_content() or ""
    left = off_loop(_waiting)
    assert done == f"已批量立案 {len(waiting) - len(left)} 件"
    for number in left:  # a report left as it is is named, with its reason
        expect(desktop.locator(".flash-warning")).to_contain_text(number)
    expect(desktop.locator("select[name=state]")).to_have_value("reported")  # the same list
    expect(desktop.locator("tbody tr[data-order]")).to_have_count(len(left))
    shot(desktop, "console-bulk-done")

    # 派遣 shows the unit chooser
    desktop.goto("/console/?state=filed")
    desktop.select_option("#bulk-action", "dispatch")
    expect(desktop.locator("#bulk-unit-label")).to_be_visible()
