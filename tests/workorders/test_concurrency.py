"""Two people pressing the same button at once: one success, one clear "already changed"."""

import threading

import pytest
from django.db import connection, connections

from lightapps.errors import Conflict
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.services import work_order_transition

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks across connections (SQLite test DB is one shared in-memory file)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_close_gives_one_success_and_one_conflict(make_order, people):
    # given: an order waiting for 结案, seen by the supervisor and the dispatcher
    order = make_order(people["owner"])
    for action, who in [
        ("file", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("handle", "handler"),
        ("verify", "supervisor"),
    ]:
        order = work_order_transition(order=order, action=action, actor=people[who], note="说明")
    barrier = threading.Barrier(2)
    outcomes = []

    def press(who):
        try:
            barrier.wait()
            work_order_transition(
                order=order, action="close", actor=people[who], expected_state="verified"
            )
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=press, args=(w,)) for w in ("supervisor", "dispatcher")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    # then
    assert sorted(outcomes) == ["ok", "stale_state"]
    assert WorkOrder.objects.get(pk=order.pk).state == "closed"
    assert WorkOrderEvent.objects.filter(order=order, action="close").count() == 1
