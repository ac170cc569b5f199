"""The phone pages: home, the form and the success page."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data
from tests.mobile.pages import page_json, publish_app

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
    publish_app(people, tree["jny"], key="street-app")
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
    assert "我的上报" in page and "待我处理" in page
    assert "本辖区" not in page  # a grid worker's lists are their own
    for order in [first, *more[:4]]:  # their own five; the colleague's is not theirs
        assert f'href="/m/work-orders/{order.pk}/"' in page
    assert more[4].number not in page
    assert page.count("待立案") == 5
    assert "剩余" not in page  # no deadline before 派遣: the clock starts there
    assert "江宁路街道 · 江宁路第1网格" in page


def test_home_hides_what_the_outsider_may_not_see(client, people, tree, app_version, make_order):
    # given
    order = make_order(people["owner"])
    publish_app(people, tree["jny"], key="street-app")
    client.force_login(people["outsider"])

    # when
    response = client.get("/m/")

    # then
    page = response.content.decode()
    assert 'href="/m/apps/facade-test/"' in page  # owned by the district above them
    assert "street-app" not in page
    assert order.number not in page
    assert "你还没有上报过" in page and "现在没有需要你办理的工单" in page


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
    assert page_json(page, "fields") == fields_of(app_version.schema, app_version.ui)
    assert page_json(page, "texts")["retrying"] == "网络不畅，正在重试"
    assert 'src="/static/phone/form.js"' in page and 'type="module"' in page


def test_form_renders_the_other_field_kinds(client, people, tree):
    # given
    publish_app(people, tree["district"], key="more", schema=MORE_SCHEMA, ui=MORE_UI, flow={})
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
    publish_app(people, tree["jny"], key="street-app")
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
