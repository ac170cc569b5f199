"""A report's own copies of who may see it (place_path, assignee_path): written before its insert
by report_submit and after every step that moves its order, filled for reports made before them
(submissions.0002), what report_q reads — the same reports as the rule spelled over the joins
it replaced — and what 上报数据's count adds up over the rule's disjoint parts. And a step's
copies of its order's scope (workorders.0012), which the figures read."""

import importlib
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from lightapps.orgs.selectors import report_q, scope_paths
from lightapps.submissions.data import (
    DataFilters,
    submissions_for_data,
    submissions_for_data_count,
)
from lightapps.submissions.models import Submission
from lightapps.submissions.selectors import report_place
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.workorders.conftest import INSIDE_SMR_GRID1, OUTSIDE_ALL, take

migration = importlib.import_module("lightapps.submissions.migrations.0002_report_scope_columns")
steps_migration = importlib.import_module(
    "lightapps.workorders.migrations.0012_event_scope_columns"
)
opened_migration = importlib.import_module(
    "lightapps.submissions.migrations.0006_report_has_work_order"
)


def _copies(submission):
    submission.refresh_from_db()
    return submission.place_path, submission.assignee_path


def _expected(submission) -> tuple[str, str]:
    """What the copies must hold, from the rows they copy: the report's place (report_place) and
    its order's assigned unit."""
    order = getattr(submission, "work_order", None)
    return report_place(submission).path, order.assignee_path if order else ""


def _sees_by_joins(person, submission) -> bool:
    """report_q as it was spelled before the copies: through the order and the units."""
    paths = scope_paths(person)
    under = lambda path: any(path.startswith(p) for p in paths)  # noqa: E731
    if submission.reporter_id == person.pk:
        return True
    order = getattr(submission, "work_order", None)
    if order is None:
        return under(submission.org_unit.path)
    return under(order.org_path) or bool(order.assignee_unit and under(order.assignee_unit.path))


@pytest.fixture
def reports(grids, flow_version, submit, people, tree, fgj_handler):
    """江宁路's reports in every shape a scope can take: one in its grid routed to the street,
    one dispatched to the 房管局 then reassigned to a grid, one whose GPS point lies in 石门二路
    (its order lies there, the reporter's unit does not), one outside every grid (placed in the
    reporter's unit), one with no hazard (no order), and one of 石门二路's own."""
    version = flow_version()
    made = {
        "routed": submit(people["owner"], version),
        "moved": submit(people["colleague"], version),
        "elsewhere": submit(people["owner"], version, at=INSIDE_SMR_GRID1),
        "nowhere": submit(people["colleague"], version, at=OUTSIDE_ALL),
        "record": submit(people["owner"], version, hazard=False),
        "next_street": submit(people["outsider"], version, at=INSIDE_SMR_GRID1),
    }
    moved = take(made["moved"].work_order, "file", people["dispatcher"])
    moved = take(moved, "dispatch", people["dispatcher"], target_unit=tree["fgj"].pk)
    return {"version": version, "people": {**people, "fgj_handler": fgj_handler}, **made}


def _all_reports():
    return Submission.objects.select_related("work_order__assignee_unit", "org_unit").order_by(
        "received_at"
    )


def test_each_report_carries_its_orders_scope_from_its_insert_on(reports, tree, people):
    # then every report's copies are what its order and its unit say
    for submission in _all_reports():
        assert _copies(submission) == _expected(submission), submission.data
    # (the small form routes to the reporter's street, wherever the point lies)
    assert _copies(reports["elsewhere"]) == (tree["smr_grid1"].path, tree["jny"].path)
    assert _copies(reports["nowhere"]) == (tree["jny_grid2"].path, tree["jny"].path)
    assert _copies(reports["record"]) == (tree["jny_grid1"].path, "")
    assert _copies(reports["moved"])[1] == tree["fgj"].path

    # when the moved order is reassigned to a grid of the street
    order = reports["moved"].work_order
    order.refresh_from_db()
    take(order, "reassign", people["dispatcher"], target_unit=tree["jny_grid2"].pk)

    # then its report follows
    assert _copies(reports["moved"]) == (tree["jny_grid2"].path, tree["jny_grid2"].path)


def _step_copies() -> dict[int, tuple]:
    return {
        e.pk: (e.org_path, e.assignee_path, e.app_id) for e in WorkOrderEvent.objects.order_by("pk")
    }


def _steps_expected() -> dict[int, tuple]:
    """Every step holds its order's scope of now: its place's and assigned unit's paths, its app."""
    orders = {o.pk: o for o in WorkOrder.objects.all()}
    return {
        e.pk: (
            orders[e.order_id].org_path,
            orders[e.order_id].assignee_path,
            orders[e.order_id].app_id,
        )
        for e in WorkOrderEvent.objects.order_by("pk")
    }


def test_each_step_carries_its_orders_scope_and_follows_a_reassignment(reports, tree, people):
    # given the orders opened, filed and dispatched to the 房管局
    order = WorkOrder.objects.get(submission=reports["moved"])
    assert set(order.events.values_list("assignee_path", flat=True)) == {tree["fgj"].path}
    assert _step_copies() == _steps_expected()

    # when the dispatched order is reassigned to a grid
    take(order, "reassign", people["dispatcher"], target_unit=tree["jny_grid2"].pk)

    # then all its steps, the earlier ones too, are counted where it is assigned now
    assert set(order.events.values_list("assignee_path", flat=True)) == {tree["jny_grid2"].path}
    assert _step_copies() == _steps_expected()


def test_the_migration_fills_steps_made_before_the_columns(reports):
    # given steps whose copies are empty, as every step was before workorders.0012
    expected = _steps_expected()
    WorkOrderEvent.objects.update(org_path="", assignee_path="", app=None)

    # when the migration's backfill runs
    with connection.cursor() as cursor:
        for statement in steps_migration.BACKFILL:
            cursor.execute(statement)

    # then each step has its copies again
    assert _step_copies() == expected


def _opened() -> dict:
    return dict(Submission.objects.values_list("pk", "has_work_order"))


def test_a_report_says_whether_it_opened_an_order_and_the_migration_fills_it(reports):
    # then exactly the reports with an order say so, from their insert on (the record doesn't)
    expected = {s.pk: hasattr(s, "work_order") for s in _all_reports()}
    assert _opened() == expected
    assert expected[reports["record"].pk] is False and sum(expected.values()) == 5

    # when the flag is lost, as before submissions.0006, and the migration's fill runs
    Submission.objects.update(has_work_order=False)
    with connection.cursor() as cursor:
        cursor.execute(opened_migration.BACKFILL)
    # then it says it again
    assert _opened() == expected


def test_the_migration_fills_reports_made_before_the_columns(reports):
    # given reports whose copies are empty, as every report was before submissions.0002
    expected = {s.pk: _expected(s) for s in _all_reports()}
    Submission.objects.update(place_path="", assignee_path="")

    # when the migration's backfill runs
    with connection.cursor() as cursor:
        for statement in migration.BACKFILL:
            cursor.execute(statement)

    # then each report has its copies again
    assert {s.pk: _copies(s) for s in _all_reports()} == expected


WHO = ["owner", "colleague", "outsider", "handler", "supervisor", "smr_supervisor",
       "fgj_handler", "designer"]  # fmt: skip


@pytest.mark.parametrize("who", WHO)
def test_report_q_sees_what_the_rule_over_the_joins_saw(reports, who):
    # given
    person = reports["people"][who]
    everything = list(_all_reports())

    # when
    seen = set(Submission.objects.filter(report_q(person)).values_list("pk", flat=True))

    # then
    assert seen == {s.pk for s in everything if _sees_by_joins(person, s)}
    assert len(Submission.objects.filter(report_q(person))) == len(seen)  # no row twice


def test_a_report_is_seen_where_its_order_lies_not_where_its_reporter_is(reports):
    # given a report of 江宁路's grid worker whose GPS point lies in 石门二路, and one with no order
    people, elsewhere, record = reports["people"], reports["elsewhere"].pk, reports["record"].pk

    def sees(who, pk):
        return Submission.objects.filter(report_q(people[who]), pk=pk).exists()

    # then 石门二路 sees the first (its place), not the second (the reporter's unit is 江宁路's)
    assert sees("smr_supervisor", elsewhere) and not sees("smr_supervisor", record)
    assert sees("supervisor", elsewhere)  # the order is assigned to 江宁路
    assert sees("supervisor", record) and sees("owner", record)


FILTERS = {
    "none": {},
    "unit": {"unit": "jny_grid2"},
    "street": {"unit": "smr"},
    "since": {"since": date(2000, 1, 1)},
    "until": {"until": date(2000, 1, 1)},
    "version": {"version": 1},
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(FILTERS))
def test_the_data_pages_count_is_its_rows(reports, tree, who, name):
    # given the person and a filter of the data page
    person = reports["people"][who]
    raw = dict(FILTERS[name])
    if "unit" in raw:
        raw["unit"] = tree[raw["unit"]]
    filters = DataFilters(**raw)
    app = reports["version"].app

    # when the page counts its rows, each part of the scope from its own index
    count = submissions_for_data_count(person=person, app=app, filters=filters)

    # then it is how many it lists
    assert count == len(submissions_for_data(person=person, app=app, filters=filters))


def test_the_count_of_someone_signed_out_is_nothing(reports):
    app = reports["version"].app
    assert submissions_for_data_count(person=AnonymousUser(), app=app, filters=DataFilters()) == 0
