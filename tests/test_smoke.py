from lightapps.workorders.models import WorkOrderEvent


def test_report_opens_a_work_order_in_the_reporters_street(make_order, people, tree):
    # given / when
    order = make_order(people["owner"])

    # then
    assert order.state == "reported"
    assert order.assignee_unit == tree["jny"]
    assert order.org_unit == tree["jny_grid1"]
    assert order.number.startswith("GD") and len(order.number) == 14
    assert list(WorkOrderEvent.objects.filter(order=order).values_list("action", flat=True)) == [
        "report"
    ]
