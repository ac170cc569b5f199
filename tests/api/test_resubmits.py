"""Honest resubmits (ODK Central's rule): the same id and payload is the stored report (200);
the same id with anything else is 409 `id_taken` naming what differs, never the old record."""

import threading
import uuid

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.submissions.models import Submission
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data

URL = "/api/apps/facade-test/submissions/"


def _client(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def _body(photo_ids, **overrides):
    body = {
        "id": str(uuid.uuid4()),
        "version": 1,
        "data": valid_data(photo_ids),
        "device_time": "2026-11-23T09:30:00+08:00",
    }
    body.update(overrides)
    return body


def test_identical_replay_answers_200_with_the_stored_report(app_version, people, make_photo):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = _client(people["owner"])
    first = client.post(URL, body, format="json")

    # when: the same report again, keys in another order and a later press time
    replay = dict(body, data=dict(reversed(list(body["data"].items()))))
    replay["device_time"] = "2026-11-23T09:45:00+08:00"
    second = client.post(URL, replay, format="json")

    # then
    assert (first.status_code, second.status_code) == (201, 200), second.json()
    assert second.json() == dict(first.json(), created=False)
    assert Submission.objects.count() == 1
    assert WorkOrder.objects.count() == 1
    assert WorkOrderEvent.objects.count() == 1


def test_changed_answer_under_a_stored_id_is_409_naming_the_answer(app_version, people, make_photo):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = _client(people["owner"])
    client.post(URL, body, format="json")

    # when
    changed = dict(body, data=dict(body["data"], address="江宁路 200 号", floors=7))
    response = client.post(URL, changed, format="json")

    # then
    assert response.status_code == 409
    payload = response.json()
    assert payload["code"] == "id_taken"
    assert set(payload["fields"]) == {"data.address", "data.floors"}
    assert "编号已被另一份内容不同的上报使用" in payload["message"]
    assert Submission.objects.get().data["address"] == "江宁路 100 号"


def test_invalid_data_under_a_stored_id_is_409_not_400(app_version, people, make_photo):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = _client(people["owner"])
    client.post(URL, body, format="json")

    # when: the floors answer is not a number any more
    response = client.post(URL, dict(body, data=dict(body["data"], floors="六")), format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "id_taken"
    assert set(response.json()["fields"]) == {"data.floors"}


def test_a_removed_answer_is_named(app_version, people, make_photo):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = _client(people["owner"])
    client.post(URL, body, format="json")
    data = dict(body["data"])
    del data["checked_on"]

    # when
    response = client.post(URL, dict(body, data=data), format="json")

    # then
    assert response.status_code == 409
    assert set(response.json()["fields"]) == {"data.checked_on"}


def test_same_id_posted_to_another_app_is_409_naming_the_app(app_version, tree, people, make_photo):
    # given: a second published app, and a report stored in the first
    other = light_app_create(
        key="facade-two",
        name="外墙复查",
        owner_unit=tree["district"],
        schema=SMALL_SCHEMA,
        ui=SMALL_UI,
        flow=SMALL_FLOW,
    )
    light_app_publish(app=other, actor=people["designer"])
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    client = _client(people["owner"])
    client.post(URL, body, format="json")

    # when
    response = client.post("/api/apps/facade-two/submissions/", body, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "id_taken"
    assert list(response.json()["fields"]) == ["app"]
    assert Submission.objects.get().app == app_version.app


def test_same_id_from_another_person_names_the_person_and_not_the_answers(
    app_version, people, make_photo
):
    # given
    photo = make_photo(people["owner"])
    body = _body([photo.pk])
    _client(people["owner"]).post(URL, body, format="json")

    # when: the colleague sends other answers under the owner's id
    other = dict(body, data=dict(body["data"], address="别处"))
    response = _client(people["colleague"]).post(URL, other, format="json")

    # then: nothing about the owner's answers is told
    assert response.status_code == 409
    assert list(response.json()["fields"]) == ["reporter"]
    assert Submission.objects.get().reporter == people["owner"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions (SQLite test DB is one shared in-memory file)",
)
@pytest.mark.django_db(transaction=True)
def test_a_storm_of_identical_replays_gets_no_error(app_version, people, make_photo):
    # given: one report, sent by 8 threads at once, 15 rounds with fresh ids
    client_count, rounds = 8, 15
    statuses: list[int] = []
    lock = threading.Lock()
    for _round in range(rounds):
        photo = make_photo(people["owner"])
        body = _body([photo.pk])
        barrier = threading.Barrier(client_count)

        def send(body=body, barrier=barrier):
            try:
                client = _client(people["owner"])
                barrier.wait()
                response = client.post(URL, body, format="json")
                with lock:
                    statuses.append(response.status_code)
            finally:
                connections.close_all()

        # when
        threads = [threading.Thread(target=send) for _ in range(client_count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)

    # then: one 201 per report, every other answer 200
    assert len(statuses) == client_count * rounds
    assert sorted(set(statuses)) == [200, 201], statuses
    assert statuses.count(201) == rounds
    assert Submission.objects.count() == rounds
    assert WorkOrder.objects.count() == rounds


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions (SQLite test DB is one shared in-memory file)",
)
@pytest.mark.django_db(transaction=True)
def test_two_different_reports_racing_for_one_id_give_one_201_and_one_409(
    app_version, people, make_photo
):
    # given: the same id, two versions of the answers, sent at once (5 rounds)
    for _round in range(5):
        photo = make_photo(people["owner"])
        body = _body([photo.pk])
        changed = dict(body, data=dict(body["data"], address="江宁路 200 号"))
        barrier = threading.Barrier(2)
        answers = []

        def send(payload, barrier=barrier, answers=answers):
            try:
                client = _client(people["owner"])
                barrier.wait()
                response = client.post(URL, payload, format="json")
                answers.append((response.status_code, response.json()))
            finally:
                connections.close_all()

        # when
        threads = [threading.Thread(target=send, args=(p,)) for p in (body, changed)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)

        # then: the loser is told, naming the answer, never given the winner's record as its own
        answers.sort(key=lambda a: a[0])
        assert [a[0] for a in answers] == [201, 409], answers
        assert answers[1][1]["code"] == "id_taken"
        assert list(answers[1][1]["fields"]) == ["data.address"]
    assert Submission.objects.count() == 5
