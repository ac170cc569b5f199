"""重复上报: candidates near an open order, merge (told on both orders and to the reporter), or keep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lightapps.errors import DomainError
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.selectors import distance_m, work_order_duplicate_candidates
from tests.workorders.conftest import take

FLOW = {"template": "closed_loop", "duplicates": {"within_m": 50, "days": 7}}
HERE = (31.2363, 121.4512)
# About 33 m and 78 m north of HERE.
NEAR = (31.2366, 121.4512)
FAR = (31.2370, 121.4512)


def test_distance_is_in_metres():
    assert round(distance_m(*HERE, *NEAR)) == 33
    assert round(distance_m(*HERE, *FAR)) == 78


@pytest.fixture
def version(flow_version):
    return flow_version(FLOW, key="dup-app")


def test_candidates_are_older_open_orders_of_the_same_app_within_the_distance(
    version, flow_version, submit, people
):
    # given
    near = submit(people["owner"], version, at=NEAR).work_order
    far = submit(people["owner"], version, at=FAR).work_order
    other_app = submit(people["owner"], flow_version(FLOW, key="other-app"), at=HERE).work_order
    old = submit(people["owner"], version, at=HERE).work_order
    WorkOrder.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    closed = submit(people["owner"], version, at=HERE).work_order
    take(closed, "reject", people["dispatcher"], note="无效")

    # when
    new = submit(people["colleague"], version, at=HERE).work_order
    candidates = work_order_duplicate_candidates(order=new, person=people["dispatcher"])

    # then
    assert [(c["order"], c["distance_m"]) for c in candidates] == [(near, 33)]
    assert far and other_app  # present, just not candidates
    # the outsider's street sees nothing of 江宁路
    assert work_order_duplicate_candidates(order=new, person=people["smr_supervisor"]) == []


def test_merge_closes_the_new_report_into_the_existing_order_with_a_step_on_both(
    version, submit, people, client, django_capture_on_commit_callbacks
):
    # given
    existing = submit(people["owner"], version, at=NEAR).work_order
    new = submit(people["colleague"], version, at=HERE).work_order

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        merged = take(
            new, "merge", people["dispatcher"], note="同一处外墙", target_order=existing.pk
        )

    # then
    assert (merged.state, merged.merged_into) == ("merged", existing)
    assert merged.closed_at is not None
    assert len(callbacks) == 2
    step = WorkOrderEvent.objects.get(order=new, action="merge")
    assert step.data == {"merged_into": {"id": existing.pk, "number": existing.number}}
    mark = WorkOrderEvent.objects.get(order=existing, action="merged_in")
    assert (mark.from_state, mark.to_state) == ("reported", "reported")
    assert mark.data == {"merged": {"id": new.pk, "number": new.number}}
    existing.refresh_from_db()
    assert existing.state == "reported"  # the existing order goes on as before
    # the reporter sees it on the phone
    client.force_login(people["colleague"])
    page = client.get(f"/m/work-orders/{new.pk}/").content.decode()
    assert "已合并" in page
    assert f"已合并到工单 {existing.number}" in page


def test_merge_refuses_a_closed_order_another_app_or_itself(version, flow_version, submit, people):
    # given
    closed = submit(people["owner"], version, at=HERE).work_order
    take(closed, "reject", people["dispatcher"], note="无效")
    other = submit(people["owner"], flow_version(FLOW, key="other-app"), at=HERE).work_order
    new = submit(people["colleague"], version, at=HERE).work_order

    refused = {closed.pk: "bad_target_order", other.pk: "bad_target_order",
               new.pk: "bad_target_order", None: "target_order_required",
               "abc": "target_order_required"}  # fmt: skip
    for target, code in refused.items():
        # when / then
        with pytest.raises(DomainError) as caught:
            take(new, "merge", people["dispatcher"], target_order=target)
        assert caught.value.code == code, target
    assert WorkOrder.objects.get(pk=new.pk).state == "reported"
    assert not WorkOrderEvent.objects.filter(action__in=["merge", "merged_in"]).exists()


def test_keeping_it_separate_hides_the_candidates(version, submit, people):
    existing = submit(people["owner"], version, at=NEAR).work_order
    new = submit(people["colleague"], version, at=HERE).work_order
    assert len(work_order_duplicate_candidates(order=new, person=people["dispatcher"])) == 1

    kept = take(new, "keep_separate", people["dispatcher"], note="")

    assert kept.state == "reported"
    assert work_order_duplicate_candidates(order=new, person=people["dispatcher"]) == []
    assert existing.pk


def test_the_console_shows_candidates_and_merges(version, submit, people, client):
    # given
    existing = submit(people["owner"], version, at=NEAR).work_order
    new = submit(people["colleague"], version, at=HERE).work_order
    client.force_login(people["dispatcher"])

    # when
    html = client.get(f"/console/work-orders/{new.pk}/").content.decode()

    # then
    assert "疑似重复上报" in html
    assert f'data-candidate="{existing.pk}"' in html
    assert "相距 33 米" in html

    # when: the dispatcher merges
    response = client.post(
        f"/console/work-orders/{new.pk}/act/",
        {"action": "merge", "target_order": existing.pk, "expected_state": "reported"},
    )

    # then
    assert response.status_code == 302
    assert WorkOrder.objects.get(pk=new.pk).merged_into == existing


def test_the_api_lists_candidates_and_merges(version, submit, people, client):
    # given
    existing = submit(people["owner"], version, at=NEAR).work_order
    new = submit(people["colleague"], version, at=HERE).work_order
    client.force_login(people["dispatcher"])

    # when
    detail = client.get(f"/api/work-orders/{new.pk}/").json()
    response = client.post(
        f"/api/work-orders/{new.pk}/actions/",
        {"action": "merge", "target_order": existing.pk, "expected_state": "reported"},
        content_type="application/json",
    )

    # then
    assert [(d["id"], d["distance_m"]) for d in detail["duplicates"]] == [(existing.pk, 33)]
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["merged_into"]) == ("merged", existing.pk)
