"""派单: by place (GPS point in a grid's boundary), by subject (an answer → a department), fixed."""

import pytest

from lightapps.errors import DomainError
from lightapps.workorders.models import WorkOrderEvent
from lightapps.workorders.routing import grid_at
from lightapps.workorders.selectors import work_order_detail
from tests.workorders.conftest import (
    INSIDE_JNY_GRID2,
    INSIDE_SMR_GRID1,
    ON_SHARED_EDGE,
    OUTSIDE_ALL,
    take,
)

BY_PLACE = {"template": "closed_loop", "routing": [{"by": "place"}]}


def test_point_inside_on_the_edge_and_outside(grids):
    assert grid_at(lat=INSIDE_JNY_GRID2[0], lng=INSIDE_JNY_GRID2[1]) == grids["jny_grid2"]
    assert grid_at(lat=INSIDE_SMR_GRID1[0], lng=INSIDE_SMR_GRID1[1]) == grids["smr_grid1"]
    # on the edge two grids share: inside, and always the same one (the first by tree order)
    assert grid_at(lat=ON_SHARED_EDGE[0], lng=ON_SHARED_EDGE[1]) == grids["jny_grid1"]
    # a corner of the outer boundary counts as inside too
    assert grid_at(lat=31.25, lng=121.46) == grids["smr_grid1"]
    assert grid_at(lat=OUTSIDE_ALL[0], lng=OUTSIDE_ALL[1]) is None
    assert grid_at(lat=None, lng=None) is None


@pytest.mark.parametrize(
    ("point", "place", "street"),
    [
        (INSIDE_JNY_GRID2, "jny_grid2", "jny"),
        (ON_SHARED_EDGE, "jny_grid1", "jny"),
        (INSIDE_SMR_GRID1, "smr_grid1", "smr"),
        (OUTSIDE_ALL, "jny_grid1", "jny"),  # outside every grid: the reporter's unit and street
    ],
)
def test_an_order_lies_where_the_point_is_and_goes_to_that_street(
    grids, flow_version, submit, people, point, place, street
):
    # when: 江宁路第1网格's grid worker reports at the point
    order = submit(people["owner"], flow_version(BY_PLACE), at=point).work_order

    # then
    assert order.org_unit == grids[place]
    assert order.org_path == grids[place].path
    assert order.assignee_unit == grids[street]
    report = WorkOrderEvent.objects.get(order=order, action="report")
    assert report.assignee_unit == grids[street]


def test_a_report_across_the_street_line_belongs_to_the_next_street(
    grids, flow_version, submit, people, smr_people
):
    # given: 江宁路's grid worker reports a hazard standing in 石门二路第1网格
    order = submit(people["owner"], flow_version(BY_PLACE), at=INSIDE_SMR_GRID1).work_order

    # then: 石门二路 files it; 江宁路's dispatcher does not see it; the reporter still does
    assert work_order_detail(person=people["dispatcher"], pk=order.pk) is None
    assert work_order_detail(person=people["owner"], pk=order.pk) is not None
    filed = take(order, "file", smr_people["smr_dispatcher"])
    assert filed.state == "filed"


SUBJECT_FIRST = {
    "template": "closed_loop",
    "routing": [
        {"by": "subject", "field": "hazards[].kind", "map": {"tile": "T-FGJ"}},
        {"by": "place"},
    ],
}


def test_by_subject_a_fallen_tile_goes_to_the_housing_bureau(
    grids, flow_version, submit, people, fgj_handler
):
    # when
    order = submit(people["owner"], flow_version(SUBJECT_FIRST), kind="tile").work_order

    # then: it lies in 江宁路第2网格 and goes to 房管局
    assert order.org_unit == grids["jny_grid2"]
    assert order.assignee_unit == grids["fgj"]
    assert WorkOrderEvent.objects.get(order=order, action="report").data["routing_rule"] == 0


def test_a_subject_without_a_mapping_falls_through_to_the_place(
    grids, flow_version, submit, people
):
    order = submit(people["owner"], flow_version(SUBJECT_FIRST), kind="window").work_order
    assert order.assignee_unit == grids["jny"]
    assert WorkOrderEvent.objects.get(order=order, action="report").data["routing_rule"] == 1


def test_a_fixed_unit(grids, flow_version, submit, people):
    flow = {"template": "closed_loop", "routing": [{"by": "unit", "unit": "T-FGJ"}]}
    order = submit(people["owner"], flow_version(flow)).work_order
    assert order.assignee_unit == grids["fgj"]


def test_the_department_handles_what_was_routed_to_it_and_the_street_handler_may_not(
    grids, flow_version, submit, people, fgj_handler
):
    # given: routed to 房管局; the street files and dispatches it (to the routed unit by default)
    order = submit(people["owner"], flow_version(SUBJECT_FIRST), kind="tile").work_order
    order = take(order, "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"])
    assert order.assignee_unit == grids["fgj"]

    # when / then: the street's handler may not handle it
    with pytest.raises(DomainError) as caught:
        take(order, "handle", people["handler"])
    assert caught.value.code == "not_allowed"
    # the bureau's handler sees it (assigned there) and handles it
    assert work_order_detail(person=fgj_handler, pk=order.pk) is not None
    handled = take(order, "handle", fgj_handler)
    assert handled.state == "handled"
    assert handled.assignee == fgj_handler


def test_dispatch_and_reassign_take_a_target_unit_within_reach(grids, flow_version, submit, people):
    # given
    order = submit(people["owner"], flow_version(BY_PLACE)).work_order
    order = take(order, "file", people["dispatcher"])

    # when / then: a unit of the next street is refused, a department of the district is not
    with pytest.raises(DomainError) as caught:
        take(order, "dispatch", people["dispatcher"], target_unit=grids["smr_grid1"].pk)
    assert caught.value.code == "bad_target_unit"
    assert caught.value.fields == {"target_unit": ["不能派往该单位"]}
    order = take(order, "dispatch", people["dispatcher"], target_unit=grids["jny_grid2"].pk)
    assert order.assignee_unit == grids["jny_grid2"]
    due = order.due_at

    # 改派 needs another unit, and keeps the clock running
    with pytest.raises(DomainError) as caught:
        take(order, "reassign", people["dispatcher"], target_unit=grids["jny_grid2"].pk)
    assert caught.value.code == "bad_target_unit"
    order = take(order, "reassign", people["dispatcher"], target_unit=grids["fgj"].pk)
    assert (order.state, order.assignee_unit, order.due_at) == ("dispatched", grids["fgj"], due)
    last = WorkOrderEvent.objects.filter(order=order).last()
    assert (last.action, last.data["target_unit"]) == ("reassign", grids["fgj"].pk)
