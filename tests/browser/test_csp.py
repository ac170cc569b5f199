"""Every page under the Content-Security-Policy: nothing blocked, nothing from another host.

Chromium reports each blocked script, style, image or connection as a `securitypolicyviolation`
event; a page that needed an inline script, an inline style attribute or a CDN would raise one.
The API docs (Swagger UI, ReDoc) must render from our own static files: this machine, like a city
intranet, has no internet.
"""

import re

import pytest

from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.workorders.models import WorkOrder
from tests.browser.conftest import off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.click(f"button[data-username='{username}']")
    page.wait_for_load_state()


def _violations_on(page, paths: list[str]) -> dict[str, list[str]]:
    """Open each path (after its scripts ran) and collect what the CSP blocked there."""
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "content-security-policy" in {k.lower() for k in response.headers}, path
        page.wait_for_load_state("networkidle")
        blocked = page.evaluate("window.__csp")
        if blocked:
            found[path] = blocked
    return found


@pytest.fixture
def demo(settings, tmp_path, eager_tasks):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEV_LOGIN_SUPERUSER = True  # the demo administrator opens the Django admin too
    off_loop(lambda: seed_demo(superusers=True))
    off_loop(seed_demo_records)
    orders = off_loop(lambda: list(WorkOrder.objects.order_by("pk").values("pk", "submission_id")))
    return orders


def test_the_phone_pages_run_under_the_policy(phone, demo):
    # given a grid worker and a handler of 江宁路 on their phones
    phone.context.add_init_script(RECORD_VIOLATIONS)
    order = demo[0]
    _login(phone, "jny_grid")
    # then: home, each form, a work order — nothing blocked
    pages = ["/m/", "/m/apps/facade-hazard/", "/m/apps/small-site/", "/m/apps/flood-patrol/",
             f"/m/work-orders/{order['pk']}/"]  # fmt: skip
    assert _violations_on(phone, pages) == {}
    _login(phone, "jny_handler")
    assert _violations_on(phone, ["/m/", f"/m/work-orders/{order['pk']}/"]) == {}


def test_the_desktop_pages_and_the_api_docs_run_under_the_policy(desktop, demo, shot):
    # given the street's supervisor, a designer and the admin at their desks
    desktop.context.add_init_script(RECORD_VIOLATIONS)
    order = demo[0]
    _login(desktop, "jny_supervisor")
    pages = ["/console/", f"/console/work-orders/{order['pk']}/", "/console/data/",
             f"/console/submissions/{order['submission_id']}/"]  # fmt: skip
    assert _violations_on(desktop, pages) == {}
    _login(desktop, "jingan_designer")
    assert _violations_on(desktop, ["/builder/", "/builder/apps/facade-hazard/",
                                    "/builder/import/"]) == {}  # fmt: skip
    _login(desktop, "jingan_admin")
    assert _violations_on(desktop, ["/admin/", "/admin/workorders/workorder/",
                                    "/admin/audit/auditentry/", "/console/audit/"]) == {}  # fmt: skip
    assert desktop.locator("#audit-table tr[data-action='auth.login']").count() >= 3
    shot(desktop, "console-audit")
    desktop.click("form.inline button")  # 退出
    assert _violations_on(desktop, ["/login/"]) == {}
    shot(desktop, "login")

    # when: the API docs open, with no internet to fetch anything from
    assert _violations_on(desktop, ["/api/docs/"]) == {}
    # then: Swagger UI lists the operations, from our own files
    desktop.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert desktop.locator(".swagger-ui .opblock").count() > 10
    assert desktop.get_by_text(re.compile("/api/work-orders/")).first.is_visible()
    shot(desktop, "api-docs")
    # ReDoc's sidebar links its maker's logo from their CDN: the policy keeps it from loading,
    # and that is the one thing blocked there.
    blocked = _violations_on(desktop, ["/api/redoc/"]).get("/api/redoc/", [])
    assert {b.split()[0] + " " + b.split()[1] for b in blocked} <= {
        "img-src https://cdn.redoc.ly/redoc/logo-mini.svg"
    }
    desktop.wait_for_selector("text=/api/work-orders/", timeout=15_000)
    shot(desktop, "api-redoc")
