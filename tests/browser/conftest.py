"""Browser tests (each module sets `pytestmark = pytest.mark.browser`): Debian's Chromium driven by Playwright against Django's live server.

They run when Chromium is installed (CHROMIUM_PATH, default /usr/bin/chromium) and are skipped
otherwise, except with BROWSER_TESTS=1 (CI's browser lane), where a missing Chromium fails.

The pages run under the Content-Security-Policy, which forbids eval: give `wait_for_function`
a function ("() => …"), which Playwright runs through the DevTools protocol, not an expression
string, which it would eval in the page.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRED = os.environ.get("BROWSER_TESTS") == "1"
SHOTS = Path(os.environ.get("BROWSER_SHOTS", "test-results/browser"))
WECOM_UA = (
    "Mozilla/5.0 (Linux; Android 10; V2001A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh"
)
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or REQUIRED:
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"BROWSER_TESTS=1 but Chromium is missing at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE,
        user_agent=WECOM_UA,
        base_url=live_server.url,
        locale="zh-CN",
        geolocation={"latitude": 31.2363, "longitude": 121.4512, "accuracy": 15},
        permissions=["geolocation"],
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot():
    """Save a full-page PNG under test-results/browser/ for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def off_loop(fn, *args, **kwargs):
    """Server-side code, off Playwright's event loop (the after-commit broadcast uses async_to_sync).

    The thread's database connections are closed before it ends: left open, they keep the test
    database busy and PostgreSQL refuses to drop it at the end of the run.
    """
    from django.db import connections

    def run():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def publish_demo_app(*, key: str, name: str, schema: dict, ui: dict):
    """The demo district, and a records-only light app of the district published on it (run it
    through off_loop: publishing writes the audit log through the after-commit hooks)."""
    from lightapps.definitions.services import light_app_create, light_app_publish
    from lightapps.demo.seed import seed_demo
    from lightapps.orgs.models import OrgUnit, Person

    seed_demo()
    app = light_app_create(key=key, name=name, owner_unit=OrgUnit.objects.get(code="310106"),
                           schema=schema, ui=ui, flow={"template": "none"})  # fmt: skip
    return light_app_publish(app=app, actor=Person.objects.get(username="jingan_designer"))


def login_as(page, username: str, next_url: str) -> None:
    """Sign in through the development login as one demo person and land on next_url."""
    page.context.clear_cookies()
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(f"**{next_url}")
