"""Inside WeCom: a light-app link logs the worker in through OAuth, and the dispatcher is told."""

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image

from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.orgs.selectors import ancestor_of_kind
from lightapps.wecom.fake import FakeWeCom
from lightapps.workorders.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fake_wecom():
    fake = FakeWeCom().start()
    yield fake
    fake.stop()


@pytest.fixture
def wecom_demo(fake_wecom, settings):
    """The demo district, WeCom configured against the fake, the demo people its contacts."""
    for key, value in fake_wecom.settings().items():
        setattr(settings, key, value)
    cache.clear()
    seed_demo()
    for person in Person.objects.exclude(wecom_userid=None):
        fake_wecom.add_user(person.wecom_userid, person.display_name, [1])
    return fake_wecom


def _photo(tmp_path, name, color):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_light_app_link_opened_in_wecom_logs_in_and_the_dispatcher_gets_one_message(
    phone, live_server, wecom_demo, fake_wecom, settings, tmp_path, shot, eager_tasks
):
    # given (tasks in-process, also in the Redis lane where no worker runs): the demo district, WeCom configured against the fake, 江宁路's grid worker on the phone
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    fake_wecom.current_user = "jny_grid"

    # when: the app's link is opened from the WeCom workbench
    phone.goto("/m/apps/facade-hazard/")
    # (the browser keeps the authorize URL's #wechat_redirect across the redirects, as WeCom does)
    phone.wait_for_url(re.compile("/m/apps/facade-hazard/(#wechat_redirect)?$"))

    # then: logged in through the fake's authorize page, with no login page in between
    assert [r.path for r in fake_wecom.requests][:4] == [
        "connect/oauth2/authorize",
        "gettoken",
        "auth/getuserinfo",
        "user/get",
    ]
    assert phone.locator('meta[name="wecom-config"]').count() == 1
    shot(phone, "wecom-1-form-after-oauth")

    # when: the worker fills the form in and submits
    phone.fill("#f-address", "江宁路 495 号")
    phone.select_option("#f-building_type", label="老旧住宅（售后公房）")
    phone.fill("#f-floors", "7")
    phone.fill("#f-inspected_on", "2026-11-23")
    phone.click("#f-location")
    phone.wait_for_function(
        "() => document.querySelector('[data-field=location] [data-location-text]').textContent.includes('31.23')"
    )
    phone.set_input_files("#f-overall_photos", str(_photo(tmp_path, "front.jpg", (180, 170, 160))))
    done = "[data-field=overall_photos] li.m-photo:not(.weui-uploader__file_status)"
    phone.wait_for_function(f"() => document.querySelectorAll('{done}').length === 1")
    phone.locator("label[for='f-hazard_found']").click()
    phone.locator("[data-field=hazards]").wait_for(state="visible")
    phone.select_option("#f-hazards-0-kind", label="外墙饰面脱落")
    phone.locator("label[for='f-hazards-0-severity-1']").click()
    phone.fill("#f-hazards-0-floor", "6")
    phone.fill("#f-hazards-0-description", "六楼外墙面砖空鼓")
    phone.set_input_files("#f-hazards-0-photos", str(_photo(tmp_path, "tile.jpg", (120, 60, 40))))
    done = "[data-field=photos] li.m-photo:not(.weui-uploader__file_status)"
    phone.wait_for_function(f"() => document.querySelectorAll('{done}').length === 1")
    phone.locator("label[for='f-endangers_passage']").click()
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))
    shot(phone, "wecom-2-submitted")

    # then: one order by the WeCom-logged-in worker; exactly one message, to the dispatcher
    order = WorkOrder.objects.get()
    assert order.submission.reporter.username == "jny_grid"
    assert len(fake_wecom.messages) == 1
    message = fake_wecom.messages[0]
    street = ancestor_of_kind(order.org_unit, OrgUnit.Kind.STREET)
    dispatcher = Membership.objects.get(org_unit=street, role=Role.DISPATCHER).person
    assert message["touser"] == dispatcher.wecom_userid
    url = message["body"]["textcard"]["url"]
    assert url.startswith(f"{live_server.url}/m/work-orders/{order.pk}/?event=")
    assert order.number in message["body"]["textcard"]["title"]


def test_a_supervisor_at_a_desktop_logs_in_by_scanning_wecoms_qr_code(
    desktop, live_server, wecom_demo, fake_wecom, shot
):
    # given: WeCom configured against the fake; 江宁路's supervisor holds the phone that scans
    fake_wecom.current_user = "jny_supervisor"

    # when: the console in a desktop browser asks for a login; 扫码登录
    desktop.goto("/console/")
    desktop.wait_for_url(re.compile("/login/"))
    shot(desktop, "wecom-qr-login-page")
    assert desktop.locator("[data-username]").count() == 0  # no development login
    desktop.click("#wecom-login a")

    # then: through WeCom's web login page and back, signed in, on the console
    desktop.wait_for_url(re.compile("/console/$"))
    assert "wwlogin/sso/login" in [r.path for r in fake_wecom.requests]
    assert Person.objects.get(username="jny_supervisor").display_name in desktop.content()
