"""工单地图 in Chromium at 1440×900 on the demo district: outlines and points drawn on a blank
background, nothing requested from outside this server."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Person
from lightapps.workorders.selectors import work_orders_visible_to
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_streets_grids_and_orders_without_a_tile_server(desktop, live_server, shot):
    off_loop(seed_demo)
    off_loop(seed_demo_records)
    hosts = set()
    desktop.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
    login_as(desktop, "jny_supervisor", "/console/")

    desktop.goto("/console/map/?app=facade-hazard")
    expect(desktop.locator("#order-map[data-ready='1']")).to_be_attached()
    expect(desktop.locator(".street-label", has_text="江宁路街道")).to_be_visible()
    expect(desktop.locator("#order-map canvas").first).to_be_visible()
    expect(desktop.locator("#no-tiles")).to_be_visible()

    def expected():
        person = Person.objects.get(username="jny_supervisor")
        return (
            work_orders_visible_to(person)
            .filter(app__key="facade-hazard", submission__latitude__isnull=False)
            .count()
        )

    n = off_loop(expected)
    assert n > 0
    expect(desktop.locator("#map-count")).to_have_attribute("data-orders", str(n))
    assert desktop.locator(".leaflet-tile").count() == 0
    assert hosts <= {"localhost", "127.0.0.1"}  # no tile, font or script from anywhere else
    shot(desktop, "console-map")
