"""What the phone-page tests share: publishing a small app, reading a page's JSON, an order's
state and steps."""

import json
import re

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI


def publish_app(people, unit, *, key, schema=SMALL_SCHEMA, ui=SMALL_UI, flow=SMALL_FLOW):
    app = light_app_create(
        key=key, name=f"应用 {key}", owner_unit=unit, schema=schema, ui=ui, flow=flow
    )
    return light_app_publish(app=app, actor=people["designer"])


def page_json(page: str, element_id: str):
    pattern = rf'<script id="{element_id}" type="application/json">(.*?)</script>'
    return json.loads(re.search(pattern, page, re.S).group(1))


def state_of(order) -> str:
    return WorkOrder.objects.get(pk=order.pk).state


def actions_of(order) -> list[str]:
    return list(
        WorkOrderEvent.objects.filter(order=order).order_by("id").values_list("action", flat=True)
    )
