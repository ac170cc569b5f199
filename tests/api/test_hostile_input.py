"""Hostile input is refused at the door with the one error shape, and nothing is stored."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from rest_framework.test import APIClient

from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.submissions.models import Submission
from lightapps.web import error_pages
from tests.fixtures.definitions import valid_data

URL = "/api/apps/facade-test/submissions/"
# As a client writes them on the wire: JSON escapes, so the body itself is valid UTF-8.
BAD_TEXT = [r"\ud800", r"\udfff", r"\uffff", r"\ufffe", r"\ufdd0", r"\u0000", r"\udbff\udfff"]


def _report(photo_ids) -> dict:
    return {"id": str(uuid.uuid4()), "version": 1, "data": valid_data(photo_ids)}


@pytest.mark.parametrize("escape", BAD_TEXT)
def test_text_that_cannot_be_stored_is_refused_in_an_answer(
    app_version, people, make_photo, api, escape
):
    # given a valid report whose address carries the character
    photo = make_photo(people["owner"])
    body = _report([photo.pk])
    text = json.dumps(body).replace('"address": "', f'"address": "x{escape}', 1)
    assert text != json.dumps(body)
    # when
    response = api(people["owner"]).post(URL, text, content_type="application/json")
    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "bad_text"
    assert response.json()["message"] == "提交的内容含有无法保存的字符"
    assert list(response.json()["fields"]) == ["data.address"]
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("escape", [r"\ud800", r"\uffff"])
def test_text_that_cannot_be_stored_is_refused_in_a_key_and_a_title(
    app_version, people, api, escape
):
    client = api(people["designer"])
    draft = client.get("/api/apps/facade-test/export/?v=draft").json()
    draft_text = json.dumps({k: draft[k] for k in ("schema", "ui", "flow")})
    titled = draft_text.replace('"title": "', f'"title": "{escape}', 1)
    keyed = draft_text.replace('"properties": {"', f'"properties": {{"{escape}', 1)
    for text in (titled, keyed):
        response = client.put("/api/apps/facade-test/draft/", text, content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (400, "bad_text")
    assert client.get("/api/apps/facade-test/export/?v=draft").json()["schema"] == draft["schema"]


@pytest.mark.parametrize("char", ["\x00", "\uffff", "\ufffe"])
def test_form_encoded_api_bodies_and_query_strings_are_checked_too(app_version, people, api, char):
    client = api(people["designer"])
    form = client.post("/api/apps/facade-test/publish/", {"note": f"a{char}"})
    query = client.get("/api/apps/", {"q": f"a{char}"})
    assert (form.status_code, form.json()["code"]) == (400, "bad_text")
    assert (query.status_code, query.json()["code"]) == (400, "bad_text")
    assert LightAppVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "depth"),
    [(URL, 10_000), ("/api/apps/import/", 600), ("/api/apps/facade-test/draft/", 65)],
)
def test_nesting_too_deep_is_refused_before_parsing(app_version, people, api, url, depth):
    # given a body nested `depth` levels deep (strings with brackets do not count)
    nested = "[" * depth + "]" * depth
    text = '{"id": "[[[[", "definition": ' + nested + ', "schema": ' + nested + "}"
    client = api(
        people["designer"] if "apps/" in url and "submissions" not in url else people["owner"]
    )
    # when
    send = client.put if url.endswith("draft/") else client.post
    response = send(url, text, content_type="application/json")
    # then
    assert response.status_code == 400, response.content
    assert response.json() == {"code": "too_deep", "message": "JSON 嵌套超过 64 层", "fields": {}}
    assert Submission.objects.count() == 0
    assert LightApp.objects.count() == 1


def test_nesting_at_the_limit_and_brackets_in_strings_still_parse(app_version, people, api):
    nested = "[" * 63 + "]" * 63
    text = json.dumps({"id": "[" * 100, "version": 1}).replace('"version": 1', f'"x": {nested}')
    response = api(people["owner"]).post(URL, text, content_type="application/json")
    assert response.json()["code"] not in {"too_deep", "parse_error"}


@pytest.mark.parametrize("char", ["\x00", "\uffff"])
def test_a_page_form_post_with_bad_text_answers_a_chinese_page(app_version, people, client, char):
    client.force_login(people["designer"])
    response = client.post("/builder/import/", {"key": f"x{char}", "name": "n", "schema": "{}"})
    assert response.status_code == 400
    assert "含有无法保存的字符" in response.content.decode()
    assert LightApp.objects.count() == 1


@pytest.mark.parametrize("text", [r'{"title": "\ud800"}', "[" * 600 + "]" * 600])
def test_the_builder_import_page_refuses_bad_json(app_version, people, client, text):
    client.force_login(people["designer"])
    response = client.post("/builder/import/", {"key": "x-9", "name": "n", "schema": text})
    assert response.status_code == 400
    assert "无法保存的字符" in response.content.decode() or "嵌套超过" in response.content.decode()
    assert LightApp.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "handler", "status"),
    [
        ("/api/nope/", error_pages.not_found, 404),
        ("/api/apps/", error_pages.server_error, 500),
    ],
)
def test_production_api_errors_have_the_one_shape(path, handler, status):
    request = RequestFactory().get(path)
    response = handler(request) if status == 500 else handler(request, Exception())
    assert response.status_code == status
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == {404: "not_found", 500: "server_error"}[status]


@pytest.mark.parametrize(("status", "words"), [(404, "页面不存在"), (500, "服务暂时不可用")])
def test_production_pages_have_chinese_error_pages(status, words):
    request = RequestFactory().get("/console/nope/")
    handler = error_pages.not_found if status == 404 else error_pages.server_error
    response = handler(request, Exception()) if status == 404 else handler(request)
    assert response.status_code == status
    assert words in response.content.decode()


def test_production_404_for_an_unknown_api_path(client, settings, db):
    settings.DEBUG = False
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=9223372036854775808", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=²", "limit"),
        ("offset=9223372036854775808", "offset"),
        ("offset=-5", "offset"),
    ],
)
@pytest.mark.parametrize("url", ["/api/apps/", "/api/work-orders/", URL])
def test_bad_limit_or_offset_is_invalid_filter(app_version, people, api, url, query, field):
    response = api(people["supervisor"]).get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_filter"
    assert list(response.json()["fields"]) == [field]


def test_a_large_limit_is_capped_and_a_good_one_kept(app_version, people, api):
    client = api(people["supervisor"])
    assert client.get("/api/apps/?limit=100000").status_code == 200
    assert client.get("/api/apps/?limit=1&offset=0").json()["results"][0]["key"] == "facade-test"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=0001-01-01", "since"),
        ("until=9999-12-31", "until"),
        ("since=1899-12-31", "since"),
        ("unit=9223372036854775808", "unit"),
        ("unit=²", "unit"),
        ("version=99999999999999999999", "version"),
    ],
)
@pytest.mark.parametrize("url", ["/api/apps/facade-test/submissions/export/"])
def test_bad_dates_and_ids_in_data_filters_are_invalid_filter(
    app_version, people, api, url, query, field
):
    response = api(people["supervisor"]).get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_filter"
    assert list(response.json()["fields"]) == [field]


@pytest.mark.parametrize("org_unit", ["9223372036854775808", "-1", "x", "²"])
def test_a_bad_org_unit_in_the_work_order_list_is_invalid_filter(
    app_version, people, api, org_unit
):
    response = api(people["supervisor"]).get("/api/work-orders/", {"org_unit": org_unit})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_filter")
    assert list(response.json()["fields"]) == ["org_unit"]


@pytest.mark.parametrize("ref", ["9223372036854775808", "²", "99999999999"])
def test_a_version_ref_out_of_range_is_not_found(app_version, people, api, ref):
    client = api(people["designer"])
    assert client.get(f"/api/apps/facade-test/export/?v={ref}").status_code == 404
    assert client.get(f"/api/apps/facade-test/versions/{ref}/").status_code in {400, 404}


@pytest.mark.parametrize("routed", [True, False])
def test_the_action_list_and_the_service_agree_on_what_dispatch_requires(
    make_order, people, api, routed
):
    # given a filed order, routed to a unit or not
    order = make_order(people["owner"])
    client = api(people["dispatcher"])
    client.post(
        f"/api/work-orders/{order.pk}/actions/",
        {"action": "file", "expected_state": "reported"},
        format="json",
    )
    if not routed:
        type(order).objects.filter(pk=order.pk).update(assignee_unit=None)
    # when the list is read and dispatch is asked without a unit
    actions = client.get(f"/api/work-orders/{order.pk}/").json()["actions"]
    requires = next(a["requires"] for a in actions if a["action"] == "dispatch")
    response = client.post(
        f"/api/work-orders/{order.pk}/actions/",
        {"action": "dispatch", "expected_state": "filed"},
        format="json",
    )
    # then the answer follows from the list
    order.refresh_from_db()
    if "target_unit" in requires:
        assert not routed
        assert (response.status_code, response.json()["code"]) == (400, "target_unit_required")
        assert order.state == "filed"
    else:
        assert routed
        assert response.status_code == 200, response.json()
        assert order.state == "dispatched"


def _png(size, mode="1") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("size", [(9000, 9000), (8000, 6251), (50_001, 1000)])
def test_an_image_with_too_many_pixels_is_refused_before_decoding(
    app_version, people, api, settings, tmp_path, size, monkeypatch
):
    # given a small file (a few hundred KB) that would decode to tens of megapixels
    from lightapps.submissions import services
    from lightapps.submissions.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    body = _png(size)
    assert len(body) < 2_000_000
    decoded = []
    monkeypatch.setattr(services.ImageOps, "exif_transpose", lambda im: decoded.append(im) or im)
    # when
    response = api(people["owner"]).post(
        "/api/attachments/",
        {"file": SimpleUploadedFile("bomb.png", body, "image/png")},
        format="multipart",
    )
    # then
    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_many_pixels"
    assert response.json()["message"] == "照片像素太多：不能超过 5000 万像素"
    assert decoded == [] and Attachment.objects.count() == 0


@pytest.mark.parametrize(("size", "status"), [((1000, 1000), 201), ((1000, 1001), 413)])
def test_the_pixel_limit_is_inclusive(
    app_version, people, api, settings, tmp_path, monkeypatch, size, status
):
    from lightapps.submissions import services

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "PHOTO_MAX_PIXELS", 1_000_000)
    response = api(people["owner"]).post(
        "/api/attachments/",
        {"file": SimpleUploadedFile("ok.png", _png(size), "image/png")},
        format="multipart",
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("form", "code", "field"),
    [
        ({"schema": "null"}, "invalid", "schema"),
        ({"schema": "[1, 2]"}, "invalid", "schema"),
        ({"schema": '{"type": "object"}', "ui": "null"}, "invalid", "ui"),
        ({"schema": '{"type": "object"}', "flow": "7"}, "invalid", "flow"),
        ({"schema": "{"}, "invalid", "schema"),
        ({"schema": "[" * 1000 + "]" * 1000}, "too_deep", None),
        ({"schema": '{"title": "\\ud800"}'}, "bad_text", "title"),
    ],
)
def test_a_form_encoded_draft_put_is_checked_like_json(app_version, people, form, code, field):
    # given a designer's client sending a form, not JSON
    client = APIClient()
    client.force_authenticate(people["designer"])
    before = LightApp.objects.get().draft_schema
    # when
    response = client.put("/api/apps/facade-test/draft/", form, format="multipart")
    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    if field:
        assert field in response.json()["fields"]
    assert LightApp.objects.get().draft_schema == before


def test_a_csrf_failure_is_in_chinese_on_the_api_and_on_pages(app_version, people):
    # given a signed-in designer whose request carries no CSRF token
    api_client = APIClient(enforce_csrf_checks=True)
    api_client.force_login(people["designer"])
    # when
    api_response = api_client.post("/api/apps/facade-test/publish/", {}, format="json")
    page_response = api_client.post("/builder/import/", {"key": "x-1", "schema": "{}"})
    # then
    assert api_response.status_code == 403
    assert api_response.json() == {
        "code": "csrf_failed",
        "message": "页面已过期或请求来源不可信（CSRF 校验失败），请刷新页面后再试",
        "fields": {},
    }
    assert page_response.status_code == 403
    assert "CSRF 校验失败" in page_response.content.decode()
    assert LightAppVersion.objects.count() == 1 and LightApp.objects.count() == 1


def test_the_openapi_declares_the_error_responses_of_every_operation(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    operations = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if isinstance(op, dict) and "responses" in op
    ]
    assert len(operations) > 10
    for path, method, op in operations:
        assert {"400", "401", "403", "404", "429", "500"} <= set(op["responses"]), (path, method)
        assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def _operations(client) -> dict:
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    return {
        op["operationId"]: op
        for ops in schema["paths"].values()
        for op in ops.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_the_openapi_declares_409_where_a_second_request_is_refused_and_415_on_bodies(client, db):
    operations = _operations(client)
    error = {"$ref": "#/components/schemas/Error"}

    conflicts = {name for name, op in operations.items() if "409" in op["responses"]}
    assert conflicts == {
        "apps_submissions_create",
        "work_orders_actions_create",
        "apps_draft_update",
        "apps_rollback_create",
    }
    for name in conflicts:
        assert (
            operations[name]["responses"]["409"]["content"]["application/json"]["schema"] == error
        )
    with_body = {name for name, op in operations.items() if "requestBody" in op}
    assert with_body == {name for name, op in operations.items() if "415" in op["responses"]}
    assert "apps_import_create" in with_body and "apps_list" not in with_body


def test_a_body_of_an_unsupported_type_is_415_in_the_error_shape(app_version, people, api):
    # when: what schemathesis sends when it tries a media type the schema does not list
    response = api(people["owner"]).post(URL, b"id=1", content_type="text/plain")
    # then
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert set(response.json()) == {"code", "message", "fields"}
    assert Submission.objects.count() == 0


def test_the_openapi_states_the_bounds_of_limit_and_offset(client, db):
    (listing,) = [op for name, op in _operations(client).items() if name == "work_orders_list"]
    bounds = {
        p["name"]: (p["schema"]["minimum"], p["schema"]["maximum"])
        for p in listing["parameters"]
        if p["name"] in {"limit", "offset"}
    }
    assert bounds == {"limit": (1, 2**31 - 1), "offset": (0, 2**31 - 1)}


@pytest.mark.parametrize(
    ("query", "status"),
    [("limit=1&offset=0", 200), ("limit=2147483647", 200), ("limit=0", 400), ("offset=-1", 400)],
)
def test_limit_and_offset_are_read_within_the_stated_bounds(people, api, db, query, status):
    response = api(people["supervisor"]).get(f"/api/work-orders/?{query}")
    assert response.status_code == status, response.content
