"""The list's counters, counted over the disjoint parts of a person's scope, say what counting
the orders the person sees says: for each person, each filter, overlapping scopes included."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant
from lightapps.workorders.models import WorkOrder
from lightapps.workorders.selectors import work_order_list, work_order_state_counts
from tests.workorders.conftest import take


def naive(person, **filters):
    now = timezone.now()
    rows = list(work_order_list(person=person, **filters))
    overdue = Counter(o.state for o in rows if o.closed_at is None and o.due_at and o.due_at < now)
    return {
        state: {"state": state, "n": n, "overdue": overdue.get(state, 0)}
        for state, n in Counter(o.state for o in rows).items()
    }


@pytest.fixture
def world(make_order, people, tree, fgj_handler):
    """江宁路's orders in several states, one dispatched to the 房管局 and one past its
    deadline, and one 石门二路 order the outsider reported."""
    orders = [make_order(people["owner"]) for _ in range(3)]
    filed = take(orders[0], "file", people["dispatcher"])
    take(filed, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    take(orders[1], "file", people["dispatcher"])
    WorkOrder.objects.filter(pk=orders[2].pk).update(due_at=timezone.now() - timedelta(hours=1))
    outsider = make_order(people["outsider"])
    WorkOrder.objects.filter(pk=outsider.pk).update(
        org_unit=tree["smr_grid1"], org_path=tree["smr_grid1"].path
    )
    # Someone in two places whose scopes overlap on an order: 江宁路 and the 房管局.
    membership_grant(person=people["handler"], org_unit=tree["fgj"], role=Role.HANDLER)
    return {**people, "fgj_handler": fgj_handler}


@pytest.mark.parametrize(
    "who", ["owner", "outsider", "handler", "fgj_handler", "smr_supervisor", "designer"]
)
@pytest.mark.parametrize(
    "filters",
    [{}, {"state": "filed"}, {"due": "overdue"}, {"app": "facade-hazard"}, {"q": "外墙"}],
    ids=["none", "state", "due", "app", "search"],
)
def test_the_counters_count_what_the_person_sees(world, who, filters):
    # when / then
    assert work_order_state_counts(person=world[who], **filters) == naive(world[who], **filters)


def test_an_order_two_of_ones_scopes_reach_is_counted_once(world, tree):
    # given the order dispatched to the 房管局: in 江宁路 and assigned to the 房管局, both the
    # handler's
    counts = work_order_state_counts(person=world["handler"])
    # then it is one of the handler's three orders
    assert sum(row["n"] for row in counts.values()) == 3
    assert counts["dispatched"]["n"] == 1


def test_the_counters_of_someone_signed_out_are_empty(world):
    from django.contrib.auth.models import AnonymousUser

    assert work_order_state_counts(person=AnonymousUser()) == {}
