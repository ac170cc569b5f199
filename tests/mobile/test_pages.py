"""The phone pages: home, the form, the success page, a work order and acting on it."""

import json
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data
from tests.workorders.conftest import take

# The kinds the small fixture app has no field for.
MORE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "remarks": {"type": "string", "title": "情况说明", "maxLength": 200},
        "area": {"type": "number", "title": "施工面积", "minimum": 0},
        "kind": {
            "type": "string",
            "title": "工地类型",
            "enum": ["house", "shop"],
            "enumNames": ["住宅装修", "商铺装修"],
        },
        "issues": {
            "type": "array",
            "title": "发现问题",
            "items": {"type": "string", "enum": ["dust", "noise"], "enumNames": ["扬尘", "噪声"]},
        },
        "visit_time": {"type": "string", "format": "time", "title": "检查时间"},
        "next_visit": {"type": "string", "format": "date-time", "title": "复查时间"},
    },
    "required": ["kind"],
    "unevaluatedProperties": False,
}
MORE_UI = {
    "remarks": {"ui:widget": "textarea", "ui:help": "不超过 200 字"},
    "area": {"ui:options": {"unit": "平方米"}},
    "issues": {"ui:widget": "checkboxes"},
}


def _publish(people, unit, *, key, schema=SMALL_SCHEMA, ui=SMALL_UI, flow=SMALL_FLOW):
    app = light_app_create(
        key=key, name=f"应用 {key}", owner_unit=unit, schema=schema, ui=ui, flow=flow
    )
    return light_app_publish(app=app, actor=people["designer"])


def _json_script(page: str, element_id: str):
    pattern = rf'<script id="{element_id}" type="application/json">(.*?)</script>'
    return json.loads(re.search(pattern, page, re.S).group(1))


def _state(order) -> str:
    return WorkOrder.objects.get(pk=order.pk).state


def _events(order) -> list[str]:
    return list(
        WorkOrderEvent.objects.filter(order=order).order_by("id").values_list("action", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------------------------


def test_pages_need_a_login(client, app_version):
    # given / when
    response = client.get("/m/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/m/")


def test_home_lists_apps_and_orders_with_a_constant_number_of_queries(
    client, people, tree, app_version, make_order, django_assert_max_num_queries
):
    # given
    first = make_order(people["owner"])
    client.force_login(people["owner"])
    with CaptureQueriesContext(connection) as one_order:
        client.get("/m/")
    _publish(people, tree["jny"], key="street-app")
    more = [make_order(people["owner"]) for _ in range(4)]
    more.append(make_order(people["colleague"]))

    # when
    with django_assert_max_num_queries(len(one_order.captured_queries)):
        response = client.get("/m/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "外墙检查" in page and 'href="/m/apps/facade-test/"' in page
    assert 'href="/m/apps/street-app/"' in page
    assert "我的工单" in page
    for order in [first, *more]:
        assert order.number in page
        assert f'href="/m/work-orders/{order.pk}/"' in page
    assert page.count("待立案") == 6
    assert "剩余" not in page  # no deadline before 派遣: the clock starts there
    assert "江宁路街道 · 江宁路第1网格" in page


def test_home_hides_what_the_outsider_may_not_see(client, people, tree, app_version, make_order):
    # given
    order = make_order(people["owner"])
    _publish(people, tree["jny"], key="street-app")
    client.force_login(people["outsider"])

    # when
    response = client.get("/m/")

    # then
    page = response.content.decode()
    assert 'href="/m/apps/facade-test/"' in page  # owned by the district above them
    assert "street-app" not in page
    assert order.number not in page
    assert "暂无工单" in page


# ---------------------------------------------------------------------------------------------
# Form
# ---------------------------------------------------------------------------------------------


def test_form_renders_every_field_of_the_small_app(client, people, app_version):
    # given
    client.force_login(people["owner"])

    # when
    response = client.get("/m/apps/facade-test/")

    # then
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    page = response.content.decode()
    for title in ["地址", "楼层数", "检查日期", "位置", "现场照片", "是否发现隐患", "隐患类型"]:
        assert title in page
    assert 'data-app="facade-test"' in page
    assert f'data-version-id="{app_version.pk}"' in page
    assert 'data-version="1"' in page
    assert 'data-submit-url="/api/apps/facade-test/submissions/"' in page
    assert 'data-upload-url="/api/attachments/"' in page
    assert 'id="submission-id"' in page
    # text with placeholder and length bound
    address = 'id="f-address" type="text" placeholder="如：江宁路 100 号" maxlength="100"'
    assert address in page
    # integer with its unit
    assert 'id="f-floors" type="number" inputmode="numeric" step="1" min="1" max="200"' in page
    assert '<div class="weui-cell__ft m-unit">层</div>' in page
    assert 'id="f-checked_on" type="date"' in page
    assert "获取定位" in page and 'data-kind="location"' in page
    photos = 'type="file" accept="image/*" capture="environment" multiple'
    assert f'<input id="f-photos" class="weui-uploader__input" {photos}' in page
    assert '<h2 class="weui-cells__title m-section">现场情况</h2>' in page
    assert 'class="weui-switch" id="f-hazard_found" type="checkbox"' in page
    # the conditional group starts hidden, with its one required item and a blank to clone
    assert re.search(r'data-field="hazards" data-kind="group" id="f-hazards-field" hidden', page)
    assert 'data-min="1" data-max="10"' in page
    assert '<select class="weui-select" id="f-hazards-0-kind">' in page
    assert '<option value="0">外墙脱落</option>' in page
    assert 'id="f-hazards-0-severity-1" value="1"' in page
    assert 'id="f-hazards-__i__-kind"' in page
    assert "添加一项" in page
    assert _json_script(page, "fields") == fields_of(app_version.schema, app_version.ui)
    assert _json_script(page, "texts")["retrying"] == "网络不畅，正在重试"
    assert 'src="/static/mobile/form.js"' in page and 'type="module"' in page


def test_form_renders_the_other_field_kinds(client, people, tree):
    # given
    _publish(people, tree["district"], key="more", schema=MORE_SCHEMA, ui=MORE_UI, flow={})
    client.force_login(people["owner"])

    # when
    response = client.get("/m/apps/more/")

    # then
    page = response.content.decode()
    assert 'id="f-remarks" rows="3" placeholder="请输入" maxlength="200"' in page
    assert "<span data-count>0</span>/200" in page
    assert "不超过 200 字" in page
    assert 'id="f-area" type="number" inputmode="decimal" step="any"' in page
    assert '<div class="weui-cell__ft m-unit">平方米</div>' in page
    assert 'class="weui-cells weui-cells_radio"' in page
    assert 'type="radio" class="weui-check" name="f-kind" id="f-kind-1" value="1"' in page
    assert "商铺装修" in page
    assert 'class="weui-cells weui-cells_checkbox"' in page
    assert 'type="checkbox" class="weui-check" name="f-issues" id="f-issues-0" value="0"' in page
    assert 'id="f-visit_time" type="time"' in page
    assert 'id="f-next_visit" type="datetime-local"' in page


def test_form_keeps_old_versions_out_and_shows_the_latest(client, people, app_version):
    # given
    app = app_version.app
    app.draft_ui = {**SMALL_UI, "address": {"ui:placeholder": "新版占位"}}
    app.save(update_fields=["draft_ui"])
    light_app_publish(app=app, actor=people["designer"])
    client.force_login(people["owner"])

    # when
    response = client.get("/m/apps/facade-test/")

    # then
    page = response.content.decode()
    assert 'data-version="2"' in page
    assert "新版占位" in page


@pytest.mark.parametrize("who,status", [("owner", 200), ("outsider", 404)])
def test_form_of_a_street_app_only_for_that_street(client, people, tree, who, status):
    # given
    _publish(people, tree["jny"], key="street-app")
    client.force_login(people[who])

    # when
    response = client.get("/m/apps/street-app/")

    # then
    assert response.status_code == status


def test_form_of_an_unknown_or_unpublished_app_is_404(client, people, tree):
    # given
    light_app_create(
        key="draft-only",
        name="草稿",
        owner_unit=tree["district"],
        schema=SMALL_SCHEMA,
        ui=SMALL_UI,
        flow=SMALL_FLOW,
    )
    client.force_login(people["owner"])

    # when / then
    assert client.get("/m/apps/no-such-app/").status_code == 404
    assert client.get("/m/apps/draft-only/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Success page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status", [("owner", 200), ("colleague", 404), ("supervisor", 404), ("outsider", 404)]
)
def test_submitted_page_only_for_the_reporter(client, people, make_order, who, status):
    # given
    order = make_order(people["owner"])
    client.force_login(people[who])

    # when
    response = client.get(f"/m/submitted/{order.submission_id}/")

    # then
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "上报成功" in page
        assert order.number in page
        assert f'href="/m/work-orders/{order.pk}/"' in page
        assert 'href="/m/apps/facade-test/"' in page


def test_submitted_page_without_a_work_order(client, people, app_version, make_photo):
    # given
    photo = make_photo(people["owner"])
    submission, _ = report_submit(
        submission_id=uuid.uuid4(),
        version=app_version,
        reporter=people["owner"],
        data=valid_data([photo.pk], hazard=False),
    )
    client.force_login(people["owner"])

    # when
    response = client.get(f"/m/submitted/{submission.pk}/")

    # then
    page = response.content.decode()
    assert "上报成功" in page
    assert "已记录，无需立案处置" in page
    assert "GD" not in page


def test_submitted_page_of_an_unknown_id_is_404(client, people, app_version):
    # given
    client.force_login(people["owner"])

    # when / then
    assert client.get(f"/m/submitted/{uuid.uuid4()}/").status_code == 404


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
    answers = ["地址", "江宁路 100 号", "楼层数", "6 层", "纬度 31.236300，经度 121.451200"]
    answers += ["是否发现隐患", "隐患 1", "外墙脱落", "严重"]
    for text in answers:
        assert text in page
    assert f'href="/attachments/{photo_id}/"' in page
    assert "上报" in page and "王网格" in page
    assert '<input type="hidden" name="expected_state" value="reported">' in page
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
    assert _state(order) == "filed"
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
    assert _state(order) == "reported"
    assert _events(order) == ["report"]


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
    assert _state(order) == "reported"
    assert _events(order) == ["report"]


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
    assert _state(order) == "filed"
    assert _events(order) == ["report", "file"]


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
    assert _state(order) == "reported"
    assert _events(order) == ["report"]


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
    assert "mobile/act.js" in html
    assert re.search(r'value="handle" data-photos', html)
    assert not re.search(r'value="send_back" data-photos', html)


def test_no_uploader_where_no_step_takes_photos(client, people, make_order):
    order = make_order(people["owner"])
    client.force_login(people["dispatcher"])

    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    assert 'id="act-photos"' not in html and "mobile/act.js" not in html


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
    assert _state(order) == "dispatched"
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
    assert _state(order) == "dispatched"


def test_the_forward_step_is_the_green_button_even_after_a_backward_one(client, people, make_order):
    order = _dispatched(make_order, people)
    client.force_login(people["handler"])

    html = client.get(f"/m/work-orders/{order.pk}/").content.decode()

    assert re.search(r'value="send_back"[^>]*class="weui-btn weui-btn_warn"', html)
    assert re.search(r'value="handle"[^>]*class="weui-btn weui-btn_primary"', html)
    assert re.search(r'value="request_extension"[^>]*class="weui-btn weui-btn_default"', html)
