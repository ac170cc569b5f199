"""The phone pages of a work order: the page, its steps, and photos on a step."""

import re

import pytest

from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.mobile.pages import actions_of, state_of
from tests.workorders.conftest import take

# ---------------------------------------------------------------------------------------------
# Work order page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [
        ("owner", 200),
        ("colleague", 200),
        ("supervisor", 200),
        ("outsider", 404),
        ("smr_supervisor", 404),
    ],
)
def test_work_order_page_is_scoped(client, people, make_order, who, status):
    # given
    order = make_order(people["owner"])
    client.force_login(people[who])

    # when
    response = client.get(f"/m/work-orders/{order.pk}/")

    # then
    assert response.status_code == status
    if status == 404:
        assert order.number.encode() not in response.content


def test_work_order_page_shows_answers_timeline_and_actions(client, people, make_order):
    # given
    order = make_order(people["owner"])
    photo_id = order.submission.data["photos"][0]
    client.force_login(people["dispatcher"])

    # when
    response = client.get(f"/m/work-orders/{order.pk}/")

    # then
    page = response.content.decode()
    assert order.number in page
    assert "待立案" in page
    assert "剩余" not in page  # no deadline before 派遣: the clock starts there
    answers = ["地址", "江宁路 100 号", "楼层数", "6 层", "约 纬度 31.236，经度 121.451"]  # masked
    answers += ["是否发现隐患", "隐患 1", "外墙脱落", "严重"]
    for text in answers:
        assert text in page
    assert f'href="/attachments/{photo_id}/"' in page
    assert "上报" in page and "王网格" in page
    assert '<input type="hidden" name="expected_state" value="reported">' in page
    assert '<input type="hidden" name="expected_version" value="1">' in page
    assert 'name="action" value="file"' in page
    assert 'name="action" value="reject"' in page
    assert 'value="dispatch"' not in page


def test_work_order_page_shows_answers_of_removed_fields_under_their_key(
    client, people, make_order
):
    # given: an answer the version has no field for (stored under an older definition)
    from lightapps.submissions.models import Submission

    order = make_order(people["owner"])
    data = {**order.submission.data, "old_note": "旧版说明"}
    Submission.objects.filter(pk=order.submission_id).update(data=data)
    client.force_login(people["owner"])

    # when
    response = client.get(f"/m/work-orders/{order.pk}/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label class="weui-form-preview__label">old_note</label>' in page
    assert "旧版说明" in page


def test_home_and_work_order_of_a_closed_order_show_no_time_left(client, people, make_order):
    # given
    from datetime import timedelta

    from django.utils import timezone

    order = make_order(people["owner"])
    closed_at = timezone.now()
    WorkOrder.objects.filter(pk=order.pk).update(
        state="closed", closed_at=closed_at, due_at=closed_at - timedelta(hours=5)
    )
    client.force_login(people["owner"])

    # when
    home = client.get("/m/").content.decode()
    page = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    # then
    for html in (home, page):
        assert '<span class="m-state m-state_final">已结案</span>' in html
        assert "超时" not in html and "剩余" not in html
    assert "办结于" in page


def test_home_colours_an_overdue_order(client, people, make_order):
    # given
    from datetime import timedelta

    from django.utils import timezone

    order = make_order(people["owner"])
    due_at = timezone.now() - timedelta(hours=5)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=due_at, clock="calendar")
    client.force_login(people["owner"])

    # when
    home = client.get("/m/").content.decode()

    # then
    assert "m-due m-due_over" in home
    assert "超时5小时" in home


def test_work_order_page_has_no_actions_for_the_reporter(client, people, make_order):
    # given
    order = make_order(people["owner"])
    client.force_login(people["owner"])

    # when
    response = client.get(f"/m/work-orders/{order.pk}/")

    # then
    assert b'name="action"' not in response.content


# ---------------------------------------------------------------------------------------------
# Acting on a work order
# ---------------------------------------------------------------------------------------------


def test_act_performs_an_allowed_transition(
    client, people, make_order, django_capture_on_commit_callbacks
):
    # given
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/m/work-orders/{order.pk}/act/",
            {"action": "file", "note": "已核实", "expected_state": "reported"},
        )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/m/work-orders/{order.pk}/"
    assert state_of(order) == "filed"
    event = WorkOrderEvent.objects.filter(order=order).latest("id")
    assert (event.action, event.actor, event.note) == ("file", people["dispatcher"], "已核实")
    page = client.get(response["Location"]).content.decode()
    assert "已办理：立案" in page
    assert "待派遣" in page


def test_act_refuses_a_transition_the_person_may_not_take(client, people, make_order):
    # given
    order = make_order(people["owner"])
    client.force_login(people["owner"])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "file", "note": "", "expected_state": "reported"},
    )

    # then
    assert response.status_code == 403
    assert "您没有在此处“立案”的权限" in response.content.decode()
    assert state_of(order) == "reported"
    assert actions_of(order) == ["report"]


def test_act_shows_a_missing_note_next_to_the_note(client, people, make_order):
    # given
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "reject", "note": "  ", "expected_state": "reported"},
    )

    # then
    assert response.status_code == 400
    page = response.content.decode()
    assert "“不予立案”需要填写说明" in page
    assert "请填写说明" in page
    assert state_of(order) == "reported"
    assert actions_of(order) == ["report"]


def test_act_refuses_a_stale_expected_state(client, people, make_order):
    # given: the supervisor filed it after the dispatcher opened the page
    order = make_order(people["owner"])
    client.force_login(people["supervisor"])
    client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "file", "expected_state": "reported"},
    )
    client.force_login(people["dispatcher"])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "reject", "note": "重复上报", "expected_state": "reported"},
    )

    # then
    assert response.status_code == 409
    assert "工单状态已变化（当前：待派遣），请刷新后再操作" in response.content.decode()
    assert state_of(order) == "filed"
    assert actions_of(order) == ["report", "file"]


@pytest.mark.parametrize("who", ["outsider", "smr_supervisor"])
def test_act_is_404_outside_the_scope(client, people, make_order, who):
    # given
    order = make_order(people["owner"])
    client.force_login(people[who])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "file", "expected_state": "reported"},
    )

    # then
    assert response.status_code == 404
    assert state_of(order) == "reported"
    assert actions_of(order) == ["report"]


def test_act_only_answers_post(client, people, make_order):
    # given
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    # when / then
    assert client.get(f"/m/work-orders/{order.pk}/act/").status_code == 405


# ---------------------------------------------------------------------------------------------
# Photos of a step
# ---------------------------------------------------------------------------------------------


def _dispatched(make_order, people):
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    return take(order, "dispatch", people["dispatcher"])


def test_the_handler_gets_a_photo_uploader_for_handling(client, people, make_order):
    # given
    order = _dispatched(make_order, people)
    client.force_login(people["handler"])

    # when
    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    # then: the uploader, its script, and which button sends the photos
    assert 'id="act-photos"' in html and "（处置完成时可上传）" in html
    assert "phone/work-order.js" in html
    assert re.search(r'value="handle" data-photos', html)
    assert not re.search(r'value="send_back" data-photos', html)


def test_no_uploader_where_no_step_takes_photos(client, people, make_order):
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    assert 'id="act-photos"' not in html and "phone/work-order.js" not in html


def test_handling_with_photos_from_the_phone_shows_them_in_the_timeline(
    client, people, make_order, make_photo
):
    # given
    order = _dispatched(make_order, people)
    photo = make_photo(people["handler"])
    client.force_login(people["handler"])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "handle", "note": "已修复", "photos": [str(photo.pk)]},
    )

    # then
    assert response.status_code == 302
    event = WorkOrderEvent.objects.filter(order=order).latest("id")
    assert (event.action, event.data["photos"]) == ("handle", [str(photo.pk)])
    page = client.get(response["Location"]).content.decode()
    assert f'<img src="/attachments/{photo.pk}/" alt="处置完成照片 1"' in page


def test_a_refused_step_keeps_its_photos_on_the_page(client, people, make_order, make_photo):
    # given: a handling without its note
    order = _dispatched(make_order, people)
    mine, theirs = make_photo(people["handler"]), make_photo(people["colleague"])
    client.force_login(people["handler"])

    # when
    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "handle", "note": "", "photos": [str(mine.pk), str(theirs.pk), "junk"]},
    )

    # then: nothing happened, and the handler's own photo is offered again (only that one)
    assert response.status_code == 400
    assert state_of(order) == "dispatched"
    assert response.context["posted_photos"] == [
        {"id": str(mine.pk), "url": f"/attachments/{mine.pk}/"}
    ]
    assert "“处置完成”需要填写说明" in response.content.decode()


def test_a_bad_photo_is_named_at_the_uploader(client, people, make_order, make_photo):
    order = _dispatched(make_order, people)
    theirs = make_photo(people["colleague"])
    client.force_login(people["handler"])

    response = client.post(
        f"/m/work-orders/{order.pk}/act/",
        {"action": "handle", "note": "已修复", "photos": [str(theirs.pk)]},
    )

    assert response.status_code == 400
    assert response.context["photo_errors"] == ["请重新上传照片"]
    assert state_of(order) == "dispatched"


def test_the_forward_step_is_the_green_button_even_after_a_backward_one(client, people, make_order):
    order = _dispatched(make_order, people)
    client.force_login(people["handler"])

    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    assert re.search(r'value="send_back"[^>]*class="weui-btn weui-btn_warn"', html)
    assert re.search(r'value="handle"[^>]*class="weui-btn weui-btn_primary"', html)
    assert re.search(r'value="request_extension"[^>]*class="weui-btn weui-btn_default"', html)


def _reworked(make_order, people, note):
    order = take(_dispatched(make_order, people), "handle", people["handler"])
    return take(order, "rework", people["supervisor"], note=note)


def test_the_rework_reason_stands_at_the_top_of_the_page(client, people, make_order):
    # given: the supervisor sent the handling back with a long reason
    reason = "外墙空鼓处只拍到远景，看不清是否已铲除。" * 6
    order = _reworked(make_order, people, reason)
    client.force_login(people["handler"])

    # when
    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    # then: above the order's details, whole, with who and when
    top = html.index('id="standing-reason"')
    assert top < html.index("基本信息") < html.index("办理记录")
    banner = html[top : html.index("</div>", top)]
    assert "退回返工的原因" in banner and reason in banner and "吴督办" in banner


def test_the_reason_goes_once_the_order_moved_on(client, people, make_order):
    # given: reworked, then handled again
    order = _reworked(make_order, people, "请补拍近景")
    order = take(order, "handle", people["handler"])
    client.force_login(people["handler"])

    # when
    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    # then: the reason stays in the timeline only
    assert 'id="standing-reason"' not in html
    assert "请补拍近景" in html


def test_a_refused_report_shows_why_to_its_reporter(client, people, make_order):
    # given
    order = take(make_order(people["owner"]), "reject", people["dispatcher"], note="不属于本辖区")
    client.force_login(people["owner"])

    # when
    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    # then
    assert "不予立案的原因" in html and "不属于本辖区" in html
