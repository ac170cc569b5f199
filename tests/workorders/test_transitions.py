"""The one transition service: every step allowed for the right person and refused otherwise."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from lightapps.definitions.flows import CLOSED_LOOP, transition_for
from lightapps.errors import Conflict, DomainError, NotFound
from lightapps.workorders.live import unit_group
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.steps import allowed_transitions

LOOP = [
    ("file", "dispatcher", "filed"),
    ("dispatch", "dispatcher", "dispatched"),
    ("handle", "handler", "handled"),
    ("rework", "supervisor", "dispatched"),
    ("handle", "handler", "handled"),
    ("verify", "supervisor", "verified"),
    ("close", "supervisor", "closed"),
]


def test_the_whole_closed_loop_writes_one_event_per_step(make_order, people):
    # given
    order = make_order(people["owner"])

    # when
    for action, who, expected in LOOP:
        order = work_order_transition(
            order=order, action=action, actor=people[who], note=f"{action} 说明"
        )
        # then
        assert order.state == expected

    events = list(
        WorkOrderEvent.objects.filter(order=order).values_list("action", "from_state", "to_state")
    )
    assert events == [
        ("report", "", "reported"),
        ("file", "reported", "filed"),
        ("dispatch", "filed", "dispatched"),
        ("handle", "dispatched", "handled"),
        ("rework", "handled", "dispatched"),
        ("handle", "dispatched", "handled"),
        ("verify", "handled", "verified"),
        ("close", "verified", "closed"),
    ]
    order.refresh_from_db()
    assert order.closed_at is not None
    assert order.assignee == people["handler"]


def _advance(order, people, steps):
    for action, who, _expected in LOOP[:steps]:
        order = work_order_transition(order=order, action=action, actor=people[who], note="说明")
    return order


@pytest.mark.parametrize(
    ("steps", "action", "who"),
    [
        (0, "file", "handler"),
        (0, "file", "owner"),
        (0, "dispatch", "dispatcher"),
        (1, "dispatch", "supervisor"),
        (2, "handle", "dispatcher"),
        (3, "verify", "handler"),
        (3, "rework", "dispatcher"),
        (2, "send_back", "dispatcher"),
        (2, "request_extension", "supervisor"),
        (2, "suspend", "handler"),
        (5, "close", "handler"),
    ],
)
def test_wrong_role_or_state_is_refused_and_changes_nothing(make_order, people, steps, action, who):
    # given
    order = _advance(make_order(people["owner"]), people, steps)
    before_state = WorkOrder.objects.get(pk=order.pk).state
    before_events = WorkOrderEvent.objects.count()

    # when
    with pytest.raises(DomainError) as caught:
        work_order_transition(order=order, action=action, actor=people[who], note="说明")

    # then: the wrong state is named first (the actor saw an old page); else the wrong role
    wrong_state = transition_for(CLOSED_LOOP, action)["from"] != before_state
    assert caught.value.code == ("stale_state" if wrong_state else "not_allowed")
    assert WorkOrder.objects.get(pk=order.pk).state == before_state
    assert WorkOrderEvent.objects.count() == before_events


def test_outsider_gets_not_found_not_forbidden(make_order, people):
    order = make_order(people["owner"])
    for who in ("outsider", "smr_supervisor"):
        with pytest.raises(NotFound):
            work_order_transition(order=order, action="file", actor=people[who])
    assert WorkOrder.objects.get(pk=order.pk).state == "reported"


def test_stale_expected_state_is_a_conflict(make_order, people):
    # given: two dispatchers looked at the order while it was 待立案; one filed it
    order = make_order(people["owner"])
    work_order_transition(order=order, action="file", actor=people["dispatcher"])

    # when / then: the second press of 立案 is refused as stale
    with pytest.raises(Conflict) as caught:
        work_order_transition(
            order=order, action="file", actor=people["dispatcher"], expected_state="reported"
        )
    assert caught.value.code == "stale_state"
    assert "已变化" in caught.value.message
    assert WorkOrderEvent.objects.filter(order=order, action="file").count() == 1


def test_every_step_adds_one_to_the_version_self_loops_included(make_order, people, tree):
    # given: a new order is version 1
    order = make_order(people["owner"])
    assert order.version == 1

    # when: 立案, 派遣, then 改派 (a step that keeps the state)
    for action, extra in [
        ("file", {}),
        ("dispatch", {}),
        ("reassign", {"note": "换人", "target_unit": tree["jny_grid1"].pk}),
    ]:
        order = work_order_transition(
            order=order, action=action, actor=people["dispatcher"], **extra
        )

    # then
    assert (order.state, order.version) == ("dispatched", 4)
    assert WorkOrder.objects.get(pk=order.pk).version == 4


def test_stale_expected_version_on_a_normal_step_is_a_conflict(make_order, people):
    # given: the supervisor saw version 1; a dispatcher 立案 meanwhile
    order = make_order(people["owner"])
    work_order_transition(order=order, action="file", actor=people["dispatcher"])

    # when / then: a step allowed in the new state, with the old version, is refused
    with pytest.raises(Conflict) as caught:
        work_order_transition(
            order=order, action="dispatch", actor=people["dispatcher"], expected_version=1
        )
    assert caught.value.code == "stale_state"
    fresh = WorkOrder.objects.get(pk=order.pk)
    assert (fresh.state, fresh.version) == ("filed", 2)
    assert not WorkOrderEvent.objects.filter(order=order, action="dispatch").exists()


def test_a_self_loop_after_the_same_self_loop_is_stale(make_order, people):
    # given: 不是重复 pressed once with the version seen
    order = make_order(people["owner"])
    seen = {"expected_state": "reported", "expected_version": order.version}
    work_order_transition(order=order, action="keep_separate", actor=people["dispatcher"], **seen)

    # when / then: the same press again (same state, same version seen) is refused
    with pytest.raises(Conflict) as caught:
        work_order_transition(
            order=order, action="keep_separate", actor=people["supervisor"], **seen
        )
    assert caught.value.code == "stale_state"
    assert WorkOrderEvent.objects.filter(order=order, action="keep_separate").count() == 1


def test_a_self_loop_guarded_by_the_state_alone_asks_for_the_version(make_order, people):
    # given
    order = make_order(people["owner"])

    # when / then: the state cannot tell two presses of 不是重复 apart, so it is not enough
    with pytest.raises(DomainError) as caught:
        work_order_transition(
            order=order,
            action="keep_separate",
            actor=people["dispatcher"],
            expected_state="reported",
        )
    assert (caught.value.code, caught.value.status) == ("version_required", 400)
    assert set(caught.value.fields) == {"expected_version"}
    assert WorkOrder.objects.get(pk=order.pk).version == 1
    assert not WorkOrderEvent.objects.filter(order=order, action="keep_separate").exists()


def test_note_required_for_rework(make_order, people):
    order = _advance(make_order(people["owner"]), people, 3)
    with pytest.raises(DomainError) as caught:
        work_order_transition(order=order, action="rework", actor=people["supervisor"], note="  ")
    assert caught.value.code == "note_required"
    assert caught.value.fields == {"note": ["请填写说明"]}
    assert WorkOrder.objects.get(pk=order.pk).state == "handled"


def test_unknown_action_is_refused(make_order, people):
    order = make_order(people["owner"])
    with pytest.raises(DomainError) as caught:
        work_order_transition(order=order, action="explode", actor=people["supervisor"])
    assert caught.value.code == "unknown_action"


def test_allowed_transitions_follow_role_and_state(make_order, people):
    order = make_order(people["owner"])
    assert [t["action"] for t in allowed_transitions(order=order, person=people["dispatcher"])] == [
        "file",
        "reject",
        "merge",
        "keep_separate",
    ]
    assert allowed_transitions(order=order, person=people["handler"]) == []
    assert allowed_transitions(order=order, person=people["smr_supervisor"]) == []


def test_transition_broadcasts_only_after_commit(
    make_order, people, django_capture_on_commit_callbacks
):
    order = make_order(people["owner"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        work_order_transition(order=order, action="file", actor=people["dispatcher"])
    assert len(callbacks) == 1


def test_step_is_broadcast_to_the_street_and_not_the_next(
    make_order, people, tree, django_capture_on_commit_callbacks, settings, eager_tasks
):
    # given: two consoles listening, one on each street (the in-memory layer, in this process)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    jny = async_to_sync(layer.new_channel)()
    smr = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(unit_group(tree["jny"].pk), jny)
    async_to_sync(layer.group_add)(unit_group(tree["smr"].pk), smr)
    order = make_order(people["owner"])

    async def receive_within_5s(channel):
        return await asyncio.wait_for(layer.receive(channel), 5)

    receive = async_to_sync(receive_within_5s)
    receive(jny)  # the 上报 step

    # when
    with django_capture_on_commit_callbacks(execute=True):
        work_order_transition(order=order, action="file", actor=people["dispatcher"])

    # then
    message = receive(jny)
    assert message == {
        "type": "work_order.event",
        "event": order.events.get(action="file").pk,
        "order": order.pk,
        "number": order.number,
        "state": "filed",
        "action": "file",
    }
    with pytest.raises(asyncio.TimeoutError):
        async_to_sync(asyncio.wait_for)(layer.receive(smr), 0.05)


def test_a_step_is_broadcast_to_the_department_it_was_routed_to(
    flow_version,
    submit,
    people,
    tree,
    fgj_handler,
    django_capture_on_commit_callbacks,
    settings,
    eager_tasks,
):
    # given: a console of 房管局 listening, and a report routed there by subject
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    fgj, smr = async_to_sync(layer.new_channel)(), async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(unit_group(tree["fgj"].pk), fgj)
    async_to_sync(layer.group_add)(unit_group(tree["smr"].pk), smr)
    routed = {"template": "closed_loop", "routing": [
        {"by": "subject", "field": "hazards[].kind", "map": {"tile": "T-FGJ"}}]}  # fmt: skip
    # when
    order = submit(people["owner"], flow_version(routed), kind="tile").work_order
    # then: the department hears of it (it sees the order), the next street does not
    message = async_to_sync(asyncio.wait_for)(layer.receive(fgj), 5)
    assert (message["order"], message["action"]) == (order.pk, "report")
    with pytest.raises(asyncio.TimeoutError):
        async_to_sync(asyncio.wait_for)(layer.receive(smr), 0.05)
