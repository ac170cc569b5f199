"""Rows stored before the door was shut (or written by hand) still export: what Excel cannot
hold is dropped or written as text, never a 500 or an unopenable file."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lightapps.definitions.dialect.validation import NUMBER_LIMIT, compile_schema
from lightapps.submissions.data import DataFilters, submissions_export_xlsx
from lightapps.submissions.models import Submission


def _rows(person, app):
    out = io.BytesIO()
    submissions_export_xlsx(
        person=person, app=app, filters=DataFilters(), out=out, base_url="http://testserver"
    )
    out.seek(0)  # openpyxl refuses a file Excel could not open
    rows = list(load_workbook(out)["上报数据"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize(
    ("address", "expected"),
    [("江宁路\uffff100 号", "江宁路100 号"), ("\ufffe江宁路", "江宁路")],
)
def test_non_characters_are_dropped_from_the_export(filled, people, address, expected):
    data = {**filled["old"].data, "address": address}
    Submission.objects.filter(pk=filled["old"].pk).update(data=data)
    rows = _rows(people["supervisor"], filled["v1"].app)
    assert expected in {r["地址"] for r in rows}


@pytest.mark.parametrize(
    ("floors", "cell"),
    [(10**400, str(10**400)), (-(10**20), str(-(10**20))), (NUMBER_LIMIT, NUMBER_LIMIT)],
)
def test_a_number_excel_cannot_hold_is_written_as_text(filled, people, floors, cell):
    data = {**filled["old"].data, "floors": floors}
    Submission.objects.filter(pk=filled["old"].pk).update(data=data)
    rows = _rows(people["supervisor"], filled["v1"].app)
    assert cell in {r["楼层数（层）"] for r in rows}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (NUMBER_LIMIT, True),
        (-NUMBER_LIMIT, True),
        (NUMBER_LIMIT + 1, False),
        (10**400, False),
        (-(10**400), False),
        (1e300, False),
    ],
)
@pytest.mark.parametrize("kind", ["integer", "number"])
def test_an_unbounded_number_field_has_a_default_range(kind, value, valid):
    if kind == "integer" and isinstance(value, float):
        pytest.skip("an integer field refuses a float anyway")
    schema = {"type": "object", "properties": {"n": {"type": kind, "title": "数量"}}}
    compiled = compile_schema(schema)
    assert compiled.is_valid({"n": value}) is valid
    assert (not list(compiled.iter_errors({"n": value}))) is valid


def test_a_400_digit_answer_is_refused_through_the_api(app_version, people, make_photo):
    from tests.fixtures.definitions import valid_data

    # given the demo app's bounded floors field made unbounded
    schema = app_version.schema
    del schema["properties"]["floors"]["maximum"]
    type(app_version).objects.filter(pk=app_version.pk).update(schema=schema)
    app_version.refresh_from_db()
    client = APIClient()
    client.force_authenticate(people["owner"])
    body = {
        "id": "00000000-0000-4000-8000-000000000001",
        "version": 1,
        "data": {**valid_data([make_photo(people["owner"]).pk]), "floors": 10**400},
    }
    # when
    response = client.post("/api/apps/facade-test/submissions/", body, format="json")
    # then
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["floors"] == ["“楼层数”不能大于 999999999999999"]
    assert Submission.objects.count() == 0
