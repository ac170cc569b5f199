"""离线: the service worker at /m/sw.js and what the phone pages tell it (whose page, which
version of a form). The offline behaviour itself is driven in tests/browser/test_offline.py."""

import json
import re

import pytest

from lightapps.definitions.services import light_app_publish, light_app_save_draft
from lightapps.mobile.offline import PERSON_HEADER, VERSION_HEADER
from tests.mobile.pages import page_json, publish_app

pytestmark = pytest.mark.django_db

WECOM_UA = "Mozilla/5.0 (Linux; Android 10) Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1"


def _config(body: str) -> dict:
    return json.loads(re.search(r"^const CONFIG = (.*);$", body, re.M).group(1))


def test_the_worker_is_served_under_m_to_anyone_and_never_kept_stale(client, settings):
    # given: WeCom configured, a stranger inside WeCom (every other page would go to OAuth)
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "c", "1", "s"

    # when
    response = client.get("/m/sw.js", HTTP_USER_AGENT=WECOM_UA)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/m/"
    body = response.content.decode()
    config = _config(body)
    assert config["scope"] == "/m/"
    # what the phone pages load: the build's stylesheet, modules and chunks, json-logic-js
    assert "/static/phone/form.js" in config["static"]
    assert "/static/phone/phone.css" in config["static"]
    assert "/static/phone/home.js" in config["static"]
    assert not any(url.startswith("/static/mobile/") for url in config["static"])
    assert all(url.startswith("/static/") for url in config["static"])  # nothing from a CDN
    assert 'from "/static/mobile/delivery.js"' in body
    assert "没有保存在本机" in body
    assert "importScripts" not in body  # workbox-sw would load its modules from a CDN


def test_the_build_changes_with_the_static_files(client, tmp_path, settings):
    # given
    first = _config(client.get("/m/sw.js").content.decode())["build"]
    extra = tmp_path / "phone"
    extra.mkdir()
    (extra / "chunk-zz-new.js").write_text("export const x = 1;\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("phone", extra)]

    # when
    config = _config(client.get("/m/sw.js").content.decode())

    # then
    assert config["build"] != first
    assert "/static/phone/chunk-zz-new.js" in config["static"]


def test_home_and_forms_are_marked_for_the_person_and_work_orders_are_not(
    client, people, app_version, make_order
):
    # given
    owner = people["owner"]
    order = make_order(owner)
    client.force_login(owner)

    # when
    home = client.get("/m/")
    form = client.get("/m/apps/facade-test/")
    work_order = client.get(f"/m/work-orders/{order.pk}/")

    # then: home and the form are kept for this person only; a work order is never kept
    assert home[PERSON_HEADER] == str(owner.pk)
    assert form[PERSON_HEADER] == str(owner.pk)
    assert form[VERSION_HEADER] == str(app_version.pk)
    assert PERSON_HEADER not in work_order
    page = home.content.decode()
    assert f'data-person="{owner.pk}"' in page
    assert 'data-service-worker="/m/sw.js"' in page
    assert page_json(page, "offline-pages") == [
        {"url": "/m/apps/facade-test/", "version": app_version.pk}
    ]
    assert page_json(page, "outbox-texts")["waiting"] == "等待网络"


def test_home_lists_each_form_at_its_newest_version(client, people, tree, app_version):
    # given: a second version of the app
    newer = publish_app(people, tree["jny"], key="street-app")
    client.force_login(people["owner"])

    # when
    pages = page_json(client.get("/m/").content.decode(), "offline-pages")

    # then
    assert {"url": "/m/apps/street-app/", "version": newer.pk} in pages
    assert {"url": "/m/apps/facade-test/", "version": app_version.pk} in pages


def test_the_login_page_tells_the_worker_to_forget_the_pages(client):
    # when: signed out, the login page (where 退出 lands)
    page = client.get("/login/").content.decode()

    # then: it runs offline.js without a person, which deletes the kept pages
    assert "/static/phone/offline.js" in page
    assert "data-person" not in page


def test_the_form_renders_an_earlier_version_when_asked(client, people, app_version):
    # given: version 2 of the app
    app = app_version.app
    light_app_save_draft(
        app=app,
        schema={**app.draft_schema, "description": "v2"},
        ui=app.draft_ui,
        flow=app.draft_flow,
    )
    newer = light_app_publish(app=app, actor=people["designer"])
    client.force_login(people["owner"])

    # when
    old = client.get("/m/apps/facade-test/?version=1")
    latest = client.get("/m/apps/facade-test/")
    missing = client.get("/m/apps/facade-test/?version=9")
    bad = client.get("/m/apps/facade-test/?version=x")

    # then
    assert old.status_code == 200 and 'data-version="1"' in old.content.decode()
    assert old[VERSION_HEADER] == str(app_version.pk)
    assert latest[VERSION_HEADER] == str(newer.pk)
    assert 'data-version="2"' in latest.content.decode()
    assert missing.status_code == 404 and bad.status_code == 404
