"""考核统计 in Chromium at 1440×900 on the demo's months of history: the score with its parts, the
trend drawn by ECharts, the ranking, and a number that opens the orders behind it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lightapps.demo.history import seed_demo_history
from lightapps.demo.seed import seed_demo
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_district_supervisor_reads_the_figures_and_opens_the_orders_behind_one(
    desktop, live_server, shot
):
    off_loop(seed_demo)
    off_loop(seed_demo_history)
    errors = []
    desktop.on("pageerror", lambda e: errors.append(str(e)))
    today = timezone.localdate()
    since = (today - timedelta(days=150)).isoformat()
    login_as(desktop, "jingan_supervisor", "/console/")

    # the nav's 考核统计, then five months by month
    desktop.click("nav >> text=考核统计")
    desktop.wait_for_url("**/console/figures/")
    desktop.fill("#figures-since", since)
    desktop.click("#figures-filters button[type=submit]")
    expect(desktop.locator("#figures-trend[data-ready='1'] svg")).to_be_attached()
    expect(desktop.locator("#figures-score .score-value")).not_to_have_text("—")
    expect(desktop.locator("[data-ranking='1'] tbody tr").first).to_be_visible()
    assert desktop.locator("#figures-trend svg path").count() > 4  # bars and lines drawn
    shot(desktop, "figures-page")

    # when: 结案数 is clicked, the list shows exactly that many orders
    closed = desktop.locator("[data-figure=closed]")
    n = int(closed.locator(".figure-value").inner_text())
    assert n > 0
    closed.click()
    desktop.wait_for_url("**/console/?*closed_since=*")
    expect(desktop.locator("[data-live-region=total]")).to_contain_text(f"共 {n} 件")
    assert errors == []
