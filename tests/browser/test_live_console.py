"""实时 across processes: two web processes on one Redis channel layer. A supervisor's console
is open on the ASGI process (uvicorn: pages and /ws/console/); the street's dispatcher works on
the other (gunicorn); what the dispatcher does, and a new report, show on the supervisor's open
page without a reload. Needs PostgreSQL and Redis (CI's browser lane)."""

import os
import time
import uuid

import pytest
import requests
from playwright.sync_api import expect

from lightapps.definitions.models import LightAppVersion
from lightapps.demo.samples import sample_data, sample_placeholders
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Person
from lightapps.orgs.tokens import token_issue
from lightapps.submissions.services import attachment_create
from lightapps.workorders.models import WorkOrder
from tests.browser.conftest import DESKTOP, off_loop
from tests.conftest import jpeg_bytes
from tests.fixtures.processes import Processes, process_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (
            os.environ.get("DATABASE_URL", "").startswith("postgres")
            and os.environ.get("REDIS_URL")
        ),
        reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): two processes share them",
    ),
]


@pytest.fixture
def two_webs(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(seed_demo)
    processes = Processes(
        process_env(
            REDIS_URL=os.environ["REDIS_URL"],
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            API_THROTTLE_RATE="100000/min",
        ),  # fmt: skip
        tmp_path,
    )
    # Side effects in the process that takes the step, as a worker would: onto the Redis layer.
    web = processes.gunicorn(env={"CELERY_TASK_ALWAYS_EAGER": "1"})
    asgi = processes.uvicorn()
    yield web, asgi
    processes.stop()


def _open(browser, base_url, username, path):
    context = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/login/?next={path}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(f"**{path}")
    return page


def _report_through(web):
    """The facade sample reported by 江宁路's grid worker through the API of `web`."""
    reporter = Person.objects.get(username="jny_grid")
    version = LightAppVersion.objects.filter(app__key="facade-hazard").order_by("-number").first()
    photos = []
    for _ in sample_placeholders("facade-hazard"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg")
        photos.append(str(attachment_create(uploader=reporter, upload=upload).pk))
    _row, key = token_issue(person=reporter, days=1)
    body = {"id": str(uuid.uuid4()), "version": version.number,
            "data": sample_data("facade-hazard", photos)}  # fmt: skip
    response = requests.post(f"{web}/api/apps/facade-hazard/submissions/", json=body,
                             headers={"Authorization": f"Token {key}"}, timeout=30)  # fmt: skip
    assert response.status_code == 201, response.text
    return WorkOrder.objects.get(pk=response.json()["work_order"]["id"])


def test_a_report_and_a_step_through_one_process_show_on_a_console_open_on_the_other(
    browser, two_webs, shot
):
    web, asgi = two_webs
    # given: the street's supervisor has the list open on the ASGI process, connected
    supervisor = _open(browser, asgi, "jny_supervisor", "/console/")
    expect(supervisor.locator("#live")).to_have_attribute("data-state", "live")

    # when: a report arrives through the other process's API
    order = off_loop(_report_through, web)
    reported_at = time.monotonic()

    # then: it appears at the top of the open list, highlighted
    first = supervisor.locator("tbody[data-live-region=rows] tr").first
    expect(first).to_have_attribute("data-order", str(order.pk), timeout=5000)
    print(f"report seen on the other process after {time.monotonic() - reported_at:.2f} s")
    expect(first).to_have_class("live-new")
    row = supervisor.locator(f"tr[data-order='{order.pk}']")
    expect(row.locator(".col-state")).to_have_text("待立案")

    # when: the dispatcher files it on the other process
    dispatcher = _open(browser, web, "jny_dispatcher", f"/console/work-orders/{order.pk}/")
    dispatcher.locator("form.action-form[data-action=file] button[type=submit]").click()
    dispatcher.locator(".flash-success").wait_for()
    filed_at = time.monotonic()

    # then: the supervisor's row says so, without a reload
    expect(row.locator(".col-state")).to_have_text("待派遣", timeout=5000)
    print(f"step seen on the other process after {time.monotonic() - filed_at:.2f} s")
    expect(row).to_have_class("live-new")
    shot(supervisor, "console-live-list")
    dispatcher.context.close()
    supervisor.context.close()
