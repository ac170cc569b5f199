"""Acting on a work order from the console: the whole loop, and every refusal."""

from django.contrib.messages import get_messages

from tests.console.pages import act, act_url, detail_url, events
from tests.workorders.conftest import take

# ---------------------------------------------------------------------------------------------
# The whole loop through the console
# ---------------------------------------------------------------------------------------------


def test_the_whole_closed_loop_through_the_console(
    client, people, make_order, django_capture_on_commit_callbacks
):
    # given
    order = make_order(people["owner"])
    steps = [
        ("dispatcher", "file", "", "reported", "filed"),
        ("dispatcher", "dispatch", "", "filed", "dispatched"),
        ("handler", "handle", "已清理松动瓷砖", "dispatched", "handled"),
        ("supervisor", "rework", "照片看不清，请补拍", "handled", "dispatched"),
        ("handler", "handle", "已补拍照片", "dispatched", "handled"),
        ("supervisor", "verify", "", "handled", "verified"),
        ("supervisor", "close", "", "verified", "closed"),
    ]

    for who, action, note, before, after in steps:
        # when
        client.force_login(people[who])
        with django_capture_on_commit_callbacks(execute=True):
            response = act(client, order, action, note=note, expected_state=before)

        # then
        assert response.status_code == 302, (action, response.content.decode())
        assert response["Location"] == detail_url(order)
        order.refresh_from_db()
        assert order.state == after
        followed = client.get(response["Location"])
        shown = [str(m) for m in get_messages(followed.wsgi_request)]
        assert any(order.number in m for m in shown) or order.number in followed.content.decode()

    assert events(order) == [
        ("report", "", "reported", "owner", ""),
        ("file", "reported", "filed", "dispatcher", ""),
        ("dispatch", "filed", "dispatched", "dispatcher", ""),
        ("handle", "dispatched", "handled", "handler", "已清理松动瓷砖"),
        ("rework", "handled", "dispatched", "supervisor", "照片看不清，请补拍"),
        ("handle", "dispatched", "handled", "handler", "已补拍照片"),
        ("verify", "handled", "verified", "supervisor", ""),
        ("close", "verified", "closed", "supervisor", ""),
    ]
    assert order.closed_at is not None
    assert order.assignee == people["handler"]
    # the timeline shows it all, and the closed order offers nothing more
    response = client.get(detail_url(order))
    assert [e["action"] for e in response.context["timeline"]] == [
        "上报",
        "立案",
        "派遣",
        "处置完成",
        "退回返工",
        "处置完成",
        "核查通过",
        "结案",
    ]
    assert response.context["actions"] == []
    assert "照片看不清，请补拍" in response.content.decode()


def test_success_message_names_the_action_and_new_state(client, people, make_order):
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    response = act(client, order, "file", expected_state="reported")

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [f"已立案，工单 {order.number} 现为“待派遣”"]


# ---------------------------------------------------------------------------------------------
# Refusals: a message on the page, nothing changed
# ---------------------------------------------------------------------------------------------


def _unchanged(order, state="reported", n_events=1):
    order.refresh_from_db()
    assert order.state == state
    assert len(events(order)) == n_events


def test_a_disallowed_action_shows_the_chinese_message_and_changes_nothing(
    client, people, make_order
):
    # given
    order = make_order(people["owner"])
    client.force_login(people["handler"])

    # when
    response = act(client, order, "file", note="我来立案", expected_state="reported")

    # then
    assert response.status_code == 403
    html = response.content.decode()
    assert "您没有在此处“立案”的权限" in html
    assert 'id="action-error"' in html
    _unchanged(order)


def test_missing_note_on_rework_is_refused_and_nothing_changes(client, people, make_order):
    # given: an order waiting for verification
    order = make_order(people["owner"])
    for who, action, note in [
        ("dispatcher", "file", ""),
        ("dispatcher", "dispatch", ""),
        ("handler", "handle", "已处置"),
    ]:
        client.force_login(people[who])
        act(client, order, action, note=note)
    client.force_login(people["supervisor"])

    # when
    response = act(client, order, "rework", note="   ", expected_state="handled")

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "“退回返工”需要填写说明" in html
    assert "请填写说明" in html
    _unchanged(order, state="handled", n_events=4)


def test_the_note_is_kept_when_an_action_is_refused(client, people, make_order):
    # given: the note is too long, so the action is refused
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])
    note = "核实情况" * 501

    # when
    response = act(client, order, "reject", note=note, expected_state="reported")

    # then
    assert response.status_code == 400
    assert "说明最多 2000 字" in response.content.decode()
    assert note in response.content.decode()
    _unchanged(order)


def test_a_stale_expected_state_is_refused_with_409(client, people, make_order):
    # given: the supervisor opened the page while the order was 待立案; the dispatcher filed it
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])
    act(client, order, "file", expected_state="reported")
    client.force_login(people["supervisor"])

    # when: the supervisor's 不予立案 arrives against the state they saw
    response = act(client, order, "reject", note="重复上报", expected_state="reported")

    # then
    assert response.status_code == 409
    assert "工单状态已变化（当前：待派遣），请刷新后再操作" in response.content.decode()
    _unchanged(order, state="filed", n_events=2)


def test_a_second_keep_separate_from_the_same_page_is_refused_with_409(client, people, make_order):
    # given: two dispatchers' pages show the order at version 1; the first presses 不是重复
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])
    first = act(client, order, "keep_separate", expected_state="reported", expected_version=1)
    assert first.status_code == 302
    client.force_login(people["supervisor"])

    # when: the second press arrives with the same state and version
    response = act(client, order, "keep_separate", expected_state="reported", expected_version=1)

    # then: refused, and the page shown again carries the new version
    assert response.status_code == 409
    assert 'name="expected_version" value="2"' in response.content.decode()
    _unchanged(order, state="reported", n_events=2)


def test_an_unknown_action_is_refused(client, people, make_order):
    order = make_order(people["owner"])
    client.force_login(people["supervisor"])

    response = act(client, order, "teleport", expected_state="reported")

    assert response.status_code == 400
    assert "该流程没有“teleport”这一操作" in response.content.decode()
    _unchanged(order)


def test_act_needs_post_and_csrf(people, make_order):
    from django.test import Client

    order = make_order(people["owner"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["dispatcher"])

    assert client.get(act_url(order)).status_code == 405
    assert act(client, order, "file", expected_state="reported").status_code == 403
    _unchanged(order)


def test_the_timeline_shows_the_photos_of_a_step(client, people, make_order, make_photo):
    # given: handled with a photo from the phone
    order = take(make_order(people["owner"]), "file", people["dispatcher"])
    order = take(order, "dispatch", people["dispatcher"])
    photo = make_photo(people["handler"])
    take(order, "handle", people["handler"], photos=[photo.pk])
    client.force_login(people["supervisor"])

    # when
    html = client.get(detail_url(order)).content.decode()

    # then
    assert f'<img src="/attachments/{photo.pk}/" alt="处置完成照片 1"' in html
