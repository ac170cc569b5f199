"""Shared setup of the designer's browser tests: a district, designers, a blank app, a login."""

from django.conf import settings
from django.test import Client

from lightapps.definitions.services import light_app_new
from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, org_unit_create, person_upsert


def designer_world() -> dict:
    district = org_unit_create(name="静安区", kind="district", code="T-JA")
    street = org_unit_create(name="江宁路街道", kind="street", code="T-JNY", parent=district)
    org_unit_create(name="江宁路第1网格", kind="grid", code="T-JNY-G1", parent=street)
    people = {}
    for username, name in (("designer", "孙设计"), ("designer2", "王五")):
        person = person_upsert(username=username, name=name, wecom_userid=username)
        membership_grant(person=person, org_unit=district, role=Role.DESIGNER)
        people[username] = person
    app = light_app_new(name="小型工地检查", owner_unit=district, actor=people["designer"])
    return {"district": district, "people": people, "app": app}


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
