"""The webhooks in the OpenAPI document: what a receiver gets (`x-webhooks`, which ReDoc shows
for OpenAPI 3.0, and the `WebhookEvent` component), with the example payload of
workorders.webhooks. The signature scheme is in the description."""

from lightapps.workorders.models import Webhook
from lightapps.workorders.webhooks import WEBHOOK_PAYLOAD_EXAMPLE

_UNIT = {
    "type": "object",
    "nullable": True,
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}
_WHEN = {"type": "string", "format": "date-time"}

WEBHOOK_EVENT_SCHEMA = {
    "type": "object",
    "description": "一次 Webhook 投递的请求体（UTF-8 JSON）。",
    "properties": {
        "id": {
            "type": "string",
            "format": "uuid",
            "description": "投递ID，重试时不变：接收方据此去重",
        },
        "type": {"type": "string", "enum": list(Webhook.Event.values)},
        "occurred_at": _WHEN,
        "work_order": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "number": {"type": "string"},
                "title": {"type": "string"},
                "state": {"type": "string"},
                "state_label": {"type": "string"},
                "priority": {"type": "string", "enum": ["normal", "urgent"]},
                "app": {
                    "type": "object",
                    "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                    "required": ["key", "name"],
                },
                "org_unit": _UNIT,
                "assignee_unit": _UNIT,
                "due_at": {**_WHEN, "nullable": True},
                "url": {"type": "string", "format": "uri"},
            },
            "required": [
                "id",
                "number",
                "title",
                "state",
                "state_label",
                "priority",
                "app",
                "org_unit",
                "assignee_unit",
                "due_at",
                "url",
            ],  # fmt: skip
        },
        "step": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "action": {"type": "string"},
                "action_label": {"type": "string"},
                "from_state": {"type": "string"},
                "to_state": {"type": "string"},
                "note": {"type": "string"},
                "actor": {"type": "string", "nullable": True, "description": "系统步骤为 null"},
            },
            "required": ["id", "action", "action_label", "from_state", "to_state", "note", "actor"],
        },
        "report": {
            "type": "object",
            "description": "仅 report.created：上报的答案（身份证、手机号、位置已脱敏）",
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "version": {"type": "integer"},
                "received_at": _WHEN,
                "answers": {"type": "object", "additionalProperties": True},
            },
            "required": ["id", "version", "received_at", "answers"],
        },
    },
    "required": ["id", "type", "occurred_at", "work_order", "step"],
}

DESCRIPTION = """每个订阅了事件的 Webhook 收到一次 POST（由发件箱投递，失败按 30 秒起倍增重试）。

请求头：
- `X-Lightapps-Event`：事件类型（同请求体 `type`）
- `X-Lightapps-Delivery`：投递ID（同 `id`），重试时不变，接收方据此丢弃重复投递
- `X-Lightapps-Timestamp`：本次发送的 Unix 秒
- `X-Lightapps-Signature`：`sha256=` + HMAC-SHA256(签名密钥, 时间戳 + "." + 原始请求体) 的十六进制

接收方应以常量时间比较签名，并拒绝与本机时间相差 5 分钟以上的时间戳（防重放）。
任何 2xx 视为送达；其他状态码、超时或连接失败都会重试。"""


def webhooks(result, generator, request, public):
    """drf-spectacular postprocessing hook: the webhook payload and how it is signed."""
    result.setdefault("components", {}).setdefault("schemas", {})["WebhookEvent"] = (
        WEBHOOK_EVENT_SCHEMA
    )
    result["x-webhooks"] = {
        "workOrderEvent": {
            "post": {
                "summary": "工单事件（新上报、每一步办理、即将超时、已超时、升级督办）",
                "description": DESCRIPTION,
                "operationId": "webhook_work_order_event",
                "tags": ["webhooks"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/WebhookEvent"},
                            "example": WEBHOOK_PAYLOAD_EXAMPLE,
                        }
                    },
                },
                "responses": {"2XX": {"description": "已收到"}},
            }
        }
    }
    return result
