"""工单标题: "应用 · 地址或网格 · 隐患类型", read from the report with its own version."""

import pytest

from lightapps.demo.samples import demo_app, sample_data
from lightapps.orgs.models import OrgUnit
from lightapps.workorders.titles import work_order_title

GRID = OrgUnit(name="江宁路第3网格")


def _title(key: str, data: dict, name: str = "外墙隐患排查") -> str:
    read = demo_app(key)
    return work_order_title(
        app_name=name, schema=read["schema"], ui=read["ui"], data=data, place=GRID
    )


def test_facade_report_says_app_address_and_the_kinds_of_its_hazards():
    data = sample_data("facade-hazard")
    assert (
        _title("facade-hazard", data)
        == "外墙隐患排查 · 江宁路 455 弄 12 号 · 空调外机支架锈蚀、外墙饰面脱落"
    )


def test_more_kinds_than_shown_end_in_etc_and_a_kind_is_named_once():
    data = sample_data("facade-hazard")
    data["hazards"] = [
        dict(h, kind=k)
        for h, k in zip(
            data["hazards"] * 3, ["facing", "ac_bracket", "facing", "window"], strict=False
        )
    ]
    title = _title("facade-hazard", data)
    assert title.endswith("外墙饰面脱落、空调外机支架锈蚀等")


def test_without_an_address_the_grid_names_the_place():
    data = dict(sample_data("facade-hazard"), address="  ")
    assert _title("facade-hazard", data).startswith("外墙隐患排查 · 江宁路第3网格 · ")


def test_a_top_level_kind_and_a_form_with_no_kind():
    flood = sample_data("flood-patrol")
    title = _title("flood-patrol", flood, name="防汛巡查")
    assert title.startswith("防汛巡查 · 江宁路第3网格")  # no address field: the grid
    assert title.count(" · ") == (2 if flood.get("danger_type") else 1)
    assert _title("facade-hazard", {}, name="外墙") == "外墙 · 江宁路第3网格"


@pytest.mark.parametrize(
    "data",
    [None, [], {"address": 12, "hazards": "x"}, {"hazards": [None, 3, {"kind": ["x"]}]}],
)
def test_odd_answers_still_give_a_title(data):
    assert _title("facade-hazard", data, name="外墙") == "外墙 · 江宁路第3网格"


def test_long_answers_are_cut_to_the_column():
    data = dict(sample_data("facade-hazard"), address="弄" * 500)
    assert len(_title("facade-hazard", data)) == 200


def test_search_text_holds_what_is_written_and_no_personal_kind():
    from lightapps.workorders.titles import work_order_search_text

    read = demo_app("facade-hazard")
    data = sample_data("facade-hazard")
    text = work_order_search_text(schema=read["schema"], ui=read["ui"], data=data)

    for written in (
        "江宁路 455 弄 12 号",
        "三和花园",
        "空调外机支架严重锈蚀",
        "外墙饰面脱落",
        "张师傅",
    ):
        assert written in text
    for personal in ("13812345678", "13912345678", "11010519491231002X", "31.2471"):
        assert personal not in text
    assert work_order_search_text(schema=read["schema"], ui=read["ui"], data=None) == ""
    long = dict(data, remark="长" * 10_000)
    assert len(work_order_search_text(schema=read["schema"], ui=read["ui"], data=long)) == 4000
