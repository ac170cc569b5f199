"""On a cheap phone, with a thumb: what a grid worker or a handler touches is big enough to hit,
visible, and does not throw answers away without asking."""

import io
import re

import pytest
from PIL import Image

from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.workorders.models import WorkOrder
from lightapps.workorders.services import work_order_transition
from tests.browser.conftest import off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THUMB = 44  # px: the smallest target a thumb hits reliably


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _size(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box["width"], box["height"]


def test_a_repeated_item_asks_before_it_is_deleted_and_the_targets_fit_a_thumb(
    phone, tmp_path, settings, shot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(seed_demo)
    _login(phone, "jny_grid", "/m/apps/facade-hazard/")
    phone.locator("label[for='f-hazard_found']").click()
    phone.locator("[data-field=hazards]").wait_for(state="visible")
    phone.click("[data-field=hazards] [data-add]")
    phone.fill("#f-hazards-1-description", "二楼窗框松动")
    items = phone.locator("[data-field=hazards] [data-item]")
    assert items.count() == 2

    # the delete button and a photo's × are thumb-sized
    width, height = _size(phone, "[data-field=hazards] [data-item]:nth-child(2) [data-remove]")
    assert width >= THUMB and height >= THUMB
    photo = tmp_path / "p.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 120, 90)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    phone.set_input_files("#f-overall_photos", str(photo))
    phone.locator("[data-field=overall_photos] .m-photo__del").wait_for()
    width, height = _size(phone, "[data-field=overall_photos] .m-photo__del")
    assert width >= THUMB and height >= THUMB
    shot(phone, "phone-targets")

    # when the worker taps 删除 by mistake and says no, the item and its answer stay
    questions = []
    phone.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    phone.locator("[data-field=hazards] [data-item]").nth(1).locator("[data-remove]").click()
    assert items.count() == 2 and phone.input_value("#f-hazards-1-description") == "二楼窗框松动"
    assert "删除" in questions[0] and "隐患" in questions[0]

    # when they mean it, it goes
    phone.once("dialog", lambda d: d.accept())
    phone.locator("[data-field=hazards] [data-item]").nth(1).locator("[data-remove]").click()
    assert items.count() == 1

    # when a photo's × is hit by mistake: it goes at once, and 撤销 brings it back in its place
    field = phone.locator("[data-field=overall_photos]")
    second = Image.new("RGB", (800, 600), (20, 120, 200))
    buffer = io.BytesIO()
    second.save(buffer, "JPEG")
    (tmp_path / "q.jpg").write_bytes(buffer.getvalue())
    phone.set_input_files("#f-overall_photos", str(tmp_path / "q.jpg"))
    field.locator(".m-photo:nth-child(2):not(.weui-uploader__file_status)").wait_for()
    keys = field.locator(".m-photo").evaluate_all("els => els.map(e => e.dataset.key)")
    field.locator(".m-photo").first.locator(".m-photo__del").click()
    assert field.locator(".m-photo").count() == 1
    undo = field.locator(".m-undo")
    assert undo.is_visible() and "已删除 1 张照片" in undo.inner_text()
    width, height = _size(phone, "[data-field=overall_photos] .m-undo__btn")
    assert width >= THUMB and height >= THUMB
    shot(phone, "phone-photo-undo")
    undo.locator("button").click()
    assert field.locator(".m-photo").evaluate_all("els => els.map(e => e.dataset.key)") == keys
    assert not undo.is_visible()
    assert field.locator("[data-count]").inner_text() == "2"

    # when not undone, it is gone for good once the offer lapses
    field.locator(".m-photo").first.locator(".m-photo__del").click()
    undo.wait_for(state="hidden", timeout=10_000)
    assert field.locator(".m-photo").count() == 1
    assert field.locator("[data-count]").inner_text() == "1"


def test_the_extension_unit_can_be_seen_and_chosen(phone, tmp_path, settings, shot):
    # given an order of 江宁路 dispatched to the street's handler
    settings.MEDIA_ROOT = tmp_path / "media"

    def dispatched():
        seed_demo()
        seed_demo_records()
        order = WorkOrder.objects.filter(assignee_unit__name="江宁路街道").order_by("pk").first()
        dispatcher = Person.objects.get(username="jny_dispatcher")
        order = work_order_transition(order=order, action="file", actor=dispatcher)
        street = OrgUnit.objects.get(name="江宁路街道")
        work_order_transition(order=order, action="dispatch", actor=dispatcher, target_unit=street)
        return order.pk

    pk = off_loop(dispatched)
    _login(phone, "jny_handler", f"/m/work-orders/{pk}/")

    # then: the unit selector shows its text at a readable size, and a tap can choose hours
    select = phone.locator("select[name=extension_unit]")
    select.scroll_into_view_if_needed()
    size = select.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 15
    width, height = _size(phone, "select[name=extension_unit]")
    assert width >= THUMB and height >= THUMB
    select.select_option(label="工作小时")
    assert select.input_value() != "workday"
    shot(phone, "phone-extension-unit")


# Every control a thumb may hit, with its size; an input inside a tappable cell (label.weui-cell,
# a select cell) counts through its cell, a radio or checkbox through its label, and a field's
# label through its control.
SMALL_TARGETS = """() => {
  const out = [];
  const controls = 'a[href], button, select, input:not([type=hidden]), textarea, label[for], summary';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.matches('input[type=radio], input[type=checkbox], label.weui-label')) continue;
    if (el.matches('.weui-cell input, .weui-cell select') && el.closest('label.weui-cell, .weui-cell_select')) continue;
    if (el.matches('textarea') && r.height >= 44) continue;
    if (r.height < 44 || r.width < 44) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.width)}x${Math.round(r.height)} ${(el.innerText || el.id || '').trim().slice(0, 12)}`);
    }
  }
  return out;
}"""


def test_every_target_on_the_phone_pages_fits_a_thumb(phone, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"

    def world():
        seed_demo()
        seed_demo_records()
        dispatcher = Person.objects.get(username="jny_dispatcher")
        order = WorkOrder.objects.filter(assignee_unit__name="江宁路街道").order_by("pk").first()
        order = work_order_transition(order=order, action="file", actor=dispatcher)
        street = OrgUnit.objects.get(name="江宁路街道")
        work_order_transition(order=order, action="dispatch", actor=dispatcher, target_unit=street)
        return order.pk

    pk = off_loop(world)
    small = {}

    # the grid worker's home (with 我的上报), both forms with their hidden parts shown
    _login(phone, "jny_grid", "/m/")
    phone.click("#tab-mine")
    small["/m/ 我的上报"] = phone.evaluate(SMALL_TARGETS)
    for url in ("/m/apps/facade-hazard/", "/m/apps/small-site/"):
        phone.goto(url)
        phone.locator("#m-form[data-ready='1']").wait_for()
        if phone.locator("label[for='f-hazard_found']").count():
            phone.locator("label[for='f-hazard_found']").click()
        small[url] = phone.evaluate(SMALL_TARGETS)

    # the handler's order page, with its step inputs (note, extension, photos)
    phone.context.clear_cookies()
    _login(phone, "jny_handler", f"/m/work-orders/{pk}/")
    small["order"] = phone.evaluate(SMALL_TARGETS)

    assert {page: found for page, found in small.items() if found} == {}
