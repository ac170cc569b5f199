"""Live updates (实时): one message per work-order step to the channel-layer group of every unit
whose people see the order. Consoles listening there update in place."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import scope_paths, work_order_audience

from .models import WorkOrderEvent


def unit_group(unit_id: int) -> str:
    return f"orgunit.{unit_id}"


def groups_of(person: Person) -> list[str]:
    """The groups a person's console listens to: one per unit whose subtree they see
    (scope_paths, as work_order_q). A broadcast reaches every unit on an order's paths, so an
    order the person sees always reaches one of these; the consumer checks each message again."""
    return [unit_group(int(path.strip("/").split("/")[-1])) for path in scope_paths(person)]


def broadcast_work_order_event(event_id: int) -> int:
    """Tell every console watching a unit whose people see the order (its place's and its
    assigned unit's, as work_order_q) that it changed. Returns the number of groups sent.

    The message carries the event id: the outbox may send one step twice (a fan-out that died
    half-way is run again), and a listener drops what it has seen."""
    event = WorkOrderEvent.objects.select_related("order").filter(pk=event_id).first()
    if event is None:
        return 0
    layer = get_channel_layer()
    if layer is None:
        return 0
    order = event.order
    message = {
        "type": "work_order.event",
        "event": event.pk,
        "order": order.pk,
        "number": order.number,
        "state": order.state,
        "action": event.action,
    }
    unit_ids = work_order_audience(org_path=order.org_path, assignee_path=order.assignee_path)
    for unit_id in unit_ids:
        async_to_sync(layer.group_send)(unit_group(unit_id), message)
    return len(unit_ids)
