"""On PostgreSQL, the list's counters and rows are answerable from indexes: with sequential
and bitmap scans priced out (as the planner does by itself at a million orders), every part of
the counters' scope is a scan of its covering index (migration 0009), and neither query reads
the orders or the submissions from end to end. Nor do the figures read every step."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lightapps.definitions.models import LightApp
from lightapps.submissions.data import (
    DataFilters,
    submissions_for_data,
    submissions_for_data_count_query,
)
from lightapps.submissions.models import Submission
from lightapps.workorders.figures import step_figures_query
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.selectors import (
    work_order_list,
    work_order_state_count_query,
    work_orders_with_flow,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plans are PostgreSQL's (CI's second lane)"
)


ROWS = 20_000


def grow(order, *, elsewhere, reporter) -> None:
    """ROWS copies of the order and its submission, with set-based SQL: all but one in fifty in
    another street (elsewhere) by another reporter, so that the street's orders are few."""
    here = "i %% 50 = 0"
    copied = {
        "id": "md5('plan-' || i)::uuid",
        "reporter_id": f"CASE WHEN {here} THEN s.reporter_id ELSE %(reporter)s END",
        "place_path": f"CASE WHEN {here} THEN s.place_path ELSE %(elsewhere)s END",
        "assignee_path": f"CASE WHEN {here} THEN s.assignee_path ELSE %(elsewhere)s END",
        "received_at": "s.received_at - i * interval '1 minute'",
    }
    columns = [f.column for f in Submission._meta.concrete_fields]
    values = [copied.get(c, f"s.{c}") for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO submissions_submission ({', '.join(columns)})"  # noqa: S608
            f" SELECT {', '.join(values)} FROM submissions_submission s,"
            " generate_series(1, %(rows)s) i WHERE s.id = %(submission)s",
            {"rows": ROWS, "submission": order.submission_id, "reporter": reporter.pk,
             "elsewhere": elsewhere},
        )  # fmt: skip
        copied = {
            "number": "'PLAN' || i",
            "submission_id": "md5('plan-' || i)::uuid",
            "org_path": f"CASE WHEN {here} THEN o.org_path ELSE %(elsewhere)s END",
            "assignee_path": f"CASE WHEN {here} THEN o.assignee_path ELSE %(elsewhere)s END",
            "reporter_id": f"CASE WHEN {here} THEN o.reporter_id ELSE %(reporter)s END",
            "state": "(ARRAY['reported', 'filed', 'dispatched', 'handled', 'closed'])[i %% 5 + 1]",
        }
        columns = [f.column for f in WorkOrder._meta.concrete_fields if f.column != "id"]
        values = [copied.get(c, f"o.{c}") for c in columns]
        cursor.execute(
            f"INSERT INTO workorders_workorder ({', '.join(columns)})"  # noqa: S608
            f" SELECT {', '.join(values)} FROM workorders_workorder o,"
            " generate_series(1, %(rows)s) i WHERE o.id = %(order)s",
            {"rows": ROWS, "order": order.pk, "elsewhere": elsewhere, "reporter": reporter.pk},
        )
        cursor.execute("ANALYZE workorders_workorder")
        cursor.execute("ANALYZE submissions_submission")


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return queryset.explain()


@pytest.fixture
def grown(make_order, people, tree):
    grow(make_order(people["owner"]), elsewhere=tree["smr"].path, reporter=people["outsider"])


@pytest.mark.parametrize(
    "filters",
    [{"due": "overdue"}, {"due": "overdue", "state": "reported"}, {"priority": "urgent"}],
    ids=["due", "due+state", "priority"],
)
# (with `due`, the planner may rightly take the partial index of open deadlines instead: none of
# the copies is overdue)
def test_each_part_of_the_counters_is_an_index_only_scan(grown, people, filters):
    # given 20,000 orders, 400 of them 江宁路's, and a street's supervisor (scope: 江宁路's
    # place, assigned to 江宁路, reported by them)
    # when the counters' statement is planned
    found = plan(work_order_state_count_query(person=people["supervisor"], **filters))
    # then the place, the assigned unit and the reporter each come from their covering index
    # (index-only once VACUUM has marked the pages all-visible, which rows of an open test
    # transaction never are: bench/lists.py shows those plans at a million orders)
    for index in ("workorder_scope_place", "workorder_scope_assignee", "workorder_scope_reporter"):
        assert f"Scan using {index}" in found or "using workorder_open_due" in found, found
    assert "Seq Scan on workorders_workorder" not in found, found


@pytest.mark.parametrize(
    "filters", [{}, {"state": "reported"}, {"app": "facade-hazard"}], ids=["none", "state", "app"]
)
def test_the_counters_the_tally_follows_read_no_order_but_the_few_they_must(grown, people, filters):
    # given 20,000 orders and a street's supervisor, with no filter or one the tally follows
    # when the counters' statement is planned
    found = plan(work_order_state_count_query(person=people["supervisor"], **filters))
    # then the orders are added up from the tally; of the orders themselves only the ones seen
    # as their reporter (its index) and the open ones past their deadline (the partial index of
    # open deadlines) are read
    assert "workorders_workordertally" in found, found
    assert "using workorder_scope_reporter" in found, found
    assert "using workorder_open_due" in found, found
    assert "Seq Scan on workorders_workorder " not in found, found


def test_the_list_page_reads_no_table_from_end_to_end(grown, people):
    found = plan(work_orders_with_flow(work_order_list(person=people["supervisor"]))[:50])
    assert "Seq Scan on workorders_workorder" not in found, found
    assert "Seq Scan on submissions_submission" not in found, found


def test_a_deep_page_walks_the_creation_index_alone(grown, people):
    # given the list's ids at page 100, as lightapps.paging reads them first
    ids = work_order_list(person=people["supervisor"]).values_list("pk", flat=True)[4950:5000]
    # when planned, then they come from the creation index (carrying the scope's columns)
    found = plan(ids)
    assert "using workorder_created" in found, found
    assert "Seq Scan on workorders_workorder" not in found, found


DATA_FILTERS = {
    "since": {"since": date(2000, 1, 1)},
    "until+version": {"until": date(2999, 1, 1), "version": 1},
}


@pytest.mark.parametrize("name", list(DATA_FILTERS))
def test_each_part_of_the_data_pages_count_is_an_index_scan(grown, people, name):
    # given 20,000 reports, 400 of them 江宁路's, and a street's supervisor
    app = Submission.objects.values_list("app", flat=True).first()
    filters = DataFilters(**DATA_FILTERS[name])
    # when 上报数据's count is planned
    found = plan(
        submissions_for_data_count_query(
            person=people["supervisor"], app=LightApp(pk=app), filters=filters
        )
    )
    # then each part of the scope comes from its covering index (submissions.0003)
    for index in ("submission_scope_place", "submission_scope_assignee"):
        assert f"Scan using {index}" in found, found
    assert "submission_scope_reporter" in found or "submissions_submission_reporter" in found
    assert "Seq Scan on submissions_submission" not in found, found


@pytest.mark.parametrize("filters", [{}, {"version": 1}], ids=["none", "version"])
def test_the_data_pages_count_without_dates_reads_the_tally(grown, people, filters):
    # given 20,000 reports and a street's supervisor, the page filtered by no date
    app = Submission.objects.values_list("app", flat=True).first()
    # when 上报数据's count is planned
    found = plan(
        submissions_for_data_count_query(
            person=people["supervisor"], app=LightApp(pk=app), filters=DataFilters(**filters)
        )
    )
    # then it adds up the tally, and reads of the reports only the ones seen as their reporter
    assert "on submissions_submissiontally" in found, found
    assert "submission_scope_reporter" in found or "submissions_submission_reporter" in found
    assert "Seq Scan on submissions_submission " not in found, found


def test_a_deep_data_page_walks_an_index_in_the_pages_order(grown, people):
    # given 上报数据's ids at page 100, as lightapps.paging reads them first
    app = LightApp.objects.get(pk=Submission.objects.values_list("app", flat=True).first())
    rows = submissions_for_data(person=people["supervisor"], app=app, filters=DataFilters())
    # when planned
    found = plan(rows.values_list("pk", flat=True)[4950:5000])
    # then an index is walked in the page's order, and stops at the page: the app's own
    # (submission_listed, carrying the scope: index-only, as the bench shows at a million rows
    # once VACUUM marked the pages) or, in an open test transaction, received_at's; no Sort of
    # every row of the app
    assert "using submission_listed" in found or "using submissions_submission_received_at" in (
        found
    ), found
    assert "->  Sort" not in found and "Seq Scan on submissions_submission" not in found, found


def grow_steps(order, *, elsewhere) -> None:
    """ROWS copies of the order's first step: one in fifty its street's, one an hour over two
    years; the others in another street, all within the last few days (a city's busy week)."""
    here = "i %% 50 = 0"
    copied = {
        "org_path": f"CASE WHEN {here} THEN e.org_path ELSE %(elsewhere)s END",
        "assignee_path": f"CASE WHEN {here} THEN e.assignee_path ELSE %(elsewhere)s END",
        "created_at": f"e.created_at - CASE WHEN {here} THEN i * interval '1 hour'"
        " ELSE (i %% 5000) * interval '1 minute' END",
    }
    columns = [f.column for f in WorkOrderEvent._meta.concrete_fields if f.column != "id"]
    values = [copied.get(c, f"e.{c}") for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO workorders_workorderevent ({', '.join(columns)})"  # noqa: S608
            f" SELECT {', '.join(values)} FROM workorders_workorderevent e,"
            " generate_series(1, %(rows)s) i WHERE e.id = %(event)s",
            {"rows": ROWS, "event": order.events.first().pk, "elsewhere": elsewhere},
        )
        cursor.execute("ANALYZE workorders_workorderevent")


def test_the_figures_read_a_units_steps_of_the_period_from_their_indexes(make_order, people, tree):
    # given 20,000 steps, 400 of them 江宁路's, over two years; the others of the last days
    grow_steps(make_order(people["owner"]), elsewhere=tree["smr"].path)
    now = timezone.now()
    # when the figures' pass over 江宁路's steps of the last week is planned
    found = plan(step_figures_query([tree["jny"]], start=now - timedelta(days=7), end=now, app=""))
    # then each part is a range of its (path, time) index per path of the street's units, and the
    # steps are not read from end to end
    for index in ("event_scope_place", "event_scope_assignee"):
        assert f"Scan using {index}" in found, found
    assert "Seq Scan on workorders_workorderevent" not in found, found
    assert "workorders_workorder " not in found, found  # no join to the orders


def test_the_maps_reports_without_an_order_walk_their_partial_index(grown, people):
    # given 20,000 reports, every one with its order (none of them for the map's second layer)
    from lightapps.submissions.selectors import submissions_visible_to

    rows = submissions_visible_to(people["supervisor"]).filter(
        has_work_order=False, latitude__isnull=False, longitude__isnull=False
    )
    # when the map's query for its reports without an order is planned (console.maps)
    found = plan(rows.order_by("-received_at").values("pk", "latitude", "longitude")[:500])
    # then it reads the partial index of those alone, newest first: no anti-join over the reports
    assert "using submission_unordered_located" in found, found
    assert "Seq Scan on submissions_submission" not in found, found
    assert "workorders_workorder" not in found, found
