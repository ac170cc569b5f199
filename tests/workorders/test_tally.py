"""The orders' tally (WorkOrderTally, workorders.0014) and the reports' (SubmissionTally,
submissions.0004), kept by the database's triggers (lightapps.tallies), hold at every moment
what counting the rows says — through the services' steps (report, route, file, dispatch to a
department, reassign, handle, close, merge), bulk updates and deletes, and the migrations'
fill — and the counters that read them say what counting the orders says."""

import importlib
from collections import Counter

import pytest
from django.db import connection

from lightapps.submissions.models import Attachment, Submission, SubmissionTally
from lightapps.workorders.models import WorkOrder, WorkOrderEvent, WorkOrderTally
from lightapps.workorders.selectors import work_order_list, work_order_state_counts
from tests.workorders.conftest import take

migration = importlib.import_module("lightapps.workorders.migrations.0014_order_tally")
reports_migration = importlib.import_module("lightapps.submissions.migrations.0004_report_tally")
KEY = ("org_path", "assignee_path", "app_id", "state")
REPORT_KEY = ("app_id", "version_id", "place_path", "assignee_path")


def counted(model=WorkOrder, key=KEY) -> Counter:
    """The rows counted per tally key: what the tally must hold."""
    return Counter(model.objects.values_list(*key))


def tallied(model=WorkOrderTally, key=KEY) -> Counter:
    """The tally, its empty rows left out (a key every row left keeps its row at 0)."""
    rows = model.objects.values_list(*key, "n")
    assert all(n >= 0 for *_, n in rows), rows
    return Counter({tuple(k): n for *k, n in rows if n})


def reports_counted() -> Counter:
    return counted(Submission, REPORT_KEY)


def reports_tallied() -> Counter:
    return tallied(SubmissionTally, REPORT_KEY)


@pytest.fixture
def orders(make_order, people, tree, walk):
    """江宁路's orders along the loop: one each reported, filed, dispatched to the 房管局, handled
    and closed, and one merged into another."""
    made = {state: walk(make_order(people["owner"]), state) for state in ("filed", "handled")}
    made["reported"] = make_order(people["owner"])
    dispatched = take(make_order(people["owner"]), "file", people["dispatcher"])
    made["fgj"] = take(dispatched, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    verified = walk(make_order(people["owner"]), "verified")
    made["closed"] = take(verified, "close", people["supervisor"])
    target = make_order(people["owner"])
    made["merged"] = take(
        make_order(people["owner"]), "merge", people["dispatcher"], target_order=target
    )
    return made


def test_the_tally_is_the_orders_counted_after_every_step(orders, people, tree):
    # then after opening, routing and the steps of the fixture
    assert tallied() == counted()
    assert sum(tallied().values()) == WorkOrder.objects.count() == 7
    assert tallied()[(orders["fgj"].org_path, tree["fgj"].path, orders["fgj"].app_id, "dispatched")]

    # when the order at the 房管局 is reassigned to a grid of the street, and another handled
    take(orders["fgj"], "reassign", people["dispatcher"], target_unit=tree["jny_grid2"].pk)
    take(orders["filed"], "dispatch", people["dispatcher"])
    # then the tallies followed
    assert tallied() == counted()
    assert reports_tallied() == reports_counted()
    assert sum(reports_tallied().values()) == Submission.objects.count() == 7


def test_bulk_updates_and_deletes_are_tallied_too(orders, tree):
    # when orders are moved by a queryset update (as a data fix would), one of them to the same
    # values (no change), and one is deleted
    WorkOrder.objects.filter(state="reported").update(
        org_unit=tree["smr_grid1"], org_path=tree["smr_grid1"].path
    )
    WorkOrder.objects.filter(state="filed").update(state="filed")
    gone = orders["closed"]
    WorkOrderEvent.objects.filter(order=gone).delete()
    WorkOrder.objects.filter(pk=gone.pk).delete()
    Attachment.objects.filter(submission_id=gone.submission_id).delete()
    Submission.objects.filter(pk=gone.submission_id).delete()
    Submission.objects.filter(work_order__state="filed").update(place_path=tree["smr"].path)
    # then the tallies are still the rows counted
    assert tallied() == counted()
    assert reports_tallied() == reports_counted()


def test_the_migration_fills_the_tally_from_the_orders_there(orders):
    # given tallies lost (as before workorders.0014 and submissions.0004)
    expected, reports_expected = counted(), reports_counted()
    WorkOrderTally.objects.all().delete()
    SubmissionTally.objects.all().delete()
    # when the migrations' fills run
    with connection.cursor() as cursor:
        fills = [m.TALLY.fill_sql(connection.vendor) for m in (migration, reports_migration)]
        for statement in fills[0] + fills[1]:
            cursor.execute(statement)
    # then they hold the rows counted
    assert tallied() == expected
    assert reports_tallied() == reports_expected


@pytest.mark.parametrize(
    "table, name",
    [
        ("workorders_workorder", "workorders_tally"),
        ("submissions_submission", "submissions_tally"),
        ("submissions_submission", "submissions_report_days"),  # test_step_days.py's
        ("workorders_workorderevent", "workorders_step_days"),
    ],
)
def test_the_triggers_are_in_place(db, table, name):
    # (a migration that remakes the table on SQLite drops them: it must make them again)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        names = {row[0] for row in cursor.fetchall()}
    expected = {"postgresql": 2, "sqlite": 3}[connection.vendor]
    assert len({n for n in names if n.startswith(name)}) == expected, names


def naive(person, **filters):
    return Counter(o.state for o in work_order_list(person=person, **filters))


@pytest.mark.parametrize(
    "who", ["owner", "supervisor", "handler", "fgj_handler", "smr_supervisor", "designer"]
)
@pytest.mark.parametrize(
    "filters",
    [{}, {"state": "dispatched"}, {"app": "small-form"}, {"org_unit": "jny_grid1"},
     {"under": "fgj"}, {"under": "smr"}],
    ids=["none", "state", "app", "org_unit", "under", "under-elsewhere"],
)  # fmt: skip
def test_the_counters_read_from_the_tally_count_what_the_person_sees(
    orders, people, tree, fgj_handler, who, filters
):
    # given the person and a filter the tally follows
    person = {**people, "fgj_handler": fgj_handler}[who]
    filters = {k: tree[v].pk if k in ("org_unit", "under") else v for k, v in filters.items()}
    if "app" in filters:
        filters["app"] = orders["reported"].app.key
    # when the counters are read
    counts = work_order_state_counts(person=person, **filters)
    # then they are the orders the person's list holds, per state
    assert {s: row["n"] for s, row in counts.items() if row["n"]} == naive(person, **filters)
