"""What the console tests share: its URLs, taking a step through its form, an order's events."""

from lightapps.workorders.models import WorkOrderEvent

LIST = "/console/"


def detail_url(order):
    return f"/console/work-orders/{order.pk}/"


def act_url(order):
    return f"/console/work-orders/{order.pk}/act/"


def act(client, order, action, note="", expected_state=None, expected_version=None):
    data = {"action": action, "note": note}
    if expected_state is not None:
        data["expected_state"] = expected_state
    if expected_version is not None:
        data["expected_version"] = expected_version
    return client.post(act_url(order), data)


def events(order):
    return list(
        WorkOrderEvent.objects.filter(order=order)
        .order_by("created_at", "id")
        .values_list("action", "from_state", "to_state", "actor__username", "note")
    )
