"""Flows in the browser: a fallen facing goes to 房管局, a duplicate is merged, overdue escalates."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from lightapps.definitions.models import LightAppVersion
from lightapps.demo.samples import sample_data, sample_placeholders
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.services import attachment_create
from lightapps.workorders.escalation import work_orders_escalate
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.opening import report_submit
from tests.browser.conftest import off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username, next_url):
    page.context.clear_cookies()
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(f"**{next_url}")


def _report(reporter, *, lat, lng):
    """The demo facade sample (a fallen facing) reported at a point, as the phone would."""
    version = LightAppVersion.objects.filter(app__key="facade-hazard").order_by("-number").first()
    photos = []
    for _ in sample_placeholders("facade-hazard"):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (150, 90, 60)).save(buffer, "JPEG")
        upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg")
        photos.append(attachment_create(uploader=reporter, upload=upload).pk)
    data = sample_data("facade-hazard", photos)
    data["location"] = {"lat": lat, "lng": lng, "accuracy": 8.0}
    submission, _ = report_submit(
        submission_id=uuid.uuid4(), version=version, reporter=reporter, data=data
    )
    return submission.work_order


def _act(page, action, note=""):
    form = page.locator(f"form.action-form[data-action={action}]").first
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.locator(".flash-success").wait_for()


def test_a_fallen_facing_goes_to_the_housing_bureau_and_a_duplicate_is_merged(
    phone, desktop, tmp_path, settings, shot
):
    # given: two reports of the same facade, 30 m apart, inside 江宁路第1网格
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    reporter = Person.objects.get(username="jny_grid")
    first = off_loop(_report, reporter, lat=31.2471, lng=121.4342)
    second = off_loop(_report, Person.objects.get(username="jny_grid2"), lat=31.24737, lng=121.4342)
    fgj = OrgUnit.objects.get(code="310106-D-FGJ")
    assert first.org_unit.name == "江宁路第1网格"
    assert first.assignee_unit == fgj == second.assignee_unit

    # when: the street's dispatcher opens the second one: it is a duplicate of the first
    _login(desktop, "jny_dispatcher", f"/console/work-orders/{second.pk}/")
    panel = desktop.locator("#duplicates")
    assert first.number in panel.inner_text()
    assert "相距 30 米" in panel.inner_text()
    shot(desktop, "flows-1-duplicate-candidates")
    _act(desktop, "merge")

    # then: merged, with a step on both orders
    second.refresh_from_db()
    assert (second.state, second.merged_into_id) == ("merged", first.pk)
    assert WorkOrderEvent.objects.filter(order=first, action="merged_in").count() == 1

    # when: the first is filed and dispatched to 房管局 (the routed unit is preselected)
    desktop.goto(f"/console/work-orders/{first.pk}/")
    _act(desktop, "file")
    selected = desktop.locator("form[data-action=dispatch] select[name=target_unit] option:checked")
    assert selected.inner_text().startswith("房管局")
    shot(desktop, "flows-2-dispatch-to-bureau")
    _act(desktop, "dispatch")
    first.refresh_from_db()
    assert first.due_at is not None
    assert "按工作时计" in desktop.locator("#time-left").inner_text()

    # the colleague who reported the duplicate sees on the phone where it went
    _login(phone, "jny_grid2", f"/m/work-orders/{second.pk}/")
    assert first.number in phone.locator("#merged-notice").inner_text()
    shot(phone, "flows-3-phone-merged")

    # when: the deadline passes and the escalation pass runs (twice)
    WorkOrder.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(hours=3))
    off_loop(work_orders_escalate)
    off_loop(work_orders_escalate)

    # then: marked once; the console shows it late and escalated to the district
    assert WorkOrderEvent.objects.filter(order=first, action="escalate").count() == 1
    _login(desktop, "jingan_supervisor", f"/console/work-orders/{first.pk}/")
    assert "超时" in desktop.locator("#time-left").inner_text()
    assert "超时已升级至静安区" in desktop.content()
    shot(desktop, "flows-4-escalated")

    # and 房管局's handler handles it from the phone
    _login(phone, "fgj_handler", f"/m/work-orders/{first.pk}/")
    phone.fill("#note", "已拆除松动饰面，设置围挡")
    phone.get_by_role("button", name="处置完成").click()
    phone.wait_for_url(f"**/m/work-orders/{first.pk}/")
    first.refresh_from_db()
    assert first.state == "handled"
    shot(phone, "flows-5-phone-handled")
