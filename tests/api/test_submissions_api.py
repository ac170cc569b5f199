"""Submitting through the API: validation, idempotency, bad input that stores nothing."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lightapps.submissions.models import Attachment, Submission
from lightapps.workorders.models import WorkOrder
from tests.conftest import jpeg_bytes
from tests.fixtures.definitions import valid_data

URL = "/api/apps/facade-test/submissions/"


@pytest.fixture
def client_for():
    def make(person):
        client = APIClient()
        client.force_authenticate(person)
        return client

    return make


def _body(photo_ids, **overrides):
    body = {"id": str(uuid.uuid4()), "version": 1, "data": valid_data(photo_ids)}
    body.update(overrides)
    return body


def test_valid_submission_is_stored_and_opens_a_work_order(
    app_version, people, make_photo, client_for, django_capture_on_commit_callbacks
):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk], device_time="2026-11-23T09:30:00+08:00")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["owner"]).post(URL, body, format="json")

    # then
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert payload["id"] == body["id"] and payload["created"] is True
    order = WorkOrder.objects.get()
    assert payload["work_order"] == {"id": order.pk, "number": order.number}
    submission = Submission.objects.get()
    assert submission.data == body["data"]
    assert (submission.latitude, submission.longitude) == (31.2363, 121.4512)
    assert Attachment.objects.get().submission == submission


def test_same_uuid_twice_stores_one_submission(app_version, people, make_photo, client_for):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = client_for(people["owner"])

    # when
    first = client.post(URL, body, format="json")
    second = client.post(URL, body, format="json")

    # then
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False
    assert second.json()["work_order"] == first.json()["work_order"]
    assert Submission.objects.count() == 1
    assert WorkOrder.objects.count() == 1


def test_same_uuid_from_another_person_is_refused(app_version, people, make_photo, client_for):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client_for(people["owner"]).post(URL, body, format="json")

    # when
    response = client_for(people["colleague"]).post(URL, body, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "id_taken"
    assert Submission.objects.get().reporter == people["owner"]


def test_record_without_hazard_opens_no_work_order(app_version, people, make_photo, client_for):
    # given
    photo = make_photo(people["owner"])
    body = {"id": str(uuid.uuid4()), "version": 1, "data": valid_data([photo.pk], hazard=False)}

    # when
    response = client_for(people["owner"]).post(URL, body, format="json")

    # then
    assert response.status_code == 201
    assert response.json()["work_order"] is None
    assert Submission.objects.count() == 1
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(floors="六"), "floors", "“楼层数”应为整数"),
        (lambda d: d.pop("address"), "address", "请填写“地址”"),
        (lambda d: d.update(nickname="x"), "nickname", "“nickname”不是此表单的字段"),
        (lambda d: d.update(floors=0), "floors", "“楼层数”不能小于 1"),
        (lambda d: d.update(checked_on="2026-13-45"), "checked_on", "“检查日期”应为日期"),
        (
            lambda d: d["hazards"][0].update(severity="x"),
            "hazards[0].severity",
            "“严重程度”不是可选的选项",
        ),
        (lambda d: d.update(hazards=[]), "hazards", "“隐患”至少需要 1 项"),
        (lambda d: d["hazards"][0].pop("kind"), "hazards[0].kind", "请填写“隐患类型”"),
    ],
)
def test_invalid_data_gives_field_errors_in_chinese_and_stores_nothing(
    app_version, people, make_photo, client_for, change, path, message
):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    change(body["data"])

    # when
    response = client_for(people["owner"]).post(URL, body, format="json")

    # then
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid_submission"
    assert payload["message"] == "请检查标红的项目"
    assert any(m.startswith(message) for m in payload["fields"][path]), payload["fields"]
    assert Submission.objects.count() == 0
    assert WorkOrder.objects.count() == 0
    assert Attachment.objects.get().submission is None


def test_hidden_conditional_answer_is_refused(app_version, people, make_photo, client_for):
    # given: no hazard found, yet hazards are sent
    photo = make_photo(people["owner"])
    data = valid_data([photo.pk], hazard=False)
    data["hazards"] = [{"kind": "tile", "severity": "high"}]

    # when
    response = client_for(people["owner"]).post(
        URL, {"id": str(uuid.uuid4()), "version": 1, "data": data}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "hazards" in response.json()["fields"]
    assert Submission.objects.count() == 0


def test_photo_of_someone_else_is_refused(app_version, people, make_photo, client_for):
    # given
    foreign = make_photo(people["colleague"])

    # when
    response = client_for(people["owner"]).post(URL, _body([foreign.pk]), format="json")

    # then
    assert response.status_code == 400
    assert response.json()["fields"]["photos"] == ["有照片未上传成功或已被使用，请重新上传"]
    assert Submission.objects.count() == 0


def test_broken_json_is_a_parse_error(app_version, people, client_for):
    # when
    response = client_for(people["owner"]).post(
        URL, data='{"id": "x", "data": {', content_type="application/json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["message"] == "请求内容不是有效的 JSON"
    assert Submission.objects.count() == 0


def test_ten_megabyte_body_is_refused(app_version, people, make_photo, client_for):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    body["data"]["address"] = "x" * (10 * 1024 * 1024)

    # when
    response = client_for(people["owner"]).post(
        URL, data=json.dumps(body), content_type="application/json"
    )

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"id": "not-a-uuid", "version": 1, "data": {}}, "id"),
        ({"id": str(uuid.uuid4()), "version": "one", "data": {}}, "version"),
        ({"id": str(uuid.uuid4()), "version": 1}, "data"),
        (
            {"id": str(uuid.uuid4()), "version": 1, "data": {}, "device_time": "yesterday"},
            "device_time",
        ),
    ],
)
def test_wrong_envelope_types_are_field_errors(app_version, people, client_for, body, path):
    # when
    response = client_for(people["owner"]).post(URL, body, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert path in response.json()["fields"]
    assert Submission.objects.count() == 0


def test_data_that_is_not_an_object_is_refused(app_version, people, client_for):
    response = client_for(people["owner"]).post(
        URL, {"id": str(uuid.uuid4()), "version": 1, "data": [1, 2]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"data": ["提交的数据必须是 JSON 对象"]}


def test_unknown_version_is_refused(app_version, people, make_photo, client_for):
    photo = make_photo(people["owner"])
    response = client_for(people["owner"]).post(URL, _body([photo.pk], version=7), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_version"
    assert Submission.objects.count() == 0


def test_anonymous_is_refused(app_version):
    response = APIClient().post(URL, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "fields"}


def test_upload_sniffs_the_bytes_not_the_name(app_version, people, client_for, settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people["owner"])

    # when
    fake = client.post(
        "/api/attachments/",
        {"file": SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
        format="multipart",
    )
    real = client.post(
        "/api/attachments/",
        {"file": SimpleUploadedFile("x.png", jpeg_bytes((3000, 2000)), "image/png")},
        format="multipart",
    )

    # then
    assert fake.status_code == 400 and fake.json()["code"] == "bad_file"
    assert real.status_code == 201
    stored = Attachment.objects.get()
    assert (real.json()["width"], real.json()["height"]) == (2560, 1707)
    assert stored.content_type == "image/jpeg" and len(stored.sha256) == 64


def test_upload_over_the_size_limit_is_refused(app_version, people, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_MAX_BYTES = 1000
    response = client_for(people["owner"]).post(
        "/api/attachments/",
        {"file": SimpleUploadedFile("big.jpg", jpeg_bytes((400, 400)), "image/jpeg")},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert Attachment.objects.count() == 0


def test_upload_without_file_is_a_field_error(app_version, people, client_for):
    response = client_for(people["owner"]).post("/api/attachments/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_has_not_are_refused_before_anything_is_stored(
    app_version, people, make_photo, client_for, number
):
    # given a valid report whose floor count is written as a number JSON has not
    photo = make_photo(people["owner"])
    text = json.dumps(_body([photo.pk])).replace('"floors": 6', f'"floors": {number}')
    # when
    response = client_for(people["owner"]).post(URL, text, content_type="application/json")
    # then it is refused as JSON, whatever the field says (jsonb could not store it either)
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    assert Submission.objects.count() == 0
