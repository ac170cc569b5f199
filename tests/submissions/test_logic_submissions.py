"""Submitting under the form's logic: hidden answers refused, required-when enforced, computed
answers recomputed (a forged one refused, a missing one filled in), inside groups too."""

import uuid

import pytest

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.submissions.models import Submission
from lightapps.submissions.services import InvalidSubmission, submission_store
from tests.fixtures.logic import LOGIC_SCHEMA, LOGIC_UI

pytestmark = pytest.mark.django_db


@pytest.fixture
def logic_version(tree, people):
    app = light_app_create(
        key="site-logic",
        name="小型工地检查",
        owner_unit=tree["district"],
        schema=LOGIC_SCHEMA,
        ui=LOGIC_UI,
        flow={"template": "none"},
    )
    return light_app_publish(app=app, actor=people["designer"])


def _answers(**changes):
    data = {
        "site_name": "A",
        "has_hazard": True,
        "hazard_note": "围挡破损",
        "checks": ["围挡"],
        "hazards": [{"kind": "触电", "cost": 2, "voltage": 220}, {"kind": "高坠", "cost": 3.5}],
        "start": "2026-01-01",
        "end": "2026-01-31",
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _store(version, person, data):
    return submission_store(submission_id=uuid.uuid4(), version=version, reporter=person, data=data)


def _refusal(version, person, data) -> InvalidSubmission:
    with pytest.raises(InvalidSubmission) as caught:
        _store(version, person, data)
    assert Submission.objects.count() == 0
    return caught.value


def test_computed_answers_left_out_are_stored_as_the_server_computes_them(logic_version, people):
    # when
    submission, created = _store(logic_version, people["owner"], _answers())

    # then
    assert created
    stored = Submission.objects.get(pk=submission.pk).data
    assert stored["hazard_count"] == 2 and stored["total_cost"] == 5.5
    assert stored["risk"] == "中" and stored["days"] == 30
    assert [h["label"] for h in stored["hazards"]] == ["A-触电", "A-高坠"]


def test_computed_answers_sent_as_the_phone_computes_them_are_taken(logic_version, people):
    data = _answers(hazard_count=2, total_cost=5.5, risk="中", days=30.0)
    data["hazards"][0]["label"] = "A-触电"

    submission, _created = _store(logic_version, people["owner"], data)

    assert Submission.objects.get(pk=submission.pk).data["days"] == 30


def test_a_forged_computed_answer_is_refused_with_its_own_code(logic_version, people):
    data = _answers(risk="低")
    data["hazards"][1]["label"] = "别的"

    error = _refusal(logic_version, people["owner"], data)

    assert error.code == "computed_mismatch"
    assert error.fields == {
        "risk": ["“风险等级”由系统自动计算，应为“中”，不能修改"],
        "hazards[1].label": ["“标签”由系统自动计算，应为“A-高坠”，不能修改"],
    }


def test_an_answer_to_a_hidden_field_is_refused_and_a_hidden_required_field_is_not_asked(
    logic_version, people
):
    # given: no hazard, so 隐患说明 (required while shown) and 隐患 are hidden
    data = _answers(has_hazard=False, hazard_note=None, hazards=None)
    submission, _created = _store(logic_version, people["owner"], data)
    assert "hazard_note" not in Submission.objects.get(pk=submission.pk).data

    # when: answers to the hidden fields are sent all the same
    error = _refusal_after_clearing(logic_version, people, _answers(has_hazard=False))

    # then
    assert error.code == "invalid_submission"
    assert error.fields == {
        "hazard_note": ["按当前的填写，不应填写“隐患说明”"],
        "hazards": ["按当前的填写，不应填写“隐患”"],
    }


def _refusal_after_clearing(version, people, data):
    Submission.objects.all().delete()
    return _refusal(version, people["owner"], data)


def test_a_shown_field_required_while_shown_and_a_required_when_field_must_be_answered(
    logic_version, people
):
    error = _refusal(logic_version, people["owner"], _answers(hazard_note=None, checks=["用电"]))

    assert error.fields == {
        "hazard_note": ["请填写“隐患说明”"],
        "power_note": ["请填写“用电说明”"],
    }


def test_inside_a_repeated_group_each_item_has_its_own_conditions(logic_version, people):
    # 电压 is shown only in an item of kind 触电
    data = _answers()
    data["hazards"][1]["voltage"] = 380

    error = _refusal(logic_version, people["owner"], data)

    assert error.fields == {"hazards[1].voltage": ["按当前的填写，不应填写“电压”"]}


def test_a_computed_value_is_checked_against_the_fields_schema(tree, people):
    # given: 隐患数 must be at most 1
    schema = {**LOGIC_SCHEMA, "properties": dict(LOGIC_SCHEMA["properties"])}
    schema["properties"]["hazard_count"] = {**schema["properties"]["hazard_count"], "maximum": 1}
    app = light_app_create(
        key="site-max", name="上限", owner_unit=tree["district"], schema=schema, ui=LOGIC_UI,
        flow={"template": "none"},
    )  # fmt: skip
    version = light_app_publish(app=app, actor=people["designer"])

    error = _refusal(version, people["owner"], _answers())

    assert error.fields == {"hazard_count": ["“隐患数”不能大于 1"]}


def test_a_resend_without_the_computed_answers_is_the_same_report(logic_version, people):
    submission_id = uuid.uuid4()
    first, created = submission_store(
        submission_id=submission_id, version=logic_version, reporter=people["owner"],
        data=_answers(),
    )  # fmt: skip
    again, created_again = submission_store(
        submission_id=submission_id, version=logic_version, reporter=people["owner"],
        data=_answers(),
    )  # fmt: skip
    assert (created, created_again, again.pk) == (True, False, first.pk)
