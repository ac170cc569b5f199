"""The order's own copies of who may see it (assignee_path, reporter): written by the one place
that writes orders, filled for orders made before they existed, and what the scope uses."""

import importlib

import pytest
from django.db import connection

from lightapps.orgs.selectors import work_order_q
from lightapps.workorders.models import WorkOrder
from tests.workorders.conftest import take

migration = importlib.import_module("lightapps.workorders.migrations.0008_order_scope_columns")


def _copies(order):
    order.refresh_from_db()
    return order.assignee_path, order.reporter_id


def test_opening_and_every_step_that_moves_the_order_keep_the_copies(make_order, people, tree):
    # given an order reported by the grid worker, routed to its street
    order = make_order(people["owner"])
    assert _copies(order) == (order.assignee_unit.path, people["owner"].pk)
    assert order.assignee_path == tree["jny"].path

    # when it is dispatched to the 房管局, then reassigned to a grid of the street
    order = take(order, "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    assert _copies(order) == (tree["fgj"].path, people["owner"].pk)
    order = take(order, "reassign", people["dispatcher"], target_unit=tree["jny_grid2"].pk)

    # then the copy follows the assigned unit; the reporter never changes
    assert _copies(order) == (tree["jny_grid2"].path, people["owner"].pk)


def test_the_migration_fills_orders_made_before_the_columns(make_order, people, tree):
    # given orders whose copies are empty, as every order was before migration 0008
    orders = [make_order(people["owner"]), make_order(people["colleague"])]
    filed = take(orders[1], "file", people["dispatcher"])
    take(filed, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    WorkOrder.objects.update(assignee_path="", reporter=None)

    # when the migration's backfill runs
    with connection.cursor() as cursor:
        for statement in migration.BACKFILL:
            cursor.execute(statement)

    # then each order has its assigned unit's path and its submission's reporter again
    got = {o.pk: _copies(o) for o in orders}
    assert got == {
        orders[0].pk: (tree["jny"].path, people["owner"].pk),
        orders[1].pk: (tree["fgj"].path, people["colleague"].pk),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", {"own", "sent"}),  # a grid worker sees the street's
        ("handler", {"own", "sent"}),  # 江宁路's: both lie in 江宁路
        ("fgj_handler", {"sent"}),  # 房管局's: only the one dispatched to it
        ("smr_supervisor", set()),  # 石门二路's: neither
    ],
)
def test_the_scope_reads_the_copies(make_order, people, fgj_handler, tree, who, sees):
    # given the grid worker's order, and a colleague's dispatched to the 房管局 (its place stays
    # in 江宁路)
    own = make_order(people["owner"])
    sent = take(make_order(people["colleague"]), "file", people["dispatcher"])
    sent = take(sent, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    names = {own.pk: "own", sent.pk: "sent"}

    # when the person's scope is asked
    person = fgj_handler if who == "fgj_handler" else people[who]
    visible = WorkOrder.objects.filter(work_order_q(person)).values_list("pk", flat=True)

    # then
    assert {names[pk] for pk in visible} == sees
