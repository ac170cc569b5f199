"""The phone without network: /m/ and the forms open from the service worker's cache, a report
submitted offline waits in the outbox on the phone and is sent once when the network is back,
pinned to the version it was filled against, and a report the server refuses comes back as a
draft to fix."""

import io
import re

import pytest
from PIL import Image

from lightapps.definitions.models import LightApp
from lightapps.definitions.services import light_app_publish, light_app_save_draft
from lightapps.orgs.models import Person
from lightapps.submissions.models import Attachment, Submission
from tests.browser.conftest import off_loop, publish_demo_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "离线巡查",
    "properties": {
        "address": {"type": "string", "title": "地址", "maxLength": 100},
        "photos": {
            "type": "array",
            "title": "现场照片",
            "items": {"type": "string", "format": "uuid"},
            "maxItems": 3,
            "uniqueItems": True,
        },
    },
    "required": ["address"],
}
UI = {"ui:order": ["address", "photos"], "photos": {"ui:widget": "photos"}}
URL = "/m/apps/offline-note/"
SUBMISSIONS = re.compile(r"/api/apps/offline-note/submissions/$")


@pytest.fixture
def note_app(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return off_loop(publish_demo_app, key="offline-note", name="离线巡查", schema=SCHEMA, ui=UI)


@pytest.fixture(autouse=True)
def settled(phone):
    """At the end, wait until the browser has no request in flight: the service worker warms pages
    and sends in the background, and the live server must not be serving one of those while the
    test database is flushed (SQLite then reports the table locked)."""
    flying = set()
    context = phone.context
    context.on("request", lambda request: flying.add(request))
    context.on("requestfinished", lambda request: flying.discard(request))
    context.on("requestfailed", lambda request: flying.discard(request))
    yield
    page = context.pages[0] if context.pages else context.new_page()
    for _ in range(50):
        if not flying:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)


def _publish_with_floors_required():
    """Version 2 of the app: 楼层数 added and required."""
    app = LightApp.objects.get(key="offline-note")
    schema = {**SCHEMA, "properties": {**SCHEMA["properties"]}}
    schema["properties"]["floors"] = {"type": "integer", "title": "楼层数", "minimum": 1}
    schema["required"] = ["address", "floors"]
    ui = {**UI, "ui:order": ["address", "floors", "photos"]}
    light_app_save_draft(app=app, schema=schema, ui=ui, flow={"template": "none"})
    return light_app_publish(app=app, actor=Person.objects.get(username="jingan_designer"))


def _photo(tmp_path, name):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (150, 120, 90)).save(buffer, "JPEG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


KEPT = """async (paths) => {
  const names = (await caches.keys()).filter((n) => n.startsWith("lightapps-pages-"));
  if (names.length !== 1) return false;
  const cache = await caches.open(names[0]);
  for (const path of paths) if (!(await cache.match(location.origin + path))) return false;
  return Boolean(navigator.serviceWorker.controller);
}"""


def _visit_online(page, paths=("/m/", URL)):
    """One visit to /m/ online: the worker installs and keeps home and the person's forms."""
    _login(page, "jny_grid", "/m/")
    # evaluate awaits the check's promise (wait_for_function would take the promise as truthy)
    for _ in range(100):
        if page.evaluate(KEPT, list(paths)):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the pages were not kept for offline use")


def _rows():
    return off_loop(
        lambda: list(
            Submission.objects.order_by("received_at").values_list("data", "version__number")
        )
    )


def _state(page):
    return page.locator("#outbox-list [data-report]").first.get_attribute("data-state")


def test_home_and_a_form_open_offline_with_the_offline_banner(note_app, phone, shot):
    # given: one visit online
    _visit_online(phone)
    assert phone.locator("#offline-banner").is_hidden()

    # when: the phone loses its network and the worker opens /m/ and the form again
    phone.context.set_offline(True)
    phone.goto("/m/")

    # then: both open from the phone, saying 离线
    phone.locator("#offline-banner").wait_for()
    assert "离线" in phone.locator("#offline-banner").inner_text()
    assert phone.get_by_role("link", name=re.compile("离线巡查")).count() == 1
    shot(phone, "offline-home")
    phone.get_by_role("link", name=re.compile("离线巡查")).click()
    phone.wait_for_url(re.compile(re.escape(URL) + "$"))
    phone.locator("#m-form[data-ready='1']").wait_for()
    assert phone.locator("#offline-banner").is_visible()
    assert "第 1 版" in phone.locator(".m-hero__meta").inner_text()
    shot(phone, "offline-form")

    # and: a page never visited says it is not kept, instead of the browser's error page
    phone.goto("/m/work-orders/999999/")
    assert "没有保存在本机" in phone.locator("body").inner_text()

    # when: back online, it is the network's page again; the banner goes
    phone.context.set_offline(False)
    phone.goto("/m/")
    phone.wait_for_function("() => document.getElementById('offline-banner').hidden")


def test_a_report_sent_offline_waits_on_the_phone_and_is_sent_once_against_its_version(
    note_app, phone, shot
):
    # given: the form opened offline after one visit online
    _visit_online(phone)
    context = phone.context
    context.set_offline(True)
    phone.goto(URL)
    phone.locator("#m-form[data-ready='1']").wait_for()

    # when: the worker fills it in, submits and closes the page
    phone.fill("#f-address", "江宁路 8 号")
    phone.click("#submit-btn")
    phone.wait_for_function(
        "() => document.querySelector('#submit-status').textContent.includes('发件箱')"
    )
    shot(phone, "offline-submitted")
    phone.close()
    # meanwhile the app gets a version 2 with a new required field
    off_loop(_publish_with_floors_required)

    # then: /m/, still offline, lists it as waiting
    page = context.new_page()
    page.goto("/m/")
    # (the page tries the network now and then: "sending" for a moment, then "waiting" again)
    page.locator("#outbox-list [data-report][data-state=waiting]", has_text="等待网络").wait_for()
    assert page.locator("#outbox-list [data-report]").count() == 1
    shot(page, "offline-outbox-waiting")
    assert _rows() == []

    # when: the network comes back
    context.set_offline(False)

    # then: it is sent, once, against version 1 (the one it was filled against)
    page.wait_for_function(
        "() => document.querySelector('#outbox-list [data-report]')?.dataset.state === 'delivered'",
        timeout=20_000,
    )
    assert "已送达" in page.locator("#outbox-list").inner_text()
    # and 我的上报 holds it without a reload
    page.locator("#list-mine [data-report-id]").wait_for(state="attached")
    assert page.locator("#list-mine [data-report-id]").count() == 1
    assert page.locator("#tab-mine .m-tab__count").inner_text() == "1"
    shot(page, "offline-outbox-delivered")
    page.reload()
    page.locator("#outbox-list [data-state=delivered]").wait_for()
    assert _rows() == [({"address": "江宁路 8 号"}, 1)]

    # and: opening the form online brings version 2, which is then the one kept for offline
    page.goto(URL)
    assert "第 2 版" in page.locator(".m-hero__meta").inner_text()
    context.set_offline(True)
    page.goto(URL)
    page.locator("#m-form[data-ready='1']").wait_for()
    assert "第 2 版" in page.locator(".m-hero__meta").inner_text()
    assert page.locator("#f-floors").count() == 1


def test_a_photo_taken_offline_is_uploaded_first_and_a_refusal_comes_back_as_a_draft(
    note_app, phone, shot, tmp_path
):
    # given: the form offline; a photo taken there cannot be uploaded yet
    _visit_online(phone)
    context = phone.context
    context.set_offline(True)
    phone.goto(URL)
    phone.locator("#m-form[data-ready='1']").wait_for()
    phone.fill("#f-address", "江宁路 9 号")
    phone.set_input_files("#f-photos", str(_photo(tmp_path, "wall.jpg")))
    phone.wait_for_function(
        "() => document.querySelector('[data-field=photos] .m-photo__status')?.textContent.includes('待上传')"
    )

    # when: submitted offline, the page closed; back online, the photo is uploaded but its row
    # is gone (deleted) by the time the report arrives
    phone.click("#submit-btn")
    phone.wait_for_function(
        "() => document.querySelector('#submit-status').textContent.includes('发件箱')"
    )
    phone.close()
    posts = []

    def delete_photos_first(route):
        posts.append(route.request.post_data_json)
        off_loop(lambda: Attachment.objects.all().delete())
        route.continue_()

    context.route(SUBMISSIONS, delete_photos_first)
    page = context.new_page()
    page.goto("/m/")
    context.set_offline(False)

    # then: refused, listed with the server's reason and a way to fix it
    page.wait_for_function(
        "() => document.querySelector('#outbox-list [data-report]')?.dataset.state === 'refused'",
        timeout=20_000,
    )
    assert "被退回" in page.locator("#outbox-list").inner_text()
    assert "原因：有照片未上传成功" in page.locator("#outbox-list").inner_text()
    shot(page, "offline-outbox-refused")
    assert len(posts) == 1 and len(posts[0]["data"]["photos"]) == 1
    assert not posts[0]["data"]["photos"][0].startswith("queued:")
    assert _rows() == []
    context.unroute(SUBMISSIONS)

    # when: the worker taps 去修改
    page.click("#outbox-list .m-outbox__fix")
    page.wait_for_url(re.compile(re.escape(URL) + "$"))
    page.locator("#m-form[data-ready='1']").wait_for()

    # then: the form holds the report, with the error next to the photos
    assert page.input_value("#f-address") == "江宁路 9 号"
    photos = page.locator("[data-field=photos]")
    photos.locator(".m-error").wait_for()
    assert "照片" in photos.locator(".m-error").inner_text()
    shot(page, "offline-refused-draft")

    # when: the gone photo is removed and the report sent again
    photos.locator("[data-remove-photo]").click()
    page.click("#submit-btn")

    # then: stored once, and the outbox no longer lists it as refused
    page.wait_for_url(re.compile("/m/submitted/"), timeout=20_000)
    assert _rows() == [({"address": "江宁路 9 号"}, 1)]
    page.goto("/m/")
    page.locator("#outbox-list [data-report]").wait_for()
    assert page.locator("#outbox-list [data-state=refused]").count() == 0


def _sign_out(page):
    """退出 as the top bar does it (POST /logout/), landing on the login page."""
    page.evaluate(
        """async () => {
          const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
          await fetch("/logout/", {method: "POST", headers: {"X-CSRFToken": token}});
        }"""
    )
    page.goto("/login/")


PAGE_CACHES = (
    """async () => (await caches.keys()).filter((n) => n.startsWith("lightapps-pages-"))"""
)


def test_kept_pages_and_waiting_reports_stay_with_their_person(note_app, phone, shot):
    # given: 江宁路's first grid worker kept /m/ and has a report waiting (the server unreachable)
    _visit_online(phone)
    context = phone.context
    context.route(SUBMISSIONS, lambda route: route.abort("connectionrefused"))
    phone.goto(URL)
    phone.fill("#f-address", "江宁路 10 号")
    phone.click("#submit-btn")
    phone.wait_for_function("() => document.querySelector('#submit-status').textContent !== ''")
    phone.goto("/m/")
    phone.locator("#outbox-list [data-state=waiting]").wait_for()
    first = phone.evaluate(PAGE_CACHES)
    assert len(first) == 1

    # when: they sign out and their colleague signs in on the same phone
    _sign_out(phone)
    for _ in range(50):
        if phone.evaluate(PAGE_CACHES) == []:
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate(PAGE_CACHES) == []
    context.unroute(SUBMISSIONS)
    _login(phone, "jny_grid2", "/m/")

    # then: the colleague's /m/ shows neither the first worker's page nor their report ...
    page_caches = []
    for _ in range(50):
        page_caches = phone.evaluate(PAGE_CACHES)
        if page_caches:
            break
        phone.wait_for_timeout(100)
    assert page_caches and page_caches != first
    context.set_offline(True)
    phone.goto("/m/")
    name = off_loop(lambda: Person.objects.get(username="jny_grid2").display_name)
    assert name in phone.locator(".m-hero__title").inner_text()
    assert phone.locator("#outbox").is_hidden()
    shot(phone, "offline-other-person")
    # ... and the report is not sent under the colleague's session
    context.set_offline(False)
    phone.goto("/m/")
    phone.wait_for_timeout(1500)
    assert _rows() == []

    # when: the first worker signs in again, it is sent, as theirs
    _sign_out(phone)
    _login(phone, "jny_grid", "/m/")
    phone.locator("#outbox-list [data-state=delivered]").wait_for(timeout=20_000)
    reporters = off_loop(
        lambda: list(Submission.objects.values_list("reporter__username", flat=True))
    )
    assert reporters == ["jny_grid"]


def test_a_draft_filled_against_an_older_version_is_sent_against_that_version(
    note_app, phone, shot
):
    # given: a draft filled offline on version 1 of the form, not submitted
    _visit_online(phone)
    context = phone.context
    context.set_offline(True)
    phone.goto(URL)
    phone.locator("#m-form[data-ready='1']").wait_for()
    phone.fill("#f-address", "江宁路 11 号")
    phone.wait_for_timeout(600)  # the draft is saved 400 ms after the last change
    # meanwhile version 2 is published, with a new required field
    off_loop(_publish_with_floors_required)

    # when: back online, the worker opens the form again
    context.set_offline(False)
    phone.goto(URL)

    # then: the draft is finished on version 1's form, saying so
    phone.wait_for_url(re.compile(re.escape(URL) + r"\?version=1$"))
    phone.locator("#m-form[data-ready='1']").wait_for()
    assert "第 1 版" in phone.locator(".m-hero__meta").inner_text()
    assert phone.input_value("#f-address") == "江宁路 11 号"
    assert "按第 1 版填写的草稿，仍按此版提交" in phone.locator("#draft-bar").inner_text()
    assert phone.locator("#f-floors").count() == 0
    shot(phone, "offline-draft-older-version")

    # when: submitted
    phone.click("#submit-btn")

    # then: stored against version 1; the next report starts on version 2
    phone.wait_for_url(re.compile("/m/submitted/"), timeout=20_000)
    assert _rows() == [({"address": "江宁路 11 号"}, 1)]
    phone.goto(URL)
    phone.locator("#m-form[data-ready='1']").wait_for()
    assert "第 2 版" in phone.locator(".m-hero__meta").inner_text()


def test_with_no_phone_page_open_background_sync_sends_the_report(note_app, phone):
    # given: Background Sync allowed (as Android WeCom does); a report submitted offline
    context = phone.context
    context.grant_permissions(["background-sync"])
    _visit_online(phone)
    context.set_offline(True)
    phone.goto(URL)
    phone.locator("#m-form[data-ready='1']").wait_for()
    phone.fill("#f-address", "江宁路 12 号")
    phone.click("#submit-btn")
    phone.wait_for_function(
        "() => document.querySelector('#submit-status').textContent.includes('发件箱')"
    )
    tags = "async () => (await (await navigator.serviceWorker.ready).sync.getTags())"
    assert phone.evaluate(tags) == ["outbox"]

    # when: every phone page is closed (only a blank tab left), and the network comes back
    blank = context.new_page()
    phone.close()
    context.set_offline(False)

    # then: the service worker sends it, once
    for _ in range(40):
        if _rows():
            break
        blank.wait_for_timeout(250)
    assert _rows() == [({"address": "江宁路 12 号"}, 1)]
