"""The form logic on the phone (375×740): a field shown only when…, a field required when…, and
computed values over a repeated group, filled in by touch, submitted, stored as computed."""

import re

import pytest
from playwright.sync_api import expect

from lightapps.submissions.models import Submission
from tests.browser.conftest import off_loop, publish_demo_app
from tests.fixtures.logic import LOGIC_SCHEMA, LOGIC_UI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logic_app(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return off_loop(
        publish_demo_app, key="site-logic", name="小型工地检查", schema=LOGIC_SCHEMA, ui=LOGIC_UI
    )


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_conditions_required_when_and_computed_values_on_the_phone(logic_app, phone, shot):
    # given
    _login(phone, "jny_grid", "/m/apps/site-logic/")
    note = phone.locator("[data-field=hazard_note]")
    hazards = phone.locator("[data-field=hazards]")
    power_mark = phone.locator("[data-field=power_note] [data-req-if]")
    expect(note).to_be_hidden()
    expect(hazards).to_be_hidden()
    expect(power_mark).to_be_hidden()
    expect(phone.locator("#f-risk")).to_have_value("低")
    expect(phone.locator("#f-hazard_count")).to_have_js_property("readOnly", True)

    # when: a hazard is found, 用电 is ticked, two hazards are added
    phone.fill("#f-site_name", "江宁路工地")
    phone.locator("label[for='f-has_hazard']").click()
    expect(note).to_be_visible()
    expect(hazards).to_be_visible()
    phone.fill("#f-hazard_note", "脚手架松动")
    phone.locator("label[for='f-checks-2']").click()  # 用电
    expect(power_mark).to_be_visible()
    phone.click("#submit-btn")  # 用电说明 is now required: refused on the phone
    expect(phone.locator("[data-field=power_note] [data-error]")).to_have_text("请填写“用电说明”")
    phone.fill("#f-power_note", "临时用电未接地")
    add = hazards.locator("[data-add]")
    add.click()
    voltage = (
        phone.locator("[data-field=hazards] [data-item]").nth(0).locator("[data-field=voltage]")
    )
    expect(voltage).to_be_hidden()
    phone.locator("label[for='f-hazards-0-kind-1']").click()  # 触电
    expect(voltage).to_be_visible()
    phone.fill("#f-hazards-0-voltage", "220")
    phone.fill("#f-hazards-0-cost", "1200")
    add.click()
    phone.locator("label[for='f-hazards-1-kind-0']").click()  # 高坠
    phone.fill("#f-hazards-1-cost", "800.5")
    phone.fill("#f-start", "2026-11-01")
    phone.fill("#f-end", "2026-11-23")

    # then: the computed fields follow every answer
    expect(phone.locator("#f-hazard_count")).to_have_value("2")
    expect(phone.locator("#f-total_cost")).to_have_value("2000.5")
    expect(phone.locator("#f-risk")).to_have_value("中")
    expect(phone.locator("#f-days")).to_have_value("22")
    expect(phone.locator("#f-hazards-1-label")).to_have_value("江宁路工地-高坠")
    shot(phone, "logic-1-filled")

    # when
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))

    # then: what the phone computed is what is stored
    data = off_loop(lambda: Submission.objects.get().data)
    assert data == {
        "site_name": "江宁路工地",
        "has_hazard": True,
        "hazard_note": "脚手架松动",
        "checks": ["用电"],
        "power_note": "临时用电未接地",
        "hazards": [
            {"kind": "触电", "voltage": 220, "cost": 1200, "label": "江宁路工地-触电"},
            {"kind": "高坠", "cost": 800.5, "label": "江宁路工地-高坠"},
        ],
        "hazard_count": 2,
        "total_cost": 2000.5,
        "risk": "中",
        "start": "2026-11-01",
        "end": "2026-11-23",
        "days": 22,
    }


def test_a_section_heading_shown_only_when_takes_its_fields_with_it(
    settings, tmp_path, phone, shot
):
    # given: 隐患详情 (a heading) shown only when 是否发现隐患; 情况描述 under it is required
    from tests.definitions.test_sections import SCHEMA, UI

    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(publish_demo_app, key="site-sections", name="工地分节", schema=SCHEMA, ui=UI)
    _login(phone, "jny_grid", "/m/apps/site-sections/")
    section = [phone.locator(f"[data-field={n}]") for n in ("details", "desc", "floors")]
    for field in section:
        expect(field).to_be_hidden()
    expect(phone.locator("[data-field=remark]")).to_be_visible()

    # when: 是 — the whole section shows; 情况描述 is required there
    phone.fill("#f-site", "昌平路工地")
    phone.locator("label[for='f-found']").click()
    for field in section:
        expect(field).to_be_visible()
    phone.click("#submit-btn")
    expect(phone.locator("[data-field=desc] [data-error]")).to_have_text("请填写“情况描述”")
    shot(phone, "logic-section-shown")

    # when: 否 again, with 情况描述 typed meanwhile — the section goes, and what it held is not sent
    phone.fill("#f-desc", "围挡破损")
    phone.locator("label[for='f-found']").click()
    for field in section:
        expect(field).to_be_hidden()
    phone.click("#submit-btn")
    phone.wait_for_url(re.compile("/m/submitted/"))

    # then
    assert off_loop(lambda: Submission.objects.get().data) == {"site": "昌平路工地", "found": False}
