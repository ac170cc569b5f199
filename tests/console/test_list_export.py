"""导出工单: the filtered list as CSV (Excel opens the Chinese: UTF-8 with a BOM; formulas kept
as text) and as .xlsx with each order's page a real link; scoped like the list."""

import csv
import io

from django.test import override_settings
from openpyxl import load_workbook

from lightapps.audit.models import AuditEntry
from lightapps.workorders.models import WorkOrder
from tests.console.test_list_search import four  # noqa: F401 (fixture)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_holds_the_filtered_list_with_chinese_headers(client, people, four):  # noqa: F811
    client.force_login(people["supervisor"])
    WorkOrder.objects.filter(pk=four["c"].pk).update(title='=HYPERLINK("http://x")')

    listed = client.get("/console/export/", {"format": "csv", "q": "江宁路"})
    everything = client.get("/console/export/", {"format": "csv", "sort": "created"})

    assert listed.status_code == 200
    assert listed["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in listed["Content-Disposition"]
    rows = _csv(listed)
    assert rows[0][:5] == ["工单号", "标题", "应用", "位置", "状态"]
    assert [r[0] for r in rows[1:]] == [four["a"].number]
    assert rows[1][1] == "外墙检查 · 江宁路 8 号"
    assert rows[1][5] == "紧急"
    assert rows[1][-1].endswith(f"/console/work-orders/{four['a'].pk}/")
    all_rows = _csv(everything)
    assert [r[0] for r in all_rows[1:]] == [four[k].number for k in "dcba"]
    assert all_rows[2][1] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert AuditEntry.objects.filter(action="work_orders.export").count() == 2


def test_the_workbook_links_each_order_and_refuses_beyond_its_limit(client, people, four):  # noqa: F811
    client.force_login(people["supervisor"])

    response = client.get("/console/export/", {"format": "xlsx", "priority": "normal"})
    with override_settings(DATA_EXPORT_MAX_ROWS=2):
        too_many = client.get("/console/export/", {"format": "xlsx"})
    bad = client.get("/console/export/", {"format": "pdf"})
    bad_filter = client.get("/console/export/", {"format": "csv", "sort": "x"})

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["工单"]
    assert [c.value for c in sheet[1]][:2] == ["工单号", "标题"]
    numbers = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(numbers) == sorted(four[k].number for k in "bcd")
    link = sheet.cell(row=2, column=12)
    assert link.value == "打开" and link.hyperlink.target.startswith("http://testserver/console/")
    assert AuditEntry.objects.filter(action="work_orders.export").count() == 1  # not the refused
    assert too_many.status_code == 400
    assert "请导出 CSV" in too_many.content.decode()
    assert bad.status_code == 400 and "只能是 csv 或 xlsx" in bad.content.decode()
    assert bad_filter.status_code == 400


def test_another_street_exports_nothing_of_this_one(client, people, four):  # noqa: F811
    client.force_login(people["smr_supervisor"])

    rows = _csv(client.get("/console/export/", {"format": "csv"}))

    assert rows[1:] == []
