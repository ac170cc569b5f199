"""上报内容 for display: one row shape for every field kind, on the phone and the console."""

import uuid

import pytest

from lightapps.definitions.dialect import WIDGETS, fields_of
from lightapps.submissions.display import answers_for_display
from tests.fixtures.definitions import SMALL_SCHEMA, SMALL_UI

PHOTO = "3f2b8c1e-5a4d-4e7f-9c0b-1d2e3f4a5b6c"
HAZARDS = SMALL_SCHEMA["allOf"][0]["then"]["properties"]["hazards"]

# The small app of the other tests (text, integer with a unit, date, location, photos, boolean and
# a conditional group of a select and a radio) with the kinds it lacks, and photos in the group.
SCHEMA = {
    **SMALL_SCHEMA,
    "properties": {
        **SMALL_SCHEMA["properties"],
        "remarks": {"type": "string", "title": "情况说明"},
        "area": {"type": "number", "title": "面积"},
        "count": {"type": "integer", "title": "数量"},
        "tags": {"type": "array", "title": "标签", "items": {"type": "string"}},
        "issues": {  # choices as oneOf/const (the small app's are enum/enumNames)
            "type": "array",
            "title": "发现问题",
            "items": {
                "oneOf": [{"const": "dust", "title": "扬尘"}, {"const": "noise", "title": "噪声"}]
            },
        },
        "visit_time": {"type": "string", "format": "time", "title": "检查时间"},
        "next_visit": {"type": "string", "format": "date-time", "title": "复查时间"},
        "street_address": {"type": "string", "title": "门牌地址"},
        "contact_mobile": {"type": "string", "format": "cn-mobile", "title": "联系手机"},
        "owner_id": {"type": "string", "format": "cn-resident-id", "title": "身份证号"},
        "score": {"type": "integer", "title": "评分", "minimum": 1, "maximum": 5},
        "grid": {"type": "integer", "title": "所在网格"},
        "handler": {"type": "string", "title": "处置人"},
        "notice": {
            "type": "array",
            "title": "告知书",
            "items": {"type": "string", "format": "uuid"},
        },
        "signature": {"type": "string", "format": "uuid", "title": "签字"},
        "part_two": {"type": "null", "readOnly": True, "title": "第二部分"},
        "tip": {"type": "null", "readOnly": True, "title": "提示", "description": "注意安全"},
    },
    "allOf": [
        {
            **SMALL_SCHEMA["allOf"][0],
            "then": {
                "properties": {
                    "hazards": {
                        **HAZARDS,
                        "items": {
                            **HAZARDS["items"],
                            "properties": {
                                **HAZARDS["items"]["properties"],
                                "photos": {"type": "array", "title": "照片"},
                            },
                        },
                    }
                }
            },
        }
    ],
}
UI = {
    **SMALL_UI,
    "remarks": {"ui:widget": "textarea"},
    "area": {"ui:options": {"unit": "平方米", "section": "施工情况"}},
    "issues": {"ui:widget": "checkboxes"},
    "street_address": {"ui:widget": "address"},
    "contact_mobile": {"ui:widget": "mobile"},
    "owner_id": {"ui:widget": "idcard"},
    "score": {"ui:widget": "rating"},
    "grid": {"ui:widget": "orgunit"},
    "handler": {"ui:widget": "person"},
    "notice": {"ui:widget": "files"},
    "signature": {"ui:widget": "signature"},
    "part_two": {"ui:widget": "heading"},
    "tip": {"ui:widget": "note"},
    "hazards": {
        "ui:options": {"itemTitle": "隐患"},
        "items": {**SMALL_UI["hazards"]["items"], "photos": {"ui:widget": "photos"}},
    },
}


def test_the_schema_here_has_every_field_kind():
    fields = fields_of(SCHEMA, UI)
    group = next(f for f in fields if f["kind"] == "group")
    assert {f["kind"] for f in fields + group["fields"]} == WIDGETS


def rows_by_name(data, reveal=frozenset()):
    return {row["name"]: row for row in answers_for_display(SCHEMA, UI, data, reveal=reveal)}


# The personal data of this form, in clear: these tests are about the text (masking:
# tests/submissions/test_masking.py).
REVEAL_ALL = frozenset({"location", "contact_mobile", "owner_id"})


def hazard_rows(item):
    """The rows of the one item of the hazards group."""
    row = rows_by_name({"hazard_found": True, "hazards": [item]})["hazards"]
    return {a["name"]: a for a in row["group"]["items"][0]["answers"]}


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("address", "江宁路 100 号", "江宁路 100 号"),
        ("remarks", "第一行\n第二行", "第一行\n第二行"),
        ("floors", 6, "6 层"),
        ("area", 12.5, "12.5 平方米"),
        ("count", 3, "3"),
        ("count", 0, "0"),
        ("issues", ["dust", "noise"], "扬尘、噪声"),
        ("issues", ["dust", "gone"], "扬尘、gone"),
        ("tags", ["临街", "高层"], "临街、高层"),
        ("hazard_found", True, "是"),
        ("hazard_found", False, "否"),
        ("checked_on", "2026-11-23", "2026-11-23"),
        ("visit_time", "09:30:00+08:00", "09:30"),
        ("visit_time", "not a time", "not a time"),
        ("next_visit", "2026-11-24T01:30:00Z", "2026-11-24 09:30"),
        ("next_visit", "2026-11-24T09:30:00", "2026-11-24 09:30"),
        ("next_visit", "soon", "soon"),
        (
            "location",
            {"lat": 31.2363, "lng": 121.4512, "accuracy": 12.4},
            "纬度 31.236300，经度 121.451200（精度约 12 米）",
        ),
        ("location", {"lat": 31.2363, "lng": 121.4512}, "纬度 31.236300，经度 121.451200"),
        ("location", {"lat": "x"}, "纬度 —，经度 —"),
        ("street_address", "江宁路 455 弄 12 号", "江宁路 455 弄 12 号"),
        ("contact_mobile", "13812345678", "13812345678"),
        ("owner_id", "11010519491231002X", "11010519491231002X"),
        ("owner_id", "12345", "12345"),
        ("score", 2, "★★☆☆☆（2/5）"),
        ("score", 5, "★★★★★（5/5）"),
    ],
)
def test_each_kind_shows_as_the_person_chose_it(name, value, text):
    # when
    row = rows_by_name({name: value}, reveal=REVEAL_ALL)[name]

    # then
    assert row["text"] == text
    assert row["empty"] is False
    assert row["photos"] == []
    assert row["group"] is None


@pytest.mark.parametrize(
    ("name", "value", "kind", "text"),
    [
        ("kind", "window", "select", "窗户松动"),
        ("kind", "gone", "select", "gone"),
        ("severity", "high", "radio", "严重"),
    ],
)
def test_a_choice_shows_its_label(name, value, kind, text):
    # when
    row = hazard_rows({name: value})[name]

    # then
    assert row["kind"] == kind
    assert row["text"] == text


def test_a_row_carries_title_section_kind_and_whether_to_keep_line_breaks():
    # when
    rows = rows_by_name({"remarks": "a\nb", "area": 3})

    # then
    assert rows["remarks"] == {
        "name": "remarks",
        "title": "情况说明",
        "section": "",
        "kind": "textarea",
        "text": "a\nb",
        "multiline": True,
        "empty": False,
        "photos": [],
        "files": [],
        "group": None,
        "masked": False,
        "reveal": "",
    }
    assert rows["area"]["section"] == "施工情况"
    assert rows["area"]["kind"] == "number"
    assert rows["area"]["multiline"] is False


def test_rows_follow_the_form_order():
    # when
    names = [row["name"] for row in answers_for_display(SCHEMA, UI, {"hazard_found": False})]

    # then: ui:order first (hazards is hidden), then the rest in the schema's order
    assert names == [
        *[name for name in SMALL_UI["ui:order"] if name != "hazards"],
        "remarks",
        "area",
        "count",
        "tags",
        "issues",
        "visit_time",
        "next_visit",
        "street_address",
        "contact_mobile",
        "owner_id",
        "score",
        "grid",
        "handler",
        "notice",
        "signature",
    ]


def test_photos_carry_their_attachment_urls_and_skip_ids_that_are_not_attachments():
    # when
    row = rows_by_name({"photos": [PHOTO, "../etc/passwd"]})["photos"]

    # then
    assert row["photos"] == [{"id": PHOTO, "url": f"/attachments/{PHOTO}/"}]
    assert row["section"] == "现场情况"
    assert row["empty"] is False
    assert row["text"] == ""


def test_a_repeated_group_is_headers_and_one_answer_per_column_per_item():
    # given
    other = str(uuid.uuid4())
    hazards = [{"kind": "tile", "severity": "high", "photos": [other]}, {"kind": "ac"}, "junk"]

    # when
    row = rows_by_name({"hazard_found": True, "hazards": hazards})["hazards"]

    # then
    assert row["title"] == "隐患"
    assert row["empty"] is False
    group = row["group"]
    assert group["headers"] == ["隐患类型", "严重程度", "照片"]
    assert [item["title"] for item in group["items"]] == ["隐患 1", "隐患 2"]
    first, second = group["items"]
    assert [a["text"] for a in first["answers"]] == ["外墙脱落", "严重", ""]
    assert first["answers"][2]["photos"] == [{"id": other, "url": f"/attachments/{other}/"}]
    assert [a["name"] for a in second["answers"]] == ["kind", "severity", "photos"]
    assert [a["empty"] for a in second["answers"]] == [False, True, True]


@pytest.mark.parametrize("value", [None, "", [], {}])
def test_nothing_answered_is_empty(value):
    # when
    row = rows_by_name({"address": value, "issues": value, "location": value})

    # then
    for name in ["address", "issues", "location"]:
        assert row[name]["empty"] is True
        assert row[name]["text"] == ""


def test_fields_without_an_answer_are_empty_and_hidden_conditional_ones_left_out():
    # when
    rows = rows_by_name({"hazard_found": False})

    # then
    assert rows["address"]["empty"] is True
    assert rows["photos"]["empty"] is True
    assert "hazards" not in rows


def test_an_answered_conditional_group_without_items_is_empty():
    # when
    row = rows_by_name({"hazard_found": True, "hazards": []})["hazards"]

    # then
    assert row["empty"] is True
    assert row["group"] == {"headers": ["隐患类型", "严重程度", "照片"], "items": []}


def test_answers_of_removed_fields_come_last_under_their_key():
    # given: answers stored under an older version that had these fields
    data = {
        "address": "a",
        "old_note": "旧说明",
        "old_flag": True,
        "old_list": [1, 2],
        "old_items": [{"名称": "x"}],
        "hazard_found": True,
        "hazards": [{"kind": "tile", "old_sub": "旧值"}, {"kind": "window"}],
    }

    # when
    rows = answers_for_display(SCHEMA, UI, data)

    # then
    removed = [(r["name"], r["title"], r["kind"], r["text"]) for r in rows[-4:]]
    assert removed == [
        ("old_note", "old_note", "removed", "旧说明"),
        ("old_flag", "old_flag", "removed", "是"),
        ("old_list", "old_list", "removed", "1、2"),
        ("old_items", "old_items", "removed", '{"名称": "x"}'),
    ]
    group = {r["name"]: r for r in rows}["hazards"]["group"]
    assert group["headers"] == ["隐患类型", "严重程度", "照片", "old_sub"]
    assert [[a["text"] for a in item["answers"]] for item in group["items"]] == [
        ["外墙脱落", "", "", "旧值"],
        ["窗户松动", "", "", ""],
    ]


@pytest.mark.parametrize("data", [None, [], "text"])
def test_data_that_is_not_an_object_shows_every_field_empty(data):
    # when
    rows = answers_for_display(SCHEMA, UI, data)

    # then
    assert rows and all(row["empty"] for row in rows)


def test_bad_values_for_a_kind_do_not_crash():
    # when
    rows = rows_by_name(
        {
            "issues": "dust",
            "location": [1, 2],
            "photos": "not a list",
            "hazards": {"kind": "tile"},
            "floors": "many",
        }
    )

    # then
    assert rows["issues"]["text"] == "dust"
    assert rows["location"]["text"] == "****"  # malformed personal data: masked fully
    assert rows_by_name({"location": [1, 2]}, reveal=REVEAL_ALL)["location"]["text"] == "1、2"
    assert rows["photos"]["empty"] is True
    assert rows["hazards"]["empty"] is True
    assert rows["floors"]["text"] == "many 层"


def test_headings_and_notes_have_no_row():
    # when
    rows = rows_by_name({"part_two": None, "tip": None, "address": "江宁路 1 号"})

    # then
    assert "part_two" not in rows
    assert "tip" not in rows
    assert rows["address"]["text"] == "江宁路 1 号"


def test_a_signature_shows_as_its_picture():
    # when
    row = rows_by_name({"signature": PHOTO})["signature"]

    # then
    assert row["kind"] == "photos"
    assert row["photos"] == [{"id": PHOTO, "url": f"/attachments/{PHOTO}/"}]
    assert row["empty"] is False


def test_files_show_their_names_and_links(db, people, make_photo):
    # given: an uploaded file
    attachment = make_photo(people["owner"])
    attachment.original_name = "整改告知书.pdf"
    attachment.save(update_fields=["original_name"])

    # when
    row = rows_by_name({"notice": [str(attachment.pk)]})["notice"]

    # then
    assert row["text"] == "整改告知书.pdf"
    assert row["files"] == [
        {
            "id": str(attachment.pk),
            "url": f"/attachments/{attachment.pk}/",
            "name": "整改告知书.pdf",
        }
    ]


def test_an_org_unit_and_a_person_show_by_name(db, tree, people):
    # given
    grid = tree["jny_grid1"]

    # when
    rows = rows_by_name({"grid": grid.pk, "handler": people["owner"].username, "score": 3})

    # then
    assert rows["grid"]["text"] == grid.name
    assert rows["handler"]["text"] == people["owner"].display_name
    assert rows["grid"]["kind"] == "orgunit"


def test_an_org_unit_or_person_gone_shows_the_stored_value(db):
    # when
    rows = rows_by_name({"grid": 999999, "handler": "nobody"})

    # then
    assert rows["grid"]["text"] == "999999"
    assert rows["handler"]["text"] == "nobody"
