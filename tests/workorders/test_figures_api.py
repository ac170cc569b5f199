"""GET /api/figures/, the figures page and its Excel file against the hand-counted fixture."""

import io

from openpyxl import load_workbook

from lightapps.orgs.models import Role
from lightapps.orgs.services import membership_grant, person_upsert
from tests.workorders.figures_fixture import period
from tests.workorders.test_figures_grouped import COUNTED, EXPECTED


def _counted(figures):
    return tuple(figures[k] for k in COUNTED)


def _query(unit, **extra):
    since, until = period()
    return {"unit": unit.pk, "since": since.isoformat(), "until": until.isoformat(), **extra}


def _district_supervisor(tree):
    person = person_upsert(username="ja_supervisor", name="静督办", wecom_userid="ja_supervisor")
    membership_grant(person=person, org_unit=tree["district"], role=Role.SUPERVISOR)
    return person


def test_the_figures_the_ranking_and_the_trend_match_the_hand_count(figures_world, tree, api):
    client = api(_district_supervisor(tree))

    response = client.get("/api/figures/", _query(tree["district"], by="month"))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["unit"] == {"id": tree["district"].pk, "name": "静安区", "kind": "district"}
    assert _counted(body["figures"]) == EXPECTED["district"]
    parts = body["figures"]["score_parts"]
    assert round(parts["on_time"] + parts["closure"] + parts["no_rework"], 2) == 68.75
    tables = {t["kind"]: [(r["unit"]["name"], r["figures"]["score"]) for r in t["rows"]]
              for t in body["ranking"]}  # fmt: skip
    assert tables == {
        "street": [("石门二路街道", 80.0), ("江宁路街道", 66.19)],
        "department": [("房管局", 85.0)],
    }
    assert len(body["trend"]) == 2 and body["by"] == "month"
    assert sum(b["figures"]["opened"] for b in body["trend"]) == body["figures"]["opened"]
    assert body["links"]["overdue_now"] == f"/console/?under={tree['district'].pk}&due=overdue"


def test_a_street_supervisor_reads_the_street_only(figures_world, tree, people, api):
    client = api(people["supervisor"])  # 江宁路

    own = client.get("/api/figures/", _query(tree["jny"]))
    default = client.get(
        "/api/figures/", {k: v for k, v in _query(tree["jny"]).items() if k != "unit"}
    )
    other = client.get("/api/figures/", _query(tree["smr"]))
    district = client.get("/api/figures/", _query(tree["district"]))
    grid_worker = api(people["owner"]).get("/api/figures/", _query(tree["jny"]))

    assert _counted(own.json()["figures"]) == EXPECTED["jny"]
    assert default.json()["unit"]["id"] == tree["jny"].pk
    for refused in (other, district):
        assert refused.status_code == 404
        assert refused.json()["code"] == "unit_not_found"
    assert grid_worker.status_code == 403


def test_bad_values_are_named_field_by_field(figures_world, tree, people, api):
    client = api(people["supervisor"])

    response = client.get(
        "/api/figures/",
        {"unit": "x", "since": "2026-13-01", "until": "昨天", "by": "day", "app": "nope"},
    )
    reversed_ = client.get("/api/figures/", {"since": "2026-11-30", "until": "2026-11-01"})
    too_long = client.get("/api/figures/", {"since": "2020-01-01", "until": "2026-11-01"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
    assert set(response.json()["fields"]) == {"unit", "since", "until", "by", "app"}
    assert reversed_.json()["fields"] == {"until": ["结束日期不能早于开始日期"]}
    assert too_long.json()["fields"] == {"until": ["统计时间范围不能超过两年"]}


def test_the_page_shows_every_number_as_a_link_and_the_excel_holds_the_same(
    figures_world, tree, client, django_assert_max_num_queries
):
    client.force_login(_district_supervisor(tree))
    query = _query(tree["district"], by="month")

    with django_assert_max_num_queries(30):
        page = client.get("/console/figures/", query)
    export = client.get("/console/figures/export/", query)

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/console/?under={tree["district"].pk}&amp;due=overdue"' in html
    assert "石门二路街道" in html and "68.75" in html
    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]
    book = load_workbook(
        io.BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    )
    assert book.sheetnames == ["汇总", "排名", "趋势"]
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    header = next(r for r in summary if r[0] == "单位" and r[1] == "上报数")
    values = summary[summary.index(header) + 1]
    assert values[0] == "静安区"
    assert dict(zip(header, values, strict=False))["综合得分"] == 68.75
    assert dict(zip(header, values, strict=False))["按期处置率"] == 0.7778
    ranking = [[c.value for c in row] for row in book["排名"].iter_rows() if row[0].value]
    assert [r[1] for r in ranking if isinstance(r[0], int)] == [
        "石门二路街道",
        "江宁路街道",
        "房管局",
    ]


def test_the_page_says_what_is_wrong_with_a_filter_and_refuses_others(
    figures_world, tree, people, client
):
    client.force_login(people["supervisor"])
    bad = client.get("/console/figures/", {"since": "2026-13-01"})
    foreign = client.get("/console/figures/", {"unit": tree["smr"].pk})
    client.force_login(people["handler"])
    handler = client.get("/console/figures/")

    assert bad.status_code == 400
    assert "请填写有效日期" in bad.content.decode()
    assert foreign.status_code == 404
    assert handler.status_code == 403


def test_the_list_behind_a_number_counts_what_the_number_says(figures_world, tree, client):
    client.force_login(_district_supervisor(tree))
    body = client.get("/api/figures/", _query(tree["district"])).json()

    for name in ("opened", "closed", "cases_done", "overdue_now"):
        listed = client.get(body["links"][name])
        assert listed.status_code == 200
        # the counters and the total follow the figure's filters, not only the rows
        assert listed.context["total"] == body["figures"][name], name
        assert len(listed.context["rows"]) == body["figures"][name], name
