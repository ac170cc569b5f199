"""One presenter and one parser of a step for the phone, the console and the API."""

import pytest
from django.http import QueryDict

from lightapps.errors import DomainError
from lightapps.workorders.models import WorkOrderEvent
from lightapps.workorders.steps import step_actions, step_input_parse
from tests.workorders.conftest import take


def test_a_form_post_and_an_api_body_parse_to_the_same_arguments():
    # given the same step as the console's form sends it and as an API client sends it
    form = QueryDict(mutable=True)
    form.update({"action": "request_extension", "note": "材料未到", "expected_state": "dispatched"})
    form.update({"expected_version": "3"})
    form.update({"extension_amount": "2", "extension_unit": "workday", "target_unit": "7"})
    form.setlist("photos", ["a", "b"])
    body = {
        "action": "request_extension",
        "note": "材料未到",
        "expected_state": "dispatched",
        "expected_version": 3,
        "extension": {"amount": "2", "unit": "workday"},
        "target_unit": 7,
        "photos": ["a", "b"],
    }
    # then
    assert (
        step_input_parse(form)
        == step_input_parse(body)
        == {
            "action": "request_extension",
            "note": "材料未到",
            "expected_state": "dispatched",
            "expected_version": 3,
            "target_unit": 7,
            "extension": {"amount": "2", "unit": "workday"},
            "target_order": None,
            "photos": ["a", "b"],
        }
    )


def test_a_post_with_only_an_action_parses_to_nothing_else_given():
    assert step_input_parse(QueryDict("action=file")) == {
        "action": "file",
        "note": "",
        "expected_state": None,
        "expected_version": None,
        "target_unit": None,
        "extension": None,
        "target_order": None,
        "photos": [],
    }


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        ({"action": ["file"], "note": {"a": 1}}, {"action", "note"}),
        ({"action": "dispatch", "target_unit": "第3网格"}, {"target_unit"}),
        ({"action": "dispatch", "target_unit": True}, {"target_unit"}),
        ({"action": "merge", "target_order": 1.5}, {"target_order"}),
        ({"action": "request_extension", "extension": "2 days"}, {"extension"}),
        ({"action": "handle", "photos": "abc"}, {"photos"}),
        ({"action": "handle", "photos": [1, 2]}, {"photos"}),
        ({"action": "handle", "photos": ["x"] * 10}, {"photos"}),
        ({"action": "file", "expected_state": 3}, {"expected_state"}),
        ({"action": "file", "expected_version": "三"}, {"expected_version"}),
        ({"action": "file", "expected_version": True}, {"expected_version"}),
    ],
)
def test_wrong_types_are_refused_naming_each_field(raw, fields):
    with pytest.raises(DomainError) as caught:
        step_input_parse(raw)
    assert caught.value.code == "invalid"
    assert set(caught.value.fields) == fields


def test_the_console_refuses_a_unit_that_is_not_a_number_and_changes_nothing(
    client, make_order, people
):
    # given an order waiting for 派遣
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    client.force_login(people["dispatcher"])
    # when the posted unit is garbage (before, it silently fell back to the routed unit)
    response = client.post(
        f"/console/work-orders/{order.pk}/act/", {"action": "dispatch", "target_unit": "abc"}
    )
    # then
    assert response.status_code == 400
    assert "必须是整数" in response.content.decode()
    order.refresh_from_db()
    assert order.state == "filed"
    assert not WorkOrderEvent.objects.filter(order=order, action="dispatch").exists()


def test_steps_say_the_same_to_every_face(make_order, people):
    # given a handled order: the supervisor may verify (forward) or send back for rework
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"])
    order = take(order, "handle", people["handler"])
    # when
    steps = step_actions(order=order, person=people["supervisor"])
    # then
    assert [
        (s["action"], s["to"], s["needs_note"], s["photos"], s["backward"], s["primary"])
        for s in steps
    ] == [
        ("verify", "待结案", False, True, False, True),
        ("rework", "待处置", True, True, True, False),
    ]
    assert step_actions(order=order, person=people["smr_supervisor"]) == []


def test_duplicate_decisions_are_marked_and_never_the_main_button(make_order, people):
    order = make_order(people["owner"])
    steps = {s["action"]: s for s in step_actions(order=order, person=people["dispatcher"])}
    assert {a for a, s in steps.items() if s["duplicates"]} == {"merge", "keep_separate"}
    assert [a for a, s in steps.items() if s["primary"]] == ["file"]
    assert steps["merge"]["needs_target_order"] is True


def test_a_step_without_an_action_names_the_field():
    with pytest.raises(DomainError) as caught:
        step_input_parse({"note": "好了"})
    assert (caught.value.code, caught.value.fields) == (
        "invalid",
        {"action": ["请选择要办理的操作"]},
    )


@pytest.mark.parametrize(
    ("amount", "code"),
    [("1e400", "parse_error"), ("-1", "bad_extension"), ("0", "bad_extension"),
     ("31", "bad_extension"), ('"2.5"', "bad_extension"), ("null", "bad_extension"),
     ("[2]", "bad_extension"), ("Infinity", "parse_error"), ("NaN", "parse_error")],
)  # fmt: skip
def test_an_extension_of_no_sensible_length_is_refused_clearly(
    client, make_order, people, amount, code
):
    # given an order being handled
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"])
    client.force_login(people["handler"])
    body = (
        '{"action": "request_extension", "note": "等材料", '
        f'"extension": {{"amount": {amount}, "unit": "workday"}}}}'
    )
    # when (as a client may write it: NaN and Infinity are not JSON; 1e400 is, but no float)
    response = client.post(
        f"/api/work-orders/{order.pk}/actions/", body, content_type="application/json"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (400, code)
    order.refresh_from_db()
    assert order.state == "dispatched"


def test_the_phone_says_next_to_the_field_what_was_wrong_with_an_extension(
    client, make_order, people
):
    # given an order the handler is working on
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"])
    client.force_login(people["handler"])
    # when the length is out of range
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "request_extension", "note": "等材料", "extension_amount": "99",
         "extension_unit": "workday"},
    )  # fmt: skip
    # then the message stands under the length, and nothing changed
    assert response.status_code == 400
    html = response.content.decode()
    message = "延期时长必须是 1 到 30 个工作日，或相应的工作小时"
    assert html.rindex(message) > html.index('id="extension_amount"')
    assert 'id="extension_amount" inputmode="numeric" value="99"' in html  # kept to correct
    assert "等材料" in html
    order.refresh_from_db()
    assert order.state == "dispatched"
