"""Webhooks: signed POSTs of work-order events to a real HTTP receiver on 127.0.0.1, retried from
the outbox, listed and re-sendable in the admin."""

import json

import pytest

from lightapps.workorders.models import Webhook, WebhookDelivery
from lightapps.workorders.outbox import sweep
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.webhooks import (
    WEBHOOK_PAYLOAD_EXAMPLE,
    deliveries_resend,
    signature,
    signature_valid,
)
from tests.fixtures.receiver import Receiver

pytestmark = pytest.mark.usefixtures("eager_tasks")

SECRET = "s3cret-for-the-receiver-0123"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def hook(receiver, tree):
    return Webhook.objects.create(
        name="城运平台",
        url=receiver.url,
        secret=SECRET,
        events=[Webhook.Event.REPORT, Webhook.Event.STEP],
        org_unit=tree["jny"],
    )


def sweep_until_quiet(limit=12):
    for _ in range(limit):
        if not any(sweep().values()):
            return
    raise AssertionError("the outbox sweep never settled")


def _step(order, action, actor, capture, **extra):
    with capture(execute=True):
        return work_order_transition(order=order, action=action, actor=actor, **extra)


def test_a_report_is_posted_signed_with_its_order_and_masked_answers(hook, receiver, make_order,
                                                                     people):  # fmt: skip
    # when
    order = make_order(people["owner"])

    # then: one POST, signed over timestamp + body with the hook's secret
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers, raw = request["headers"], request["body"]
    assert signature_valid(SECRET, headers, raw)
    assert not signature_valid("another-secret-0123456789", headers, raw)
    body = json.loads(raw)
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Lightapps-Event"] == body["type"] == "report.created"
    assert headers["X-Lightapps-Delivery"] == body["id"] == str(delivery.delivery_id)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert body["work_order"]["number"] == order.number
    assert body["work_order"]["org_unit"]["name"] == "江宁路第1网格"
    assert body["step"]["action"] == "report" and body["step"]["actor"] == "王网格"
    assert body["report"]["answers"]["address"] == "江宁路 100 号"
    assert body["report"]["answers"]["location"] != {"lat": 31.2363, "lng": 121.4512,
                                                     "accuracy": 12.0}  # fmt: skip
    assert set(body) == set(WEBHOOK_PAYLOAD_EXAMPLE) | {"report"}
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)


def test_only_the_events_and_units_a_hook_asked_for(hook, receiver, make_order, people, tree,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    # given: a second hook, for the other street; the first hears reports and steps
    other = Receiver()
    Webhook.objects.create(name="石门二路", url=other.url, secret=SECRET,
                           events=[Webhook.Event.STEP], org_unit=tree["smr"])  # fmt: skip
    Webhook.objects.create(name="停用", url=other.url, secret=SECRET, is_active=False,
                           events=[Webhook.Event.STEP])  # fmt: skip
    Webhook.objects.create(name="只要超时", url=other.url, secret=SECRET,
                           events=[Webhook.Event.OVERDUE])  # fmt: skip

    # when: a report in 江宁路 and its 立案
    order = make_order(people["owner"])
    _step(order, "file", people["dispatcher"], django_capture_on_commit_callbacks)

    # then
    assert [b["type"] for b in receiver.bodies()] == ["report.created", "work_order.step"]
    assert receiver.bodies()[1]["step"]["action"] == "file"
    assert "report" not in receiver.bodies()[1]
    assert other.requests == []
    other.stop()


def test_a_failed_delivery_is_retried_with_the_same_id_and_body(hook, receiver, make_order, people,
                                                                settings):  # fmt: skip
    # given: the receiver fails twice
    settings.WEBHOOK_RETRY_SECONDS = 0
    receiver.answers = [500, 503]

    # when
    make_order(people["owner"])
    first = WebhookDelivery.objects.get()
    assert (first.status, first.response_status) == ("pending", 500)
    assert "HTTP 500" in first.last_error and first.next_attempt_at
    sweep_until_quiet()

    # then: the third try delivered it; every try the same delivery and bytes, freshly signed
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert len({r["headers"]["X-Lightapps-Delivery"] for r in receiver.requests}) == 1
    assert len({r["body"] for r in receiver.requests}) == 1
    assert all(signature_valid(SECRET, r["headers"], r["body"]) for r in receiver.requests)


def test_a_receiver_that_is_down_or_slow_is_retried(hook, receiver, make_order, people, settings):
    # given: the receiver answers after the timeout once, then its port is closed
    settings.WEBHOOK_RETRY_SECONDS = 0
    settings.WEBHOOK_TIMEOUT = 0.3
    receiver.delay = 1.0

    # when
    make_order(people["owner"])

    # then: waiting for its backoff, with the error
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert "Timeout" in delivery.last_error
    receiver.delay = 0
    sweep_until_quiet()
    assert WebhookDelivery.objects.get().status == "delivered"


def test_giving_up_leaves_a_failure_in_the_admin_which_resends_it(
    hook, receiver, make_order, people, settings, admin_client, django_capture_on_commit_callbacks
):
    # given: a receiver refusing every try
    settings.WEBHOOK_RETRY_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [500] * 3
    make_order(people["owner"])
    sweep_until_quiet()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)

    # when: an admin looks, then resends it
    page = admin_client.get("/admin/workorders/webhookdelivery/?status__exact=failed")
    assert page.status_code == 200
    assert "HTTP 500" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/workorders/webhookdelivery/",
            {"action": "resend", "_selected_action": [delivery.pk]},
        )

    # then
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.requests) == 4
    assert deliveries_resend(ids=[]) == 0


def test_a_step_fanned_out_twice_is_delivered_once(hook, receiver, make_order, people):
    # given
    order = make_order(people["owner"])
    event = order.events.get(action="report")

    # when: the fan-out runs again (a redelivered task, a sweep racing the fast path)
    from lightapps.workorders.outbox import event_effects

    again = event_effects(event.pk)

    # then
    assert again["webhooks"] == 0
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_the_signature_refuses_a_replayed_or_altered_request():
    body = b'{"id": "x"}'
    now = 1_764_651_600
    headers = {
        "X-Lightapps-Timestamp": str(now),
        "X-Lightapps-Signature": signature(SECRET, now, body),
    }
    assert signature_valid(SECRET, headers, body, now=now + 299)
    assert not signature_valid(SECRET, headers, body, now=now + 301)  # replayed later
    assert not signature_valid(SECRET, headers, body + b" ", now=now)  # altered
    assert not signature_valid(SECRET, {**headers, "X-Lightapps-Timestamp": "soon"}, body, now=now)
    assert not signature_valid(SECRET, {}, body, now=now)


def test_an_admin_registers_a_hook_and_gets_a_secret(admin_client, tree):
    # when
    response = admin_client.post(
        "/admin/workorders/webhook/add/",
        {
            "name": "12345 热线",
            "url": "https://hotline.example.gov.cn/hooks/lightapps",
            "events": ["report.created", "work_order.overdue"],
            "org_unit": tree["district"].pk,
            "is_active": "on",
            "secret": "",
        },
    )

    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    hook = Webhook.objects.get()
    assert hook.events == ["report.created", "work_order.overdue"]
    assert len(hook.secret) >= 32


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "ftp://hotline.example.gov.cn/x", "接收地址须以 http:// 或 https:// 开头"),
        ("url", "javascript:alert(1)", "请输入合法的URL"),
        ("secret", "short", "签名密钥至少 16 个字符"),
        ("events", None, "该字段是必填项"),
        ("events", "work_order.anything", "work_order.anything 不在可用的选项中"),
    ],
)
def test_a_bad_registration_is_refused_with_a_chinese_message(admin_client, field, value, message):
    form = {
        "name": "x",
        "url": "https://a.example/hook",
        "events": ["work_order.step"],
        "is_active": "on",
        "secret": "",
    }
    form[field] = value
    if value is None:
        del form[field]
    response = admin_client.post("/admin/workorders/webhook/add/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def _json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's type list, for validating with jsonschema."""
    if isinstance(node, dict):
        out = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable"):
            out["type"] = [node["type"], "null"]
        return out
    if isinstance(node, list):
        return [_json_schema(v) for v in node]
    return node


def test_the_openapi_document_describes_the_payload_a_receiver_gets(
    hook, receiver, make_order, people, client, django_capture_on_commit_callbacks
):
    # given: a real delivery of each kind a receiver sees first
    from jsonschema import Draft202012Validator

    order = make_order(people["owner"])
    _step(order, "file", people["dispatcher"], django_capture_on_commit_callbacks)

    # when
    document = client.get("/api/schema/", {"format": "json"}).json()

    # then: the example and every real body match the declared schema
    webhook = document["x-webhooks"]["workOrderEvent"]["post"]
    content = webhook["requestBody"]["content"]["application/json"]
    assert "X-Lightapps-Signature" in webhook["description"]
    validator = Draft202012Validator(
        _json_schema(document["components"]["schemas"]["WebhookEvent"])
    )
    for body in [content["example"], *receiver.bodies()]:
        assert list(validator.iter_errors(body)) == [], body["type"]
    assert len(receiver.bodies()) == 2
