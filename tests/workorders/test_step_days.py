"""The steps' days (StepDay, workorders.step_days) and the reports' days (ReportDay,
submissions.0005), kept by the database's triggers, hold what counting the steps and the
reports says: for every unit, over whole days, by week and month, with or without an app —
through the hand-counted world's steps, a reassignment after the steps, a data fix of a step's
deadline or a report's place, a deleted step or report, and the migrations' fills."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection

from lightapps.orgs.models import OrgUnit
from lightapps.submissions.models import Attachment, ReportDay, Submission
from lightapps.workorders import step_days
from lightapps.workorders.figures import (
    STEP_MEASURES,
    _handed_to_units,
    _step_figures,
    report_rows,
    step_rows,
)
from lightapps.workorders.models import StepDay, WorkOrder, WorkOrderEvent
from lightapps.workorders.selectors import local_day_start
from tests.workorders.figures_fixture import period

report_days = importlib.import_module("lightapps.submissions.migrations.0005_report_days")


def _window():
    since, until = period()
    return local_day_start(since), local_day_start(until + timedelta(days=1))


def _both(units, *, app="", by=""):
    """The units' step figures from the days and from the steps themselves."""
    start, end = _window()
    window = {"start": start, "end": end, "app": app, "by": by}
    from_days = step_rows(units, **window)
    from_steps = step_rows(units, days=False, **window)
    assert from_days and all("unit_id" in r for r in from_days)  # the days were read
    return _step_figures(units, from_days), _step_figures(units, from_steps)


def _by_bucket(rows, unit):
    found = {}
    for row in rows:
        if unit.pk in row["units"]:
            into = found.setdefault(row["_bucket"], dict.fromkeys(STEP_MEASURES, 0))
            for name in STEP_MEASURES:
                into[name] += row[name] or 0
    return {bucket: sums for bucket, sums in found.items() if any(sums.values())}


@pytest.mark.parametrize("app", ["", "small-form"])
def test_every_units_days_are_its_steps_counted(figures_world, app):
    units = list(OrgUnit.objects.all())
    days, steps = _both(units, app=app and WorkOrder.objects.first().app.key)
    assert days == steps
    assert sum(f["handled"] for f in days.values()) > 0


@pytest.mark.parametrize("by", ["week", "month"])
def test_each_buckets_days_are_its_steps_counted(figures_world, tree, by):
    start, end = _window()
    for unit in (tree["district"], tree["jny"], tree["fgj"]):
        from_days = step_rows([unit], start=start, end=end, app="", by=by)
        from_steps = step_rows([unit], start=start, end=end, app="", by=by, days=False)
        assert _by_bucket(from_days, unit) == _by_bucket(from_steps, unit), unit.name


def test_the_days_follow_a_reassignment_a_fixed_deadline_and_a_deleted_step(figures_world, tree):
    # when the steps of an order handled at the 房管局 move to 石门二路 (as a reassignment moves
    # them: test_report_scope_columns), a handled step's deadline is fixed by hand (now late),
    # and a step is deleted
    order = WorkOrder.objects.filter(assignee_path=tree["fgj"].path, closed_at=None).first()
    WorkOrderEvent.objects.filter(order=order).update(assignee_path=tree["smr"].path)
    handle = WorkOrderEvent.objects.filter(action="handle").order_by("pk").first()
    WorkOrderEvent.objects.filter(pk=handle.pk).update(
        due_at=handle.created_at - timedelta(hours=1)
    )
    WorkOrderEvent.objects.filter(action="rework").first().notifications.all().delete()
    WorkOrderEvent.objects.filter(action="rework").order_by("pk").first().delete()
    # then every unit's days are still its steps counted
    units = list(OrgUnit.objects.all())
    days, steps = _both(units)
    assert days == steps


def test_the_migration_fills_the_days_from_the_steps_there(figures_world):
    units = list(OrgUnit.objects.all())
    expected, _ = _both(units)
    StepDay.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in step_days.fill_sql(connection.vendor):
            cursor.execute(statement)
    assert _both(units)[0] == expected


def _reports_both(units, *, app="", by=""):
    """The units' 上报数 (per bucket with `by`) from the reports' days and from the reports."""
    start, end = _window()
    window = {"start": start, "end": end, "app": app, "by": by}
    found = []
    for days in (True, False):
        rows = report_rows(units, days=days, **window)
        if not by:
            found.append(_handed_to_units(units, rows, ("reports",)))
            continue
        per_bucket = {}
        for bucket in {r["_bucket"] for r in rows}:
            inside = [r for r in rows if r["_bucket"] == bucket]
            per_bucket[bucket] = _handed_to_units(units, inside, ("reports",))
        found.append(per_bucket)
    return found


@pytest.mark.parametrize("by", ["", "week", "month"])
def test_every_units_report_days_are_its_reports_counted(figures_world, by):
    units = list(OrgUnit.objects.all())
    from_days, from_reports = _reports_both(units, by=by)
    assert from_days == from_reports
    app = WorkOrder.objects.first().app.key
    assert _reports_both(units, app=app)[0] == _reports_both(units, app=app)[1]


def test_the_report_days_follow_a_moved_and_a_deleted_report(figures_world, tree):
    # when a report's place is fixed by hand and another is deleted
    moved, gone = Submission.objects.order_by("received_at")[:2]
    Submission.objects.filter(pk=moved.pk).update(place_path=tree["smr_grid1"].path)
    if hasattr(gone, "work_order"):
        WorkOrderEvent.objects.filter(order=gone.work_order).delete()
        WorkOrder.objects.filter(pk=gone.work_order.pk).delete()
    Attachment.objects.filter(submission=gone).delete()
    Submission.objects.filter(pk=gone.pk).delete()
    # then every unit's report days are still its reports counted, and the fill agrees
    units = list(OrgUnit.objects.all())
    from_days, from_reports = _reports_both(units)
    assert from_days == from_reports
    ReportDay.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in report_days.TALLY.fill_sql(connection.vendor):
            cursor.execute(statement)
    assert _reports_both(units)[0] == from_reports
