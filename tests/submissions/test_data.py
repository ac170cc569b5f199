"""上报数据 across versions: the tables, each kind's cell, the Excel workbook, scope and refusals."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lightapps.definitions.services import light_app_publish, light_app_save_draft
from lightapps.errors import DomainError
from lightapps.submissions.data import (
    DataFilters,
    data_filters_parse,
    data_layout,
    data_rows,
    submissions_export_xlsx,
    submissions_for_data,
)
from lightapps.submissions.models import Submission
from tests.conftest import submit_as, v2_definition
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI
from tests.fixtures.field_kinds import kinds_data


def _workbook(person, app, filters=None, base_url="http://testserver"):
    out = io.BytesIO()
    n = submissions_export_xlsx(
        person=person, app=app, filters=filters or DataFilters(), out=out, base_url=base_url
    )
    out.seek(0)
    return n, load_workbook(out)


def _sheet_rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


# ---------------------------------------------------------------------------------------------
# Columns across versions
# ---------------------------------------------------------------------------------------------


def test_layout_keeps_columns_of_removed_fields_after_the_newest_versions_fields(two_versions):
    # given
    v1, v2 = two_versions

    # when
    layout = data_layout([v1, v2])

    # then: v2's order, then what only v1 had, marked with the version that dropped it
    assert [c.key for c in layout.main.columns] == [
        "address",
        "floors",
        "location.lat",
        "location.lng",
        "location.accuracy",
        "photos",
        "hazard_found",
        "hazards[]",
        "weather",
        "checked_on",
    ]
    titles = {c.key: c.title for c in layout.main.columns}
    assert titles["floors"] == "楼层数（层）"
    assert titles["location.lat"] == "位置·纬度"
    assert titles["hazards[]"] == "隐患（条）"
    assert titles["checked_on"] == "检查日期（第2版起已删除）"
    assert [t.key for t in layout.groups] == ["hazards"]
    assert [(c.key, c.title) for c in layout.groups[0].columns] == [
        ("kind", "隐患类型"),
        ("severity", "严重程度（第2版起已删除）"),
    ]


def test_a_field_back_in_a_later_version_is_not_marked_removed(app_version, people):
    # given: v2 drops 检查日期, v3 brings it back
    schema, ui = v2_definition()
    app = app_version.app
    light_app_save_draft(app=app, schema=schema, ui=ui, flow=SMALL_FLOW)
    v2 = light_app_publish(app=app, actor=people["designer"])
    light_app_save_draft(app=app, schema=SMALL_SCHEMA, ui=SMALL_UI, flow=SMALL_FLOW)
    v3 = light_app_publish(app=app, actor=people["designer"])

    # when
    layout = data_layout([app_version, v2, v3])

    # then
    titles = {c.key: c.title for c in layout.main.columns}
    assert titles["checked_on"] == "检查日期"
    assert titles["weather"] == "天气（第3版起已删除）"


# ---------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------


def test_export_across_versions_keeps_the_answers_of_removed_fields(filled, people):
    # when
    n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then: the main sheet, newest first
    assert n == 2
    assert book.sheetnames == ["上报数据", "隐患"]
    header, rows = _sheet_rows(book["上报数据"])
    assert header[:8] == (
        "上报编号", "版本", "上报时间", "设备时间", "上报人", "所属区域", "工单号", "工单状态",
    )  # fmt: skip
    assert header[8:] == (
        "地址", "楼层数（层）", "位置·纬度", "位置·经度", "位置·精度（米）", "现场照片",
        "是否发现隐患", "隐患（条）", "天气", "检查日期（第2版起已删除）", "其他数据",
    )  # fmt: skip
    new, old = rows
    assert new[0] == str(filled["new"].pk) and new[1] == 2
    assert old[0] == str(filled["old"].pk) and old[1] == 1
    assert old[4] == "王网格" and old[5] == "江宁路街道 · 江宁路第1网格"
    assert old[6] == filled["old"].work_order.number and old[7] == "待立案"
    col = {title: i for i, title in enumerate(header)}
    # v1's answer to the field v2 removed is there, as a date
    assert old[col["检查日期（第2版起已删除）"]] == datetime(2026, 11, 23)
    assert new[col["检查日期（第2版起已删除）"]] is None
    assert new[col["天气"]] == "雨"
    assert old[col["天气"]] is None
    # numbers stay numbers; a location is three columns; booleans read 是/否
    assert old[col["楼层数（层）"]] == 6
    # personal data stays masked in exports: the place to about 100 m (see masking)
    assert old[col["位置·纬度"]] == pytest.approx(31.236)
    assert old[col["位置·精度（米）"]] == 100
    assert old[col["是否发现隐患"]] == "是"
    assert old[col["隐患（条）"]] == 2
    assert old[col["现场照片"]] == f"http://testserver/attachments/{filled['photos'][0].pk}/"
    assert isinstance(old[2], datetime)


def test_repeated_groups_get_a_sheet_keyed_by_submission_and_item(filled, people):
    # when
    _n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then: labels are the ones each version showed (v2 renamed 外墙脱落 to 饰面脱落)
    header, rows = _sheet_rows(book["隐患"])
    assert header == (
        "上报编号",
        "序号",
        "上报时间",
        "所属区域",
        "隐患类型",
        "严重程度（第2版起已删除）",
    )
    old, new = str(filled["old"].pk), str(filled["new"].pk)
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [
        (new, 1, "饰面脱落", None),
        (old, 1, "外墙脱落", "严重"),
        (old, 2, "空调外机", "一般"),
    ]


def test_a_typed_formula_stays_text(filled, people):
    # when
    _n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then: the cell is a string, never a formula Excel would run
    sheet = book["上报数据"]
    cell = sheet.cell(row=2, column=9)
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"


def test_answers_no_version_describes_land_in_other_data(filled, people):
    # given: a row written past the validator (e.g. by an old import)
    Submission.objects.filter(pk=filled["new"].pk).update(
        data={**filled["new"].data, "legacy_code": "A-7"}
    )

    # when
    _n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then
    header, rows = _sheet_rows(book["上报数据"])
    assert rows[0][header.index("其他数据")] == '{"legacy_code": "A-7"}'
    assert rows[1][header.index("其他数据")] is None


def test_control_characters_are_dropped_instead_of_failing_the_export(filled, people):
    # given
    data = {**filled["new"].data, "address": "江宁路\x07 100 号\x1b"}
    Submission.objects.filter(pk=filled["new"].pk).update(data=data)

    # when
    _n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then
    assert book["上报数据"].cell(row=2, column=9).value == "江宁路 100 号"


def test_every_kind_has_its_cell(kinds_version, people, make_photo, make_pdf, tree):
    # given: one answer of every kind of the dialect
    owner = people["owner"]
    photo, signature, pdf = make_photo(owner), make_photo(owner, "sig.png"), make_pdf(owner)
    data = kinds_data(photo=str(photo.pk), grid=tree["jny_grid2"].pk, handler="handler")
    data.update({"papers": [str(pdf.pk)], "signature": str(signature.pk)})
    submit_as(kinds_version, owner, data)

    # when
    _n, book = _workbook(people["supervisor"], kinds_version.app, base_url="https://x.cn")

    # then
    header, (row,) = _sheet_rows(book["上报数据"])
    got = dict(zip(header, row, strict=True))
    assert "基本情况" not in got and "填写提示" not in got  # heading and note hold no answer
    assert got["名称"] == "检查点"
    assert got["经过"] == "第一行\n第二行"
    assert got["层数（层）"] == 6
    assert got["面积（平方米）"] == 12.5
    assert got["程度"] == "严重"
    assert got["类别"] == "丙"
    assert got["问题"] == "扬尘、噪声"
    assert got["噪声分贝"] == 72.5
    assert got["是否紧急"] == "是"
    assert got["日期"] == datetime(2026, 11, 23)
    assert got["时间"] == "09:30"
    assert got["时刻"] == datetime(2026, 11, 23, 9, 30)  # local time, Asia/Shanghai
    assert got["照片"] == f"https://x.cn/attachments/{photo.pk}/"
    assert got["附件"] == f"告知书.pdf https://x.cn/attachments/{pdf.pk}/"
    assert got["位置·经度"] == pytest.approx(121.451)  # masked to about 100 m
    assert got["地址"] == "江宁路 100 号"
    assert got["网格"] == "江宁路第2网格"
    assert got["处置人"] == "陈处置"
    assert got["手机"] == "138****5678"  # masked: exports leave the office
    assert got["身份证号"] == "110105********002X"  # masked: exports leave the office
    assert got["签字"] == f"https://x.cn/attachments/{signature.pk}/"
    assert got["评分"] == 4
    assert got["房间（条）"] == 1
    rooms_header, (room,) = _sheet_rows(book["房间"])
    assert rooms_header[4:] == ("房号", "人数")
    assert room[4:] == ("101", 2)


def test_page_rows_carry_the_same_values(filled, people):
    # given
    app = filled["v1"].app
    versions = {v.number: v for v in app.versions.all()}
    layout = data_layout(versions.values())
    qs = submissions_for_data(person=people["supervisor"], app=app, filters=DataFilters())

    # when
    rows = list(data_rows(qs, layout, versions))

    # then
    keys = [c.key for c in layout.main.columns]
    old = rows[1]
    assert old.cells[keys.index("checked_on")] == date(2026, 11, 23)
    assert old.cells[keys.index("photos")].kind == "photos"
    assert [r[4] for r in old.groups["hazards"]] == ["外墙脱落", "空调外机"]


# ---------------------------------------------------------------------------------------------
# Scope and refusals
# ---------------------------------------------------------------------------------------------


def test_export_holds_only_what_the_person_may_see(filled, people, two_versions, make_photo):
    # given: a report from the next street
    photo = make_photo(people["outsider"])
    data = {**filled["new"].data, "address": "石门二路 1 号", "photos": [str(photo.pk)]}
    submit_as(two_versions[1], people["outsider"], data)

    # when
    n_jny, jny = _workbook(people["supervisor"], filled["v1"].app)
    n_smr, smr = _workbook(people["smr_supervisor"], filled["v1"].app)

    # then
    assert (n_jny, n_smr) == (2, 1)
    _h, smr_rows = _sheet_rows(smr["上报数据"])
    assert smr_rows[0][8] == "石门二路 1 号"
    assert all(r[0] != str(filled["old"].pk) for r in smr_rows)
    _h, items = _sheet_rows(smr["隐患"])
    assert {r[0] for r in items} == {smr_rows[0][0]}


def test_filters_narrow_by_date_unit_and_version(filled, people, tree):
    app = filled["v1"].app
    boss = people["supervisor"]
    today = timezone.localdate(filled["new"].received_at)  # dates are Shanghai's

    def count(**params):
        filters = data_filters_parse(person=boss, app=app, params=params)
        return submissions_for_data(person=boss, app=app, filters=filters).count()

    assert count() == 2
    assert count(version="1") == 1
    assert count(since=today.isoformat(), until=today.isoformat()) == 2
    assert count(until="2020-01-01") == 0
    assert count(unit=str(tree["jny_grid1"].pk)) == 2
    assert count(unit=str(tree["jny_grid2"].pk)) == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"since": "2026-13-01"}, "since", "请填写有效日期，格式如 2026-12-01"),
        ({"until": "yesterday"}, "until", "请填写有效日期，格式如 2026-12-01"),
        ({"since": "2026-12-02", "until": "2026-12-01"}, "until", "结束日期不能早于开始日期"),
        ({"unit": "abc"}, "unit", "没有这个区域，或不在您的管辖范围内"),
        ({"unit": "999999"}, "unit", "没有这个区域，或不在您的管辖范围内"),
        ({"version": "9"}, "version", "该应用没有这个版本"),
        ({"version": "-1"}, "version", "该应用没有这个版本"),
        ({"version": "99999999999999999999"}, "version", "该应用没有这个版本"),
        ({"unit": "99999999999999999999"}, "unit", "没有这个区域，或不在您的管辖范围内"),
    ],
)
def test_bad_filters_are_named(filled, people, params, field, message):
    with pytest.raises(DomainError) as caught:
        data_filters_parse(person=people["supervisor"], app=filled["v1"].app, params=params)

    assert caught.value.code == "invalid_filter"
    assert caught.value.fields == {field: [message]}


def test_a_unit_of_the_next_street_is_refused_like_an_unknown_one(filled, people, tree):
    with pytest.raises(DomainError) as caught:
        data_filters_parse(
            person=people["supervisor"],
            app=filled["v1"].app,
            params={"unit": str(tree["smr_grid1"].pk)},
        )

    assert caught.value.fields == {"unit": ["没有这个区域，或不在您的管辖范围内"]}


def test_an_export_over_the_limit_is_refused_before_writing(filled, people, settings):
    # given
    settings.DATA_EXPORT_MAX_ROWS = 1
    out = io.BytesIO()

    # when
    with pytest.raises(DomainError) as caught:
        submissions_export_xlsx(
            person=people["supervisor"], app=filled["v1"].app, filters=DataFilters(), out=out
        )

    # then
    assert caught.value.code == "export_too_large"
    assert "2 条" in caught.value.message and "1 条" in caught.value.message
    assert out.getvalue() == b""


def test_export_queries_do_not_grow_with_the_rows(
    filled, people, two_versions, make_photo, django_assert_max_num_queries
):
    # given
    app = filled["v1"].app

    def run():
        _workbook(people["supervisor"], app)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        run()
    for _ in range(10):
        photo = make_photo(people["colleague"])
        submit_as(
            two_versions[1], people["colleague"], {**filled["new"].data, "photos": [str(photo.pk)]}
        )

    # when / then: twelve rows cost what two did
    with django_assert_max_num_queries(len(two.captured_queries)):
        run()


def test_days_are_shanghai_days(filled, people):
    # given: one report at 23:30 Shanghai time on 2026-11-23 (15:30 UTC), one 30 minutes later
    app = filled["v1"].app
    late = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    Submission.objects.filter(pk=filled["old"].pk).update(received_at=late)
    Submission.objects.filter(pk=filled["new"].pk).update(received_at=late + timedelta(hours=1))
    boss = people["supervisor"]

    def ids(**params):
        filters = data_filters_parse(person=boss, app=app, params=params)
        return {s.pk for s in submissions_for_data(person=boss, app=app, filters=filters)}

    # then
    assert ids(since="2026-11-23", until="2026-11-23") == {filled["old"].pk}
    assert ids(since="2026-11-24") == {filled["new"].pk}
    assert ids(until="2026-11-22") == set()


def test_a_text_longer_than_a_cell_is_cut_and_says_so(filled, people):
    # given: an answer past Excel's 32,767 characters (written past the validator)
    data = {**filled["new"].data, "address": "长" * 40000}
    Submission.objects.filter(pk=filled["new"].pk).update(data=data)

    # when
    _n, book = _workbook(people["supervisor"], filled["v1"].app)

    # then
    value = book["上报数据"].cell(row=2, column=9).value
    assert len(value) == 32767
    assert value.endswith("…（超出 Excel 单元格长度，已截断）")
