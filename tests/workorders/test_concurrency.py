"""Two people pressing the same button at once: one success, one clear "already changed"."""

import threading

import pytest
from django.db import connection, connections

from lightapps.errors import Conflict, DomainError
from lightapps.submissions.models import Submission
from lightapps.wecom.models import Notification
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.services import work_order_transition
from tests.conftest import submit_as
from tests.fixtures.definitions import valid_data

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


def _race(order, presses):
    """Run each (action, person, extra) at once in its own thread; the outcomes, sorted."""
    barrier = threading.Barrier(len(presses))
    outcomes = []

    def press(action, person, extra):
        try:
            barrier.wait()
            work_order_transition(order=order, action=action, actor=person, **extra)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=p) for p in presses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_reassigns_of_the_same_version_give_one_success_and_one_conflict(
    make_order, people, tree, eager_tasks
):
    # given: an order with the street, seen (version and state) by the dispatcher and supervisor
    order = make_order(people["owner"])
    for action in ("file", "dispatch"):
        order = work_order_transition(
            order=order, action=action, actor=people["dispatcher"], note="说明"
        )
    seen = {"expected_state": "dispatched", "expected_version": order.version, "note": "换人"}

    # when: both press 改派 at once, to two different units
    outcomes = _race(
        order,
        [
            ("reassign", people["dispatcher"], dict(seen, target_unit=tree["jny_grid1"].pk)),
            ("reassign", people["dispatcher"], dict(seen, target_unit=tree["jny_grid2"].pk)),
        ],
    )

    # then: one step, one event, its messages only
    assert outcomes == ["ok", "stale_state"]
    assert WorkOrder.objects.get(pk=order.pk).version == order.version + 1
    event = WorkOrderEvent.objects.get(order=order, action="reassign")
    notified = Notification.objects.filter(event__order=order, event__action="reassign")
    assert notified.exists() and {n.event_id for n in notified} == {event.pk}
    assert notified.count() == notified.values("person").distinct().count()


@pytest.mark.django_db(transaction=True)
def test_two_keep_separate_of_the_same_version_give_one_success_and_one_conflict(
    make_order, people, eager_tasks
):
    # given: a new report, seen by two dispatchers
    order = make_order(people["owner"])
    seen = {"expected_state": "reported", "expected_version": order.version, "note": ""}

    # when
    outcomes = _race(
        order,
        [
            ("keep_separate", people["dispatcher"], seen),
            ("keep_separate", people["supervisor"], seen),
        ],
    )

    # then
    assert outcomes == ["ok", "stale_state"]
    assert WorkOrderEvent.objects.filter(order=order, action="keep_separate").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reports_at_once_get_distinct_numbers_in_order(make_order, people):
    """The day's number is one upsert holding the day's row until commit: eight reports at once,
    the first of the day among them, get eight numbers, none twice, none skipped."""
    barrier = threading.Barrier(8)
    numbers, errors = [], []

    def report():
        try:
            barrier.wait()
            numbers.append(make_order(people["owner"]).number)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(int(n[-4:]) for n in numbers) == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_two_reports_naming_one_photo_at_once_store_one_and_refuse_the_other(
    app_version, people, make_photo
):
    """The photos are claimed by one conditional UPDATE in the report's transaction: of two
    reports with the same upload at once, the second waits for the first's claim, finds the photo
    taken and is refused whole (its submission rolled back, no order opened)."""
    photo = make_photo(people["owner"])
    barrier = threading.Barrier(2)
    outcomes = []

    def report():
        try:
            barrier.wait()
            submit_as(app_version, people["owner"], valid_data([photo.pk]))
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append((exc.code, exc.fields))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes, key=str) == [
        ("invalid_submission", {"photos": ["有照片未上传成功或已被使用，请重新上传"]}),
        "ok",
    ]
    assert Submission.objects.count() == 1 == WorkOrder.objects.count()
    photo.refresh_from_db()
    assert photo.submission_id == Submission.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_the_tallies_stay_exact_under_reports_and_steps_at_once(make_order, people):
    """The database's tallies and days (tests/workorders/test_tally.py, test_step_days.py) take
    a row lock per key: eight reports of one grid at once, then four orders filed and four
    dispatched at once (each step leaving one tally row for another, the one the others enter),
    and every tally and day is still the rows counted, with no deadlock and no error."""
    from datetime import timedelta

    from django.utils import timezone

    from lightapps.orgs.models import OrgUnit
    from lightapps.workorders.figures import _step_figures, step_rows
    from lightapps.workorders.selectors import local_day_start
    from tests.workorders.test_tally import counted, reports_counted, reports_tallied, tallied

    barrier = threading.Barrier(8)
    made, errors = [], []

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def race(works):
        threads = [threading.Thread(target=run, args=(w,)) for w in works]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)

    race([lambda: made.append(make_order(people["owner"])) for _ in range(8)])
    assert errors == [] and len(made) == 8
    for order in made[4:]:
        order = work_order_transition(order=order, action="file", actor=people["dispatcher"])
    made = list(WorkOrder.objects.filter(pk__in=[o.pk for o in made]))
    # half of them filed (待立案 → 待派遣), the other half dispatched (待派遣 → 待处置)
    race([
        (lambda o=o: work_order_transition(order=o, action="file", actor=people["dispatcher"]))
        if o.state == "reported" else
        (lambda o=o: work_order_transition(
            order=o, action="dispatch", actor=people["dispatcher"]
        ))
        for o in made
    ])  # fmt: skip
    assert errors == []
    assert tallied() == counted()
    assert reports_tallied() == reports_counted()
    units = list(OrgUnit.objects.all())
    today = local_day_start(timezone.localdate())
    window = {"start": today, "end": today + timedelta(days=1), "app": ""}
    from_days = _step_figures(units, step_rows(units, **window))
    assert from_days == _step_figures(units, step_rows(units, days=False, **window))
    assert sum(f["steps"].get("reported", (0, 0))[1] for f in from_days.values()) > 0
