"""考核指标 of every unit, the ranking and the trend against the hand-counted world
(figures_fixture.py), and the grouped query's constant cost."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lightapps.orgs.services import org_unit_create
from lightapps.workorders.figures import work_order_figures, work_order_figures_by_unit
from lightapps.workorders.figures_report import FiguresQuery, figures_report
from lightapps.workorders.figures_trend import work_order_figures_trend
from lightapps.workorders.selectors import local_day_start
from tests.workorders.figures_fixture import months_back, period

COUNTED = (
    "reports", "opened", "closed", "due_cases", "cases_done", "deferred", "handled",
    "handled_on_time", "unhandled_late", "should_handle", "reworked", "on_time_rate",
    "closure_rate", "rework_rate", "overdue_now", "score",
)  # fmt: skip

# The hand count over M1–M2 (see the fixture's docstring for the orders).
EXPECTED = {
    # A B C D E F G I opened (H is older); closed A B I; cases all but C; 缓办 E;
    # 处置 A, B×2, D (late), H, I; F unhandled past its deadline; 返工 B; overdue D, F
    "jny": (8, 8, 3, 7, 3, 1, 6, 5, 1, 7, 1, 0.7143, 0.5, 0.1667, 2, 66.19),
    # 房管局: the orders assigned to it (I, J); reports are counted by place, so none
    "fgj": (0, 2, 1, 2, 1, 0, 2, 2, 0, 2, 0, 1.0, 0.5, 0.0, 0, 85.0),
    # J K L; closed K; 处置 J (by 房管局, placed here) and K
    "smr": (3, 3, 1, 3, 1, 0, 2, 2, 0, 2, 0, 1.0, 0.3333, 0.0, 0, 80.0),
    # all but H; I counted once though it lies in 江宁路 and is assigned to 房管局
    "district": (11, 11, 4, 10, 4, 1, 8, 7, 1, 9, 1, 0.7778, 0.4444, 0.125, 2, 68.75),
}


def _window():
    since, until = period()
    return local_day_start(since), local_day_start(until + timedelta(days=1))


def _counted(figures):
    return tuple(figures[k] for k in COUNTED)


def test_every_unit_matches_the_hand_count_in_two_queries(
    figures_world, tree, django_assert_num_queries
):
    start, end = _window()
    units = [tree[k] for k in EXPECTED]
    with django_assert_num_queries(3):  # the orders', reports' passes, the steps' days
        found = work_order_figures_by_unit(units=units, start=start, end=end)
    assert {k: _counted(found[tree[k].pk]) for k in EXPECTED} == EXPECTED
    assert found[tree["jny"].pk]["score_parts"] == {
        "on_time": 42.86, "closure": 15.0, "no_rework": 8.33,
    }  # fmt: skip
    # the single unit's figures are the same query for one unit
    for key in EXPECTED:
        alone = work_order_figures(unit=tree[key], start=start, end=end)
        assert alone == found[tree[key].pk]


def test_an_app_filter_counts_only_that_apps_orders(figures_world, tree):
    start, end = _window()
    jny = tree["jny"]
    same = work_order_figures(unit=jny, start=start, end=end, app="facade-test")
    assert _counted(same) == EXPECTED["jny"]
    other = work_order_figures(unit=jny, start=start, end=end, app="no-such-app")
    assert (other["opened"], other["reports"], other["handled"], other["score"]) == (0, 0, 0, None)


def test_the_ranking_puts_the_best_score_first(figures_world, tree):
    since, until = period()
    report = figures_report(query=FiguresQuery(unit=tree["district"], since=since, until=until))
    tables = {t["kind"]: [(r["unit"].name, r["figures"]["score"]) for r in t["rows"]]
              for t in report["ranking"]}  # fmt: skip
    assert tables == {
        "street": [("石门二路街道", 80.0), ("江宁路街道", 66.19)],
        "department": [("房管局", 85.0)],
    }
    assert _counted(report["figures"]) == EXPECTED["district"]
    # under a street, its grids are ranked
    street = figures_report(query=FiguresQuery(unit=tree["jny"], since=since, until=until))
    assert [t["kind"] for t in street["ranking"]] == ["grid"]
    grid1 = {r["unit"].name: r["figures"]["opened"] for r in street["ranking"][0]["rows"]}
    assert grid1 == {"江宁路第1网格": 8, "江宁路第2网格": 0}


def test_the_monthly_trend_matches_the_hand_count(figures_world, tree):
    start, end = _window()
    trend = work_order_figures_trend(unit=tree["jny"], start=start, end=end, by="month")
    months = months_back()
    assert [b["start"] for b in trend] == [months[1], months[2]]
    m1, m2 = (b["figures"] for b in trend)
    # M1: A B C I created (G at 00:30 local on M2-01 is M2's, though UTC puts it in M1);
    # closed A, I; 处置 A, B×2, H, I all on time; 返工 B
    assert (m1["opened"], m1["reports"], m1["due_cases"], m1["cases_done"], m1["closed"]) == (
        4, 4, 3, 3, 2,
    )  # fmt: skip
    assert (m1["handled"], m1["handled_on_time"], m1["reworked"]) == (5, 5, 1)
    assert (m1["on_time_rate"], m1["closure_rate"], m1["rework_rate"], m1["score"]) == (
        1.0, 1.0, 0.2, 98.0,
    )  # fmt: skip
    # M2: D E F G created, E suspended; closed B; 处置 D late; F unhandled past its deadline
    assert (m2["opened"], m2["due_cases"], m2["cases_done"], m2["deferred"], m2["closed"]) == (
        4, 4, 0, 1, 1,
    )  # fmt: skip
    assert (m2["handled"], m2["handled_on_time"], m2["unhandled_late"]) == (1, 0, 1)
    assert (m2["on_time_rate"], m2["closure_rate"], m2["rework_rate"], m2["score"]) == (
        0.0, 0.0, 0.0, 10.0,
    )  # fmt: skip


def test_each_weeks_figures_are_those_of_that_week(figures_world, tree, django_assert_num_queries):
    start, end = _window()
    now = timezone.now()
    with django_assert_num_queries(5):
        trend = work_order_figures_trend(unit=tree["district"], start=start, end=end, by="week")
    assert len(trend) >= 8
    assert sum(b["figures"]["opened"] for b in trend) == EXPECTED["district"][1]
    for bucket in trend:
        week_start = max(local_day_start(bucket["start"]), start)
        week_end = min(local_day_start(bucket["start"] + timedelta(days=7)), end)
        alone = work_order_figures(unit=tree["district"], start=week_start, end=week_end, now=now)
        alone.pop("overdue_now")
        alone.pop("avg_step_seconds")
        assert bucket["figures"] == alone, bucket["start"]


def test_the_ranking_costs_the_same_for_3_and_for_14_streets(figures_world, tree):
    since, until = period()
    query = FiguresQuery(unit=tree["district"], since=since, until=until, by="week")
    org_unit_create(name="南京西路街道", kind="street", code="T-NJXL", parent=tree["district"])
    with CaptureQueriesContext(connection) as three:
        small = figures_report(query=query)
    assert len(small["ranking"][0]["rows"]) == 3
    for n in range(11):
        org_unit_create(name=f"测试街道{n}", kind="street", code=f"T-S{n}", parent=tree["district"])
    with CaptureQueriesContext(connection) as fourteen:
        big = figures_report(query=query)
    assert len(big["ranking"][0]["rows"]) == 14
    # the units below, 4 for the figures, 3 more for the trend (which takes the reports' and
    # steps' rows of the figures), the apps' names
    assert len(three) == len(fourteen) <= 8
    assert big["figures"] == small["figures"]


def test_the_pages_trend_made_from_the_figures_rows_is_the_trend_asked_alone(figures_world, tree):
    # given the district's figures page, by week and by month
    since, until = period()
    now = timezone.now()
    for by in ("week", "month"):
        query = FiguresQuery(unit=tree["district"], since=since, until=until, by=by)
        # when its trend is made from the rows its figures were made of
        page = figures_report(query=query, now=now)["trend"]
        # then it is the trend that reads the reports and the steps itself
        alone = work_order_figures_trend(
            unit=tree["district"], start=query.start, end=query.end, by=by, now=now
        )
        assert page == alone, by
        assert sum(b["figures"]["handled"] for b in page) == EXPECTED["district"][6]
        assert sum(b["figures"]["reports"] for b in page) == EXPECTED["district"][0]
