"""Flows as data: the shipped templates, checks at publish, and every edge allowed and refused."""

import pytest

from lightapps.definitions.dialect.flow_checks import flow_problems
from lightapps.definitions.flows import (
    CLOSED_LOOP,
    FLOW_TEMPLATES,
    PLACES,
    REQUIREMENTS,
    ROLES,
    SHORT_REVIEW,
    flow_opens_order,
)
from lightapps.errors import DomainError, NotFound
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.steps import allowed_transitions
from tests.workorders.conftest import PATHS, take

FIELDS = {
    "hazard_found": {"name": "hazard_found", "kind": "boolean"},
    "hazards": {
        "name": "hazards",
        "kind": "group",
        "fields": [{"name": "kind", "kind": "select"}, {"name": "severity", "kind": "radio"}],
    },
}


def template_problems(template: dict) -> list[str]:
    """Internal consistency of a shipped template; its limits go through the publish check."""
    states = template["states"]
    problems = []
    if template["initial"] not in states:
        problems.append(f"initial {template['initial']} not a state")
    for t in template["transitions"]:
        for end in ("from", "to"):
            if t[end] not in states:
                problems.append(f"{t['action']}: {end} {t[end]} not a state")
        if not set(t.get("requires", [])) <= REQUIREMENTS:
            problems.append(f"{t['action']}: unknown requirement")
        if t.get("at", "place") not in PLACES:
            problems.append(f"{t['action']}: unknown place")
        if not set(t["roles"]) <= ROLES:
            problems.append(f"{t['action']}: unknown role")
    limits = {n: i["limit"] for n, i in states.items() if isinstance(i.get("limit"), dict)}
    flow = {"template": template["key"], "time_limits": limits}
    problems += [p["pointer"] for p in flow_problems(flow, fields={})]
    return problems


def known_units(code: str) -> bool:
    return code in {"D-FGJ", "D-CGZF"}


@pytest.mark.parametrize("template", list(FLOW_TEMPLATES.values()), ids=list(FLOW_TEMPLATES))
def test_shipped_templates_are_consistent(template):
    assert template_problems(template) == []


def test_closed_loop_has_the_side_paths_of_the_issue():
    # then: 退回/返工, 改派, 延期 request + approval, 挂起/恢复, 不予立案, and 核查 before 结案
    edges = {(t["action"], t["from"], t["to"]) for t in CLOSED_LOOP["transitions"]}
    assert {
        ("send_back", "dispatched", "filed"),
        ("rework", "handled", "dispatched"),
        ("reassign", "dispatched", "dispatched"),
        ("request_extension", "dispatched", "extension_requested"),
        ("approve_extension", "extension_requested", "dispatched"),
        ("reject_extension", "extension_requested", "dispatched"),
        ("suspend", "dispatched", "suspended"),
        ("resume", "suspended", "dispatched"),
        ("reject", "reported", "rejected"),
        ("close", "verified", "closed"),
    } <= edges
    into_closed = [t for t in CLOSED_LOOP["transitions"] if t["to"] == "closed"]
    assert [t["from"] for t in into_closed] == ["verified"]
    assert [(t["action"], t["from"], t["to"]) for t in SHORT_REVIEW["transitions"]] == [
        ("review", "reported", "reviewed"),
        ("reject", "reported", "rejected"),
    ]


def test_a_good_flow_has_no_problems():
    flow = {
        "template": "closed_loop",
        "open_when": {"field": "hazard_found", "equals": True},
        "routing": [
            {"by": "subject", "field": "hazards[].kind", "map": {"tile": "D-FGJ"}},
            {"by": "place"},
            {"by": "unit", "unit": "D-CGZF"},
        ],
        "time_limits": {"dispatched": {"amount": 3, "unit": "workday"}},
        "priority": "urgent",
        "duplicates": {"within_m": 50, "days": 7},
    }
    assert flow_problems(flow, fields=FIELDS, unit_exists=known_units) == []
    assert flow_problems({"template": "none"}, fields=FIELDS, unit_exists=known_units) == []
    assert flow_problems({"template": "short_review"}, fields=FIELDS, unit_exists=known_units) == []


def test_every_problem_of_a_flow_is_named_by_its_json_pointer():
    # given
    flow = {
        "template": "closed_loop",
        "routing": [
            {"by": "subject", "field": "hazards[].colour", "map": {"tile": "D-NOPE"}},
            {"by": "unit", "unit": "D-GONE"},
            {"by": "weather"},
        ],
        "time_limits": {
            "dispatched": {"amount": 0, "unit": "fortnight"},
            "dreaming": {"amount": 1, "unit": "hour"},
        },
        "priority": "whenever",
        "duplicates": {"within_m": -5},
    }

    # when
    problems = flow_problems(flow, fields=FIELDS, unit_exists=known_units)

    # then
    assert [p["pointer"] for p in problems] == [
        "/flow/routing/0/field",
        "/flow/routing/0/map/tile",
        "/flow/routing/1/unit",
        "/flow/routing/2/by",
        "/flow/time_limits/dispatched/amount",
        "/flow/time_limits/dispatched/unit",
        "/flow/time_limits/dreaming",
        "/flow/priority",
        "/flow/duplicates/within_m",
    ]
    assert problems[0]["message"] == "派单规则引用了不存在的字段“hazards[].colour”"
    assert problems[2]["message"] == "派单单位“D-GONE”不存在"
    assert problems[6]["message"] == "流程中没有“dreaming”这一状态"


def test_publishing_a_flow_with_an_unknown_unit_is_refused(client, people, tree):
    # given: a designer's draft whose routing names a unit that does not exist
    from lightapps.definitions.services import light_app_create
    from tests.fixtures.definitions import SMALL_SCHEMA, SMALL_UI

    light_app_create(
        key="bad-flow",
        name="坏流程",
        owner_unit=tree["district"],
        schema=SMALL_SCHEMA,
        ui=SMALL_UI,
        flow={"template": "closed_loop", "routing": [{"by": "unit", "unit": "NOPE"}]},
    )
    client.force_login(people["designer"])

    # when
    response = client.post("/api/apps/bad-flow/publish/", {}, content_type="application/json")

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "definition_invalid"
    assert "/flow/routing/0/unit" in str(body)


@pytest.mark.parametrize(
    ("open_when", "data", "opens"),
    [
        (None, {}, True),
        ({"field": "hazard_found", "equals": True}, {"hazard_found": True}, True),
        ({"field": "hazard_found", "equals": True}, {"hazard_found": False}, False),
        ({"field": "level", "in": ["high", "urgent"]}, {"level": "urgent"}, True),
        ({"field": "level", "in": ["high", "urgent"]}, {"level": "low"}, False),
    ],
)
def test_the_opening_condition(open_when, data, opens):
    flow = {"template": "closed_loop"}
    if open_when:
        flow["open_when"] = open_when
    assert flow_opens_order(flow, data) is opens
    assert flow_opens_order({"template": "none"}, data) is False


# ---------------------------------------------------------------------------------------------
# Every edge of the closed loop: the right role at the right place may; others may not
# ---------------------------------------------------------------------------------------------

ROLE_PERSON = {"dispatcher": "dispatcher", "supervisor": "supervisor", "handler": "handler"}
OTHER_STREET = {
    "dispatcher": "smr_dispatcher",
    "supervisor": "smr_supervisor",
    "handler": "smr_handler",
}
EDGES = [t for t in CLOSED_LOOP["transitions"] if t["action"] not in {"merge"}]


def _extra(transition, tree):
    if transition["action"] == "reassign":
        return {"target_unit": tree["jny_grid1"].pk}
    return {}


@pytest.mark.parametrize("transition", EDGES, ids=[t["action"] for t in EDGES])
def test_each_edge_is_taken_by_its_role_at_its_place(
    make_order, people, smr_people, tree, transition
):
    # given
    order = make_order(people["owner"])
    for action, who in PATHS[transition["from"]]:
        order = take(order, action, people[who])
    actor = people[ROLE_PERSON[transition["roles"][0]]]

    # when
    changed = take(order, transition["action"], actor, **_extra(transition, tree))

    # then
    assert changed.state == transition["to"]
    last = WorkOrderEvent.objects.filter(order=order).last()
    assert (last.action, last.from_state, last.to_state, last.actor) == (
        transition["action"],
        transition["from"],
        transition["to"],
        actor,
    )


@pytest.mark.parametrize("transition", EDGES, ids=[t["action"] for t in EDGES])
def test_each_edge_is_refused_to_other_roles_and_other_places(
    make_order, people, smr_people, tree, transition
):
    # given
    order = make_order(people["owner"])
    for action, who in PATHS[transition["from"]]:
        order = take(order, action, people[who])
    everyone = {**people, **smr_people}
    wrong_roles = [
        who
        for who in ("owner", "colleague", "handler", "dispatcher", "supervisor")
        if who not in {ROLE_PERSON[r] for r in transition["roles"]}
    ]
    before = (order.state, WorkOrderEvent.objects.filter(order=order).count())

    for who in wrong_roles:
        # when / then: the wrong role, at the right place
        with pytest.raises(DomainError) as caught:
            take(order, transition["action"], everyone[who], **_extra(transition, tree))
        assert caught.value.code == "not_allowed", who
        assert transition not in allowed_transitions(order=order, person=everyone[who])
    for role in transition["roles"]:
        # when / then: the right role, in the next street: the order is not even there
        with pytest.raises(NotFound):
            take(
                order,
                transition["action"],
                everyone[OTHER_STREET[role]],
                **_extra(transition, tree),
            )

    # then: nothing changed
    order = WorkOrder.objects.get(pk=order.pk)
    assert (order.state, WorkOrderEvent.objects.filter(order=order).count()) == before


@pytest.mark.parametrize("transition", EDGES, ids=[t["action"] for t in EDGES])
def test_each_edge_is_refused_from_every_other_state(make_order, people, tree, transition):
    # given: the order in each state the edge does not start from
    for state in PATHS:
        if state == transition["from"]:
            continue
        order = make_order(people["owner"])
        for action, who in PATHS[state]:
            order = take(order, action, people[who])
        actor = people[ROLE_PERSON[transition["roles"][0]]]

        # when / then
        with pytest.raises(DomainError) as caught:
            take(order, transition["action"], actor, **_extra(transition, tree))
        assert caught.value.code == "stale_state"
        assert WorkOrder.objects.get(pk=order.pk).state == state


def test_the_short_flow_goes_from_submit_to_review_to_done(flow_version, submit, people):
    # given
    version = flow_version({"template": "short_review"})
    order = submit(people["owner"], version).work_order
    assert order.state == "reported"
    assert order.due_at is not None  # 审核 has its own limit (2 workdays)

    # when / then: a handler may not review; the supervisor may
    with pytest.raises(DomainError):
        take(order, "review", people["handler"])
    done = take(order, "review", people["supervisor"])
    assert done.state == "reviewed"
    assert done.closed_at is not None


def test_no_flow_keeps_the_submission_as_a_record(flow_version, submit, people):
    version = flow_version({"template": "none"})
    submission = submit(people["owner"], version)
    assert not WorkOrder.objects.filter(submission=submission).exists()
