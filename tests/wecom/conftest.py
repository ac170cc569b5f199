"""The fake WeCom on a free port, and the WECOM_* settings pointing the product at it."""

import pytest
from django.core.cache import cache

from lightapps.wecom.fake import FakeWeCom


@pytest.fixture(autouse=True)
def _wecom_tasks_run_eagerly(eager_tasks):
    """Tasks run in this process, as on the embedded default, also in the Redis lane."""


@pytest.fixture
def fake_wecom():
    fake = FakeWeCom().start()
    yield fake
    fake.stop()


@pytest.fixture
def wecom(fake_wecom, settings):
    """WeCom configured against the fake; tokens of earlier fakes forgotten."""
    for key, value in fake_wecom.settings().items():
        setattr(settings, key, value)
    settings.WECOM_TIMEOUT = 2
    cache.clear()
    yield fake_wecom
    cache.clear()


@pytest.fixture
def wecom_contacts(wecom, tree):
    """The fake's contacts: 江宁路街道 (dept 2, linked to the tree's street) and two people."""
    from lightapps.wecom.models import WeComDepartment

    wecom.add_department(1, "静安区", 0)
    wecom.add_department(2, "江宁路街道", 1)
    WeComDepartment.objects.create(department_id=1, org_unit=tree["district"], name="静安区")
    WeComDepartment.objects.create(department_id=2, org_unit=tree["jny"], name="江宁路街道")
    return wecom


def oauth_dance(client, fake, *, next_url="/m/", user_agent=None):
    """Start the login, let the fake's authorize page answer, come back; the last response."""
    import requests

    headers = {"HTTP_USER_AGENT": user_agent} if user_agent else {}
    start = client.get("/wecom/oauth/start/", {"next": next_url}, **headers)
    assert start.status_code == 302, start
    authorize = requests.get(start["Location"].split("#")[0], allow_redirects=False, timeout=5)
    assert authorize.status_code == 302, authorize.text
    back = authorize.headers["Location"]
    assert back.startswith("http://testserver/wecom/oauth/callback/?")
    return client.get(back.removeprefix("http://testserver"), **headers)
