"""上报数据 pages and the export API: one table across versions, the Excel file, refusals, scope."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lightapps.submissions.data import XLSX_TYPE
from tests.conftest import submit_as

PAGE = "/console/data/"
EXPORT = "/console/data/export/"
API = "/api/apps/facade-test/submissions/export/"


def _book(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "button"), [("隐患", "隐患明细 CSV"), ("隐患明细", "隐患明细 CSV")]
)
def test_a_groups_csv_button_names_it_once(client, people, filled, title, button):
    # given the repeated group titled with or without 明细 in every version
    from lightapps.definitions.models import LightAppVersion

    for version in LightAppVersion.objects.filter(app__key="facade-test"):
        version.schema["allOf"][0]["then"]["properties"]["hazards"]["title"] = title
        version.save(update_fields=["schema"])
    client.force_login(people["supervisor"])

    # when / then
    html = client.get(PAGE, {"app": "facade-test"}).content.decode()
    assert f">{button}</a>" in html and "明细明细" not in html


def test_data_page_shows_every_versions_columns_and_rows(client, people, filled):
    # given
    client.force_login(people["supervisor"])

    # when
    response = client.get(PAGE, {"app": "facade-test"})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 2 条" in html
    assert "检查日期（第2版起已删除）" in html and "天气" in html
    assert "<td>2026-11-23</td>" in html  # v1's answer to the removed field
    assert "雨" in html
    assert filled["old"].work_order.number in html
    assert f'href="/console/submissions/{filled["new"].pk}/"' in html
    assert 'href="/console/data/export/?app=facade-test"' in html
    # what a formula-looking answer reads as on the page: escaped text
    assert "=HYPERLINK(&quot;http://evil&quot;)" in html


def test_data_page_without_an_app_picks_the_first_visible(client, people, filled):
    client.force_login(people["supervisor"])

    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["app"].key == "facade-test"


@pytest.mark.parametrize("who", ["owner", "outsider", "designer"])
def test_people_without_a_console_role_get_no_data(client, people, filled, who):
    client.force_login(people[who])

    for url in (PAGE, EXPORT, f"/console/submissions/{filled['old'].pk}/"):
        response = client.get(url, {"app": "facade-test"})
        assert response.status_code == 403
        assert "江宁路 100 号" not in response.content.decode()


def test_the_next_streets_supervisor_sees_no_row_and_gets_404_for_a_detail(client, people, filled):
    client.force_login(people["smr_supervisor"])

    listing = client.get(PAGE, {"app": "facade-test"})
    detail = client.get(f"/console/submissions/{filled['old'].pk}/")

    assert listing.status_code == 200
    assert listing.context["rows"] == []
    assert "这个应用在您负责的区域还没有上报" in listing.content.decode()
    assert detail.status_code == 404


def test_an_unknown_app_is_404(client, people, filled):
    client.force_login(people["supervisor"])

    assert client.get(PAGE, {"app": "nope"}).status_code == 404
    assert client.get(EXPORT, {"app": "nope"}).status_code == 404


def test_bad_filters_are_shown_next_to_their_fields_and_keep_what_was_typed(client, people, filled):
    client.force_login(people["supervisor"])

    response = client.get(PAGE, {"app": "facade-test", "since": "2026-13-01", "version": "7"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "筛选条件有误，请修改后再试" in html
    assert "开始日期：请填写有效日期，格式如 2026-12-01" in html
    assert "版本：该应用没有这个版本" in html
    assert 'name="since" value="2026-13-01"' in html
    assert 'id="data-table"' not in html


def test_submission_detail_renders_with_its_own_version(client, people, filled):
    client.force_login(people["supervisor"])

    response = client.get(f"/console/submissions/{filled['old'].pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "第 1 版" in html
    assert "检查日期" in html and "2026-11-23" in html
    assert "外墙脱落" in html  # v1's label, though v2 renamed it
    assert filled["old"].work_order.number in html


@pytest.mark.parametrize("count", [2, 25])
def test_data_page_queries_do_not_grow_with_rows(
    client, people, filled, make_photo, django_assert_max_num_queries, count
):
    # given
    for _ in range(count - 2):
        photo = make_photo(people["colleague"])
        data = {**filled["new"].data, "photos": [str(photo.pk)]}
        submit_as(filled["v2"], people["colleague"], data)
    client.force_login(people["supervisor"])

    # when / then
    with django_assert_max_num_queries(14):
        response = client.get(PAGE, {"app": "facade-test"})
    assert len(response.context["rows"]) == count


# ---------------------------------------------------------------------------------------------
# The export from the page
# ---------------------------------------------------------------------------------------------


def test_export_downloads_the_filtered_workbook(client, people, filled):
    # given
    client.force_login(people["supervisor"])

    # when
    response = client.get(EXPORT, {"app": "facade-test", "version": "1"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = _book(response)
    rows = list(book["上报数据"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [str(filled["old"].pk)]
    assert rows[1][rows[0].index("现场照片")].startswith("http://testserver/attachments/")


def test_an_export_over_the_limit_says_so_on_the_page(client, people, filled, settings):
    settings.DATA_EXPORT_MAX_ROWS = 1
    client.force_login(people["supervisor"])

    response = client.get(EXPORT, {"app": "facade-test"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "未能导出：" in html
    assert "符合条件的上报有 2 条，超过单次导出上限 1 条" in html


# ---------------------------------------------------------------------------------------------
# The export API
# ---------------------------------------------------------------------------------------------


def _api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_api_export_gives_the_workbook(people, filled):
    response = _api(people["dispatcher"]).get(API)

    assert response.status_code == 200
    rows = list(_book(response)["上报数据"].iter_rows(values_only=True))
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("owner", 403, "not_allowed"), ("designer", 403, "not_allowed")],
)
def test_api_export_refuses_people_without_a_data_role(people, filled, who, status, code):
    response = _api(people[who]).get(API)

    assert response.status_code == status
    assert response.json()["code"] == code


def test_api_export_of_an_app_out_of_sight_is_404(people, filled):
    response = _api(people["supervisor"]).get("/api/apps/nope/submissions/export/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_export_names_bad_filters(people, filled, tree):
    params = {"until": "2026-02-30", "unit": str(tree["smr"].pk)}

    response = _api(people["supervisor"]).get(API, params)

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_filter",
        "message": "筛选条件有误，请修改后再试",
        "fields": {
            "until": ["请填写有效日期，格式如 2026-12-01"],
            "unit": ["没有这个区域，或不在您的管辖范围内"],
        },
    }


def test_api_export_over_the_limit_is_refused(people, filled, settings):
    settings.DATA_EXPORT_MAX_ROWS = 1

    response = _api(people["supervisor"]).get(API)

    assert response.status_code == 400
    assert response.json()["code"] == "export_too_large"


def test_api_export_needs_login(filled):
    response = APIClient().get(API)

    assert response.status_code == 401


def test_api_export_answers_a_client_that_asks_for_xlsx(people, filled):
    response = _api(people["supervisor"]).get(API, HTTP_ACCEPT=XLSX_TYPE)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE


def test_api_export_errors_are_json_even_for_a_client_that_asks_for_xlsx(people, filled):
    response = _api(people["supervisor"]).get(API, {"since": "x"}, HTTP_ACCEPT=XLSX_TYPE)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "invalid_filter"


def _csv(response):
    import csv

    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8, the Chinese intact
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_holds_the_main_table_or_one_groups_items(client, people, filled):
    client.force_login(people["supervisor"])

    main = client.get(EXPORT, {"app": "facade-test", "format": "csv"})
    items = client.get(EXPORT, {"app": "facade-test", "format": "csv", "table": "hazards"})
    page = client.get(PAGE, {"app": "facade-test"}).content.decode()

    assert main["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''" in main["Content-Disposition"]
    rows = _csv(main)
    assert rows[0][0] == "上报编号" and "现场照片" in rows[0]
    assert sorted(r[0] for r in rows[1:]) == sorted(str(filled[k].pk) for k in ("old", "new"))
    new = next(r for r in rows[1:] if r[0] == str(filled["new"].pk))
    assert '\'=HYPERLINK("http://evil")' in new  # text, never a formula
    assert new[rows[0].index("现场照片")].startswith("http://testserver/attachments/")
    hazards = _csv(items)
    assert hazards[0][:2] == ["上报编号", "序号"]
    assert len(hazards) == 1 + 3  # two items of the old report, one of the new
    assert 'data-export-table="hazards"' in page


def test_a_csv_of_an_unknown_table_or_format_is_refused(client, people, filled):
    client.force_login(people["supervisor"])

    table = client.get(EXPORT, {"app": "facade-test", "format": "csv", "table": "nope"})
    fmt = client.get(EXPORT, {"app": "facade-test", "format": "pdf"})

    assert table.status_code == 400 and "没有这个重复组" in table.content.decode()
    assert fmt.status_code == 400 and "只能是 csv 或 xlsx" in fmt.content.decode()


def test_the_next_streets_csv_holds_no_row(client, people, filled):
    client.force_login(people["smr_supervisor"])

    response = client.get(EXPORT, {"app": "facade-test", "format": "csv"})

    assert response.status_code == 200
    assert _csv(response)[1:] == []


def test_photo_cells_in_the_excel_are_real_links(client, people, two_versions, make_photo):
    """One photo: the cell opens it; several: the report's page, which shows them all; the URLs
    stay in the text, one a line."""
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.conftest import submit_as
    from tests.fixtures.definitions import valid_data

    v1, _v2 = two_versions
    one = submit_as(v1, people["owner"], valid_data([make_photo(people["owner"]).pk]))
    photos = [make_photo(people["owner"]).pk for _ in range(3)]
    three = submit_as(v1, people["owner"], {**valid_data(photos), "address": "江宁路 3 号"})
    client.force_login(people["supervisor"])

    response = client.get("/console/data/export/", {"app": v1.app.key})

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [c.value for c in sheet[1]]
    col = header.index("现场照片") + 1
    by_report = {sheet.cell(r, 1).value: sheet.cell(r, col) for r in range(2, sheet.max_row + 1)}
    single, several = by_report[str(one.pk)], by_report[str(three.pk)]
    assert single.hyperlink.target == f"http://testserver/attachments/{one.data['photos'][0]}/"
    assert single.value == single.hyperlink.target
    assert several.hyperlink.target == f"http://testserver/console/submissions/{three.pk}/"
    assert several.value.split("\n") == [f"http://testserver/attachments/{p}/" for p in photos]
    assert single.font.underline == "single"
