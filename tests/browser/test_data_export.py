"""A street supervisor reads 上报数据 at 1440×900, narrows it, exports Excel and opens a report."""

import re

import pytest
from openpyxl import load_workbook

from lightapps.demo.records import seed_demo_records
from lightapps.demo.seed import seed_demo
from tests.browser.conftest import off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_reads_the_data_of_their_street_and_exports_it(
    desktop, tmp_path, settings, shot, eager_tasks
):
    # given: the demo district with its demo reports (two streets)
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(seed_demo)
    off_loop(seed_demo_records)

    # when: 江宁路's supervisor opens 上报数据 from the top bar
    desktop.goto("/login/?next=/console/")
    desktop.click("button[data-username='jny_supervisor']")
    desktop.wait_for_url(re.compile("/console/$"))
    desktop.get_by_role("link", name="上报数据").click()
    desktop.wait_for_url(re.compile("/console/data/"))

    # then: the first app (by name) with the street's reports only
    desktop.select_option("select[name=app]", label="房屋外墙高坠隐患排查")
    desktop.click("#data-filters button[type=submit]")
    desktop.wait_for_url(re.compile("app=facade-hazard"))
    rows = desktop.locator("#data-table tbody tr")
    assert rows.count() == 2
    assert "共 2 条" in desktop.locator("#data-total").inner_text()
    table = desktop.locator("#data-table").inner_text()
    assert "江宁路 455 弄 12 号" in table and "康定路 1021 号" in table
    assert "石门二路 333 弄 5 号" not in table
    assert desktop.locator("#data-table tbody img.thumb").count() >= 2
    shot(desktop, "data-facade")

    # when: a bad range is refused next to the field, nothing else shown
    desktop.fill("input[name=since]", "2026-12-09")
    desktop.fill("input[name=until]", "2026-12-01")
    desktop.click("#data-filters button[type=submit]")
    assert "结束日期不能早于开始日期" in desktop.locator("#data-error").inner_text()
    assert desktop.locator("#data-table").count() == 0
    assert desktop.locator("input[name=until]").get_attribute("aria-invalid") == "true"

    # when: the filters are cleared and the flood patrols exported
    desktop.click("text=清除筛选")
    desktop.select_option("select[name=app]", label="防汛防台巡查")
    desktop.click("#data-filters button[type=submit]")
    desktop.wait_for_url(re.compile("app=flood-patrol"))
    with desktop.expect_download() as download:
        desktop.click("#export")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)

    # then: a workbook named after the app, the street's report and its patrol points
    assert re.fullmatch(r"防汛防台巡查-上报数据-\d{8}\.xlsx", download.value.suggested_filename)
    book = load_workbook(path)
    assert book.sheetnames == ["上报数据", "检查点位"]
    header, *data = list(book["上报数据"].iter_rows(values_only=True))
    assert len(data) == 1
    assert data[0][header.index("巡查范围")] == "西康路、昌平路沿线及苏州河江宁路桥段"
    points = list(book["检查点位"].iter_rows(values_only=True))[1:]
    assert {p[0] for p in points} == {data[0][0]} and len(points) == 3

    # when: the report is opened from its row
    desktop.locator("#data-table tbody tr").first.locator("td a").first.click()
    desktop.wait_for_url(re.compile("/console/submissions/"))

    # then: every answer, with its own version
    assert "第 1 版" in desktop.locator(".facts").inner_text()
    assert "检查点位" in desktop.locator("table.answers").inner_text()
    shot(desktop, "data-submission")
