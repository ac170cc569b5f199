"""Every request has an id (X-Request-ID): taken from the proxy when sane, made up otherwise, on
the response, on every log record written for it, and on the one line logged per request."""

import io
import json
import logging
import re
import sys

import pytest

from lightapps.web.logs import JsonFormatter, RequestIdFilter

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log(caplog):
    """The production handler (our filter and JSON formatter) on the root logger, request lines
    on; returns a function giving the records written so far, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    # (Levels set here, not assumed: an in-process Celery worker of another test sets the root's.)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="lightapps.requests")
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_sane_incoming_id_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.9_Z-1")

    assert response["X-Request-ID"] == "lb-7f3a.9_Z-1"


def test_without_an_id_each_request_gets_a_new_one(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "hostile",
    [
        "abc\ninjected: yes",
        "abc\n",
        "a" * 65,
        "x" * 200,
        "请求编号",
        "abc def",
        "abc;rm -rf",
        '{"json": 1}',
        "",
    ],
)
def test_a_hostile_id_is_replaced(client, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_64_characters_are_still_taken(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="a" * 64)["X-Request-ID"] == "a" * 64


def test_one_json_line_per_request_with_its_id(client, json_log):
    # when
    client.get("/healthz", HTTP_X_REQUEST_ID="req-1")

    # then
    (line,) = [r for r in json_log() if r["logger"] == "lightapps.requests"]
    assert line["request_id"] == "req-1"
    assert line["message"].startswith("GET /healthz 200 ")
    assert (line["method"], line["path"], line["status"], line["user_id"]) == (
        "GET",
        "/healthz",
        200,
        None,
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


def test_the_request_line_names_the_signed_in_person(client, people, json_log):
    client.force_login(people["supervisor"])

    client.get("/console/", HTTP_X_REQUEST_ID="req-2")

    (line,) = [r for r in json_log() if r["request_id"] == "req-2" and "status" in r]
    assert (line["status"], line["user_id"]) == (200, people["supervisor"].pk)


def test_django_s_own_records_of_a_request_carry_its_id(client, db, json_log):
    # when: a page that does not exist (Django logs "Not Found" after the middleware is done)
    response = client.get("/nowhere/", HTTP_X_REQUEST_ID="req-404")

    # then
    assert response.status_code == 404
    records = json_log()
    (not_found,) = [r for r in records if r["logger"] == "django.request"]
    assert not_found["request_id"] == "req-404"
    assert not_found["level"] == "WARNING" and "/nowhere/" in not_found["message"]
    # The Django request object itself is no JSON value: left out, not written as a repr.
    assert "request" not in not_found
    assert not_found["status_code"] == 404


def test_outside_a_request_the_id_is_a_dash(json_log):
    logging.getLogger("lightapps.test").warning("beat ran")

    (record,) = [r for r in json_log() if r["logger"] == "lightapps.test"]
    assert record["request_id"] == "-"
    assert record["message"] == "beat ran"


def test_the_formatter_keeps_a_record_on_one_line_with_its_traceback():
    # given: a message with a newline and Chinese text, an exception, a plain and a non-plain extra
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logging.getLogger("lightapps.test").makeRecord(
            "lightapps.test",
            logging.ERROR,
            __file__,
            1,
            "第一行\nforged: line",
            (),
            sys.exc_info(),
            extra={"order": "GD2024", "obj": object()},
        )

    # when
    RequestIdFilter().filter(record)
    text = JsonFormatter().format(record)

    # then
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["message"] == "第一行\nforged: line"
    assert entry["level"] == "ERROR"
    assert entry["order"] == "GD2024"
    assert "obj" not in entry
    assert "Traceback" in entry["exception"] and "ValueError: 坏了" in entry["exception"]
    assert "第一行" in text  # readable, not \\u escapes
