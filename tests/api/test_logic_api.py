"""The form logic through the real submit endpoint: computed answers filled in and stored, a
forged one refused with `computed_mismatch`, a hidden answer refused, per field."""

import uuid

import pytest
from rest_framework.test import APIClient

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.submissions.models import Submission
from tests.fixtures.logic import LOGIC_SCHEMA, LOGIC_UI

pytestmark = pytest.mark.django_db
URL = "/api/apps/site-logic/submissions/"


@pytest.fixture
def client(tree, people):
    app = light_app_create(
        key="site-logic", name="小型工地检查", owner_unit=tree["district"],
        schema=LOGIC_SCHEMA, ui=LOGIC_UI, flow={"template": "none"},
    )  # fmt: skip
    light_app_publish(app=app, actor=people["designer"])
    client = APIClient()
    client.force_authenticate(people["owner"])
    return client


def _body(**data):
    answers = {
        "site_name": "B",
        "has_hazard": True,
        "hazard_note": "脚手架松动",
        "hazards": [{"kind": "高坠", "cost": 1}, {"kind": "高坠", "cost": 2}, {"kind": "高坠"}],
    }
    answers.update(data)
    return {"id": str(uuid.uuid4()), "version": 1, "data": answers}


def test_submitted_without_computed_answers_the_server_fills_them_in(client):
    body = _body()

    response = client.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    stored = Submission.objects.get(pk=body["id"]).data
    assert (stored["hazard_count"], stored["total_cost"], stored["risk"]) == (3, 3, "高")
    assert "days" not in stored  # no dates: date_diff is null, no answer


def test_a_forged_computed_answer_is_refused_and_nothing_is_stored(client):
    response = client.post(URL, _body(hazard_count=1, risk="高"), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "computed_mismatch",
        "message": "请检查标红的项目",
        "fields": {"hazard_count": ["“隐患数”由系统自动计算，应为“3”，不能修改"]},
    }
    assert Submission.objects.count() == 0


def test_an_answer_to_a_hidden_field_is_refused(client):
    response = client.post(URL, _body(has_hazard=False, hazards=[]), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_submission"
    assert response.json()["fields"] == {
        "hazard_note": ["按当前的填写，不应填写“隐患说明”"],
        "hazards": ["按当前的填写，不应填写“隐患”"],
    }
