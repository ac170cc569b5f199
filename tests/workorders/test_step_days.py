"""The steps' days (StepDay), kept by the database's triggers (workorders.step_days), hold what
counting the steps says: for every unit, over whole days, by week and month, with or without an
app — through the hand-counted world's steps, a reassignment after the steps, a data fix of a
step's deadline, a deleted step and the migration's fill."""

from datetime import timedelta

import pytest
from django.db import connection

from lightapps.orgs.models import OrgUnit
from lightapps.workorders import step_days
from lightapps.workorders.figures import STEP_MEASURES, _step_figures, step_rows
from lightapps.workorders.models import StepDay, WorkOrder, WorkOrderEvent
from lightapps.workorders.selectors import local_day_start
from tests.workorders.figures_fixture import period


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


def test_the_triggers_are_in_place(db):
    table = step_days.TABLE
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
        names = {row[0] for row in cursor.fetchall() if row[0].startswith("workorders_step_days")}
    assert len(names) == {"postgresql": 2, "sqlite": 3}[connection.vendor], names
