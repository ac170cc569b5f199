"""The new inputs on every face: target unit (派遣/改派) and extension length, console, phone, API."""

from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.workorders.conftest import take


def _filed(make_order, people):
    return take(make_order(people["owner"]), "file", people["dispatcher"])


def test_console_dispatch_form_offers_units_within_reach_and_sends_to_the_chosen_one(
    client, make_order, people, tree
):
    # given
    order = _filed(make_order, people)
    client.force_login(people["dispatcher"])

    # when
    page = client.get(f"/console/work-orders/{order.pk}/")
    html = page.content.decode()

    # then: the street, its grids and the district's departments; nothing of the next street
    offered = [t["pk"] for t in page.context["targets"]]
    assert set(offered) == {
        tree["jny"].pk,
        tree["jny_grid1"].pk,
        tree["jny_grid2"].pk,
        tree["fgj"].pk,
    }
    assert 'name="target_unit"' in html
    assert f'<option value="{tree["jny"].pk}" selected>' in html  # the routed unit first choice

    # when: sent to 房管局
    response = client.post(
        f"/console/work-orders/{order.pk}/act/",
        {"action": "dispatch", "target_unit": tree["fgj"].pk, "expected_state": "filed"},
    )

    # then
    assert response.status_code == 302
    assert WorkOrder.objects.get(pk=order.pk).assignee_unit == tree["fgj"]


def test_console_refuses_a_unit_out_of_reach_and_changes_nothing(client, make_order, people, tree):
    order = _filed(make_order, people)
    client.force_login(people["dispatcher"])

    response = client.post(
        f"/console/work-orders/{order.pk}/act/",
        {"action": "dispatch", "target_unit": tree["smr_grid1"].pk, "expected_state": "filed"},
    )

    assert response.status_code == 400
    assert "不能派往该单位" in response.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).state == "filed"


def test_phone_extension_request_with_a_length(client, make_order, people):
    # given: dispatched to the street; the handler on the phone
    order = take(_filed(make_order, people), "dispatch", people["dispatcher"])
    client.force_login(people["handler"])
    page = client.get(f"/m/work-orders/{order.pk}/").content.decode()
    assert 'name="extension_amount"' in page

    # when: a length that is too long, then a good one
    bad = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "request_extension", "note": "需要脚手架", "extension_amount": "99",
         "extension_unit": "workday", "expected_state": "dispatched",
         "expected_version": order.version},
    )  # fmt: skip
    good = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "request_extension", "note": "需要脚手架", "extension_amount": "2",
         "extension_unit": "workday", "expected_state": "dispatched",
         "expected_version": order.version},
    )  # fmt: skip

    # then
    assert bad.status_code == 400
    assert "延期时长必须是 1 到 30 个工作日" in bad.content.decode()
    assert good.status_code == 302
    step = WorkOrderEvent.objects.get(order=order, action="request_extension")
    assert step.data == {"extension": {"amount": 2, "unit": "workday"}}


def test_api_actions_take_the_new_inputs_and_answer_in_the_error_shape(
    client, make_order, people, tree
):
    # given
    order = _filed(make_order, people)
    client.force_login(people["dispatcher"])
    url = f"/api/work-orders/{order.pk}/actions/"

    # when
    refused = client.post(
        url,
        {"action": "dispatch", "target_unit": tree["smr_grid1"].pk},
        content_type="application/json",
    )
    done = client.post(
        url,
        {"action": "dispatch", "target_unit": tree["jny_grid2"].pk},
        content_type="application/json",
    )

    # then
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "bad_target_unit",
        "message": "不能派往该单位",
        "fields": {"target_unit": ["不能派往该单位"]},
    }
    assert done.status_code == 200
    body = done.json()
    assert (body["state"], body["assignee_unit"]) == ("dispatched", tree["jny_grid2"].pk)
    assert body["time_left"]["working"] is True
    assert body["events"][-1]["data"] == {"target_unit": tree["jny_grid2"].pk}


def test_console_counts_and_filters_the_states_of_the_short_flow(
    client, flow_version, submit, people
):
    # given: a 简易审核 order done, and a closed-loop order still to file
    short = submit(people["owner"], flow_version({"template": "short_review"})).work_order
    take(short, "review", people["supervisor"])
    loop = submit(people["owner"], flow_version()).work_order
    client.force_login(people["supervisor"])

    # when
    everything = client.get("/console/")
    done = client.get("/console/", {"state": "reviewed"})

    # then: 已完成 has its counter and its filter, and shows only the reviewed order
    counters = {c["state"]: (c["label"], c["n"]) for c in everything.context["counters"]}
    assert counters["reviewed"] == ("已完成", 1)
    assert counters["reported"] == ("待立案", 1)
    assert ("reviewed", "已完成") in everything.context["states"]
    assert done.context["selected"]["state"] == "reviewed"
    assert [o.pk for o in done.context["rows"]] == [short.pk]
    assert loop.number not in done.content.decode()


def test_console_shows_no_counter_for_a_short_flow_state_nobody_has(client, make_order, people):
    make_order(people["owner"])
    client.force_login(people["supervisor"])

    response = client.get("/console/")

    assert "reviewed" not in {c["state"] for c in response.context["counters"]}
    assert ("reviewed", "已完成") in response.context["states"]
