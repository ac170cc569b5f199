"""Shared setup of the designer's browser tests: a district, designers, a blank app, a login."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from lightapps.definitions.services import light_app_new
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, org_unit_create, person_upsert


def designer_world(*, with_app: bool = True) -> dict:
    """静安区 > 江宁路街道 > 江宁路第1网格, two district designers, a grid worker of the grid, and
    (unless with_app=False) a blank app 小型工地检查 made by the first designer."""
    district = org_unit_create(name="静安区", kind="district", code="T-JA")
    street = org_unit_create(name="江宁路街道", kind="street", code="T-JNY", parent=district)
    grid = org_unit_create(name="江宁路第1网格", kind="grid", code="T-JNY-G1", parent=street)
    people = {}
    for username, name in (("designer", "孙设计"), ("designer2", "王五")):
        person = person_upsert(username=username, name=name, wecom_userid=username)
        membership_grant(person=person, org_unit=district, role=Role.DESIGNER)
        people[username] = person
    people["grid"] = person_upsert(username="grid1", name="李网格", wecom_userid="grid1")
    membership_grant(person=people["grid"], org_unit=grid, role=Role.REPORTER)
    app = None
    if with_app:
        app = light_app_new(name="小型工地检查", owner_unit=district, actor=people["designer"])
    return {"district": district, "street": street, "people": people, "app": app}


def log_in(page, person, base_url: str) -> None:
    """The person's session in the page's browser context (no login page needed)."""
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def drag(page, source, target, *, above: bool = False, below: bool = False) -> None:
    """Drag with the mouse as a person does (SortableJS runs in its fallback mode: mouse events).

    The lists make room as the pointer passes, so the target is measured again on the way.
    """

    def point():
        t = target.bounding_box()
        if above:
            return t["x"] + t["width"] / 2, t["y"] + min(6, t["height"] / 4)
        if below:
            return t["x"] + t["width"] / 2, t["y"] + t["height"] - 5
        return t["x"] + t["width"] / 2, t["y"] + min(20, t["height"] / 2)

    s = source.bounding_box()
    x, y = s["x"] + s["width"] / 2, s["y"] + s["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)
    # SortableJS's fallback looks at the pointer every 50 ms: let it see each stage.
    page.wait_for_timeout(80)
    for _ in range(3):
        tx, ty = point()
        page.mouse.move(tx, ty, steps=8)
        page.wait_for_timeout(150)
    page.mouse.up()


def saved_after(page, revision: int, timeout_s: float = 10) -> int:
    """Wait until the page has saved a revision after `revision` and holds nothing unsaved."""
    waited = 0.0
    while waited < timeout_s:
        root = page.locator("#designer")
        now = int(root.get_attribute("data-revision") or 0)
        state = page.locator("#save-status").get_attribute("data-state")
        if now > revision and state == "saved":
            return now
        page.wait_for_timeout(100)
        waited += 0.1
    raise AssertionError(f"not saved after revision {revision} (state {state}, revision {now})")


def add_field(page, kind, label):
    """Add a field of this kind by clicking the palette; it is selected with its default title."""
    page.click(f".palette-item[data-kind={kind}]")
    expect(page.locator(".card-field.selected > .card-line .card-title")).to_have_text(label)


def cards(page, selector=".canvas-list > .card-field"):
    return page.locator(selector).locator(":scope > .card-line .card-title")


def build_small_site(page) -> None:
    """小型工地检查 on a blank canvas, by drag and click: a required choice 是否发现问题 (是/否),
    问题照片 shown only when it is 是, a repeated group 问题清单 with two fields dragged into it,
    and 问题数, computed as the group's count."""
    # when: 单选 is dragged from the palette onto the empty canvas and named
    drag(page, page.locator(".palette-item[data-kind=radio]"), page.locator(".canvas-list"))
    expect(cards(page)).to_have_text(["单选"])
    page.fill("#prop-title", "是否发现问题")
    expect(page.locator("#prop-key")).to_have_value("shi_fou_fa_xian_wen_ti")
    page.check("#prop-required")
    page.click(".choice-bulk summary")
    page.fill("#choice-bulk", "yes,是\nno,否")
    page.click("#choice-bulk-apply")
    expect(page.locator(".choice-label")).to_have_count(2)

    # and: 照片, added by a click after it, is shown only when the answer is 是
    add_field(page, "photos", "照片")
    page.fill("#prop-title", "问题照片")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_zhao_pian")
    visible = page.locator("[data-logic='x-visibleIf']")
    visible.locator(".logic-add").click()
    visible.locator(".logic-field").select_option(label="是否发现问题")
    visible.locator(".logic-value").select_option(label="是")
    badge = page.locator(".card-field.selected .badge-visible")
    expect(badge).to_have_text("显示条件：是否发现问题 等于 是")

    # and: a repeated group with two fields dragged into it, and a computed count of it
    add_field(page, "group", "重复组")
    page.fill("#prop-title", "问题清单")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_qing_dan")
    group_list = page.locator(".group-list")
    drag(page, page.locator(".palette-item[data-kind=text]"), group_list)
    expect(cards(page, ".group-list > .card-field")).to_have_text(["单行文字"])
    page.fill("#prop-title", "问题描述")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_miao_shu")
    drag(
        page,
        page.locator(".palette-item[data-kind=integer]"),
        group_list.locator(".card-field").last,
        below=True,
    )
    expect(cards(page, ".group-list > .card-field")).to_have_text(["问题描述", "整数"])
    page.fill("#prop-title", "涉及人数")
    expect(page.locator("#prop-key")).to_have_value("she_ji_ren_shu")
    page.locator(".canvas-list > .card-field").nth(2).locator(".card-title").first.click()
    add_field(page, "computed", "计算")
    page.fill("#prop-title", "问题数")
    expect(page.locator("#prop-key")).to_have_value("wen_ti_shu")
    page.locator(".formula-group").select_option(label="问题清单")
    expect(page.locator(".card-field.selected .badge-compute")).to_have_text(
        "计算：问题清单 的项数"
    )
    expect(cards(page)).to_have_text(["是否发现问题", "问题照片", "问题清单", "问题数"])
