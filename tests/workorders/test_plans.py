"""On PostgreSQL, the list's counters and rows are answerable from indexes: with sequential
and bitmap scans priced out (as the planner does by itself at a million orders), every part of
the counters' scope is a scan of its covering index (migration 0009), and neither query reads
the orders or the submissions from end to end."""

import pytest
from django.db import connection, transaction

from lightapps.submissions.models import Submission
from lightapps.workorders.models import WorkOrder
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
    copied = {"id": "md5('plan-' || i)::uuid", "reporter_id": "%(reporter)s"}
    columns = [f.column for f in Submission._meta.concrete_fields]
    values = [copied.get(c, f"s.{c}") for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO submissions_submission ({', '.join(columns)})"  # noqa: S608
            f" SELECT {', '.join(values)} FROM submissions_submission s,"
            " generate_series(1, %(rows)s) i WHERE s.id = %(submission)s",
            {"rows": ROWS, "submission": order.submission_id, "reporter": reporter.pk},
        )
        here = "i %% 50 = 0"
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


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return queryset.explain()


@pytest.fixture
def grown(make_order, people, tree):
    grow(make_order(people["owner"]), elsewhere=tree["smr"].path, reporter=people["outsider"])


@pytest.mark.parametrize(
    "filters", [{}, {"state": "reported"}, {"due": "overdue"}], ids=["none", "state", "due"]
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
