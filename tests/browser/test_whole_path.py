"""The whole path as people walk it: a grid worker reports on a phone, the street closes it."""

import io
import re

import pytest
from PIL import Image

from lightapps.demo.seed import seed_demo
from lightapps.submissions.models import Attachment, Submission
from lightapps.workorders.models import WorkOrder, WorkOrderEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path, name, color):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _wait_uploaded(page, field):
    done = f"[data-field={field}] li.m-photo:not(.weui-uploader__file_status)"
    page.wait_for_function(f"() => document.querySelectorAll('{done}').length === 1")


def _act(desktop, action, note=""):
    form = desktop.locator(f"form.action-form[data-action={action}]")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    desktop.locator(".flash-success").wait_for()


def test_grid_worker_reports_a_facade_hazard_and_the_street_closes_it(
    phone, desktop, tmp_path, settings, shot
):
    # given: the demo district, with its three published light apps
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()

    # when: 江宁路's grid worker opens the facade check on the phone and fills it in
    # standing in 江宁路第1网格 (the demo grids tile the district; routing goes by this point)
    phone.context.set_geolocation({"latitude": 31.2471, "longitude": 121.4342, "accuracy": 15})
    _login(phone, "jny_grid", "/m/")
    phone.get_by_role("link", name=re.compile("房屋外墙高坠隐患排查")).click()
    phone.wait_for_url(re.compile("/m/apps/facade-hazard/$"))
    phone.fill("#f-address", "江宁路 495 号")
    phone.select_option("#f-building_type", label="老旧住宅（售后公房）")
    phone.fill("#f-floors", "7")
    phone.fill("#f-inspected_on", "2026-11-23")
    phone.click("#f-location")
    phone.wait_for_function(
        "() => document.querySelector('[data-field=location] [data-location-text]').textContent.includes('31.24')"
    )
    phone.set_input_files("#f-overall_photos", str(_photo(tmp_path, "front.jpg", (180, 170, 160))))
    _wait_uploaded(phone, "overall_photos")
    phone.locator("label[for='f-hazard_found']").click()
    phone.locator("[data-field=hazards]").wait_for(state="visible")
    # 窗户松动 is routed by place (外墙饰面脱落 would go to 房管局 by subject: test_flows_routing)
    phone.select_option("#f-hazards-0-kind", label="窗户松动")
    phone.locator("label[for='f-hazards-0-severity-1']").click()
    phone.fill("#f-hazards-0-floor", "6")
    phone.fill("#f-hazards-0-description", "六楼外墙面砖空鼓，局部已脱落，下方为人行道")
    phone.set_input_files("#f-hazards-0-photos", str(_photo(tmp_path, "tile.jpg", (120, 60, 40))))
    _wait_uploaded(phone, "photos")
    phone.locator("label[for='f-endangers_passage']").click()
    shot(phone, "1-phone-form-filled")
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))
    shot(phone, "2-phone-submitted")

    # then: one submission with both photos bound, one work order for the street
    submission = Submission.objects.get()
    assert submission.reporter.username == "jny_grid"
    hazard = submission.data["hazards"][0]
    assert (hazard["floor"], hazard["description"][:2]) == (6, "六楼")
    assert submission.data["location"]["lat"] == pytest.approx(31.2471)
    assert Attachment.objects.filter(submission=submission).count() == 2
    order = WorkOrder.objects.get()
    assert order.assignee_unit.name == "江宁路街道"
    assert order.number in phone.content()

    # when: the street's people take it through the loop in the console
    _login(desktop, "jny_dispatcher", "/console/")
    desktop.get_by_role("link", name=order.number).click()
    shot(desktop, "3-console-detail")
    _act(desktop, "file")
    _act(desktop, "dispatch")
    desktop.context.clear_cookies()
    _login(desktop, "jny_handler", f"/console/work-orders/{order.pk}/")
    _act(desktop, "handle", "已拉设警戒线，脱落面砖已清理，物业已修复")
    desktop.context.clear_cookies()
    _login(desktop, "jny_supervisor", f"/console/work-orders/{order.pk}/")
    _act(desktop, "rework", "照片未体现修复后的墙面，请补充")
    # the handler goes back on the phone, takes a photo of the repaired wall and sends it
    phone.context.clear_cookies()
    _login(phone, "jny_handler", f"/m/work-orders/{order.pk}/")
    phone.fill("#note", "已补充修复后照片")
    phone.set_input_files("#act-photos-input", str(_photo(tmp_path, "fixed.jpg", (90, 140, 90))))
    phone.wait_for_function(
        "() => document.querySelectorAll('#act-photos li.m-photo:not(.weui-uploader__file_status)').length === 1"
    )
    shot(phone, "5-phone-handle-with-photo")
    phone.click("button[value=handle]")
    phone.locator(".m-timeline__photos img").first.wait_for()
    fixed = WorkOrderEvent.objects.filter(order=order, action="handle").latest("id")
    assert len(fixed.data["photos"]) == 1
    desktop.context.clear_cookies()
    _login(desktop, "jny_supervisor", f"/console/work-orders/{order.pk}/")
    # the supervisor sees the photo on the step before verifying
    photo_url = f"/attachments/{fixed.data['photos'][0]}/"
    assert desktop.locator(f".tl-photos img[src='{photo_url}']").count() == 1
    assert desktop.evaluate(f"fetch('{photo_url}').then(r => r.status)") == 200
    _act(desktop, "verify")
    _act(desktop, "close")
    shot(desktop, "4-console-closed")

    # then: closed, with one event per step
    order.refresh_from_db()
    assert order.state == "closed"
    assert list(WorkOrderEvent.objects.filter(order=order).values_list("action", flat=True)) == [
        "report", "file", "dispatch", "handle", "rework", "handle", "verify", "close",
    ]  # fmt: skip
    assert "已结案" in desktop.content()

    # and the next street's supervisor cannot see it at all
    desktop.context.clear_cookies()
    _login(desktop, "smr_supervisor", "/console/")
    assert order.number not in desktop.content()
    response = desktop.goto(f"/console/work-orders/{order.pk}/")
    assert response.status == 404
