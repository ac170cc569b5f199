"""A report's evidence follows its work order: one rule (`report_q`) on every surface.

Two cases the old per-reporter rule got wrong, each with three people, on every surface that
shows a report or what hangs off it — API detail and lists, console and phone pages, the photo
URL, 上报数据 and its Excel export:

- routed by subject to a department: a 江宁路 report of fallen facing goes to 房管局, whose
  handler must see the report and its photos; the next street must not;
- placed by GPS in another street: a 江宁路 worker reports a hazard standing in 石门二路's grid;
  石门二路's supervisor must see the report and its photos, 江宁路's people (the reporter's
  colleagues and supervisor) must not, and the reporter keeps sight of their own report.
"""

import io

import pytest
from openpyxl import load_workbook

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.submissions.selectors import attachments_visible_to, submissions_visible_to
from tests.fixtures.definitions import SMALL_SCHEMA, SMALL_UI
from tests.workorders.conftest import INSIDE_SMR_GRID1, take

BY_SUBJECT = {
    "template": "closed_loop",
    "open_when": {"field": "hazard_found", "equals": True},
    "routing": [{"by": "subject", "field": "hazards[].kind", "map": {"tile": "T-FGJ"}}],
}
BY_PLACE = {
    "template": "closed_loop",
    "open_when": {"field": "hazard_found", "equals": True},
    "routing": [{"by": "place"}],
}


def _surfaces(submission) -> dict[str, tuple[str, str]]:
    """Each surface of one report: (URL, how to read it).

    "page" reads the status code; "list" and "export" read whether the report is in the answer
    (200 when it is, 404 when not), so that every surface answers in the same two words.
    """
    order = submission.work_order
    photo = submission.attachments.first()
    key = submission.app.key
    return {
        "api_work_order": (f"/api/work-orders/{order.pk}/", "page"),
        "console_work_order": (f"/console/work-orders/{order.pk}/", "page"),
        "console_submission": (f"/console/submissions/{submission.pk}/", "page"),
        "phone_work_order": (f"/m/work-orders/{order.pk}/", "page"),
        "photo": (f"/attachments/{photo.pk}/", "page"),
        "api_work_orders": ("/api/work-orders/", "list"),
        "api_submissions": (f"/api/apps/{key}/submissions/", "list"),
        "console_work_orders": ("/console/", "list"),
        "console_data": (f"/console/data/?app={key}", "list"),
        "export": (f"/api/apps/{key}/submissions/export/", "export"),
    }


def _seen(client, person, url: str, how: str, submission) -> int:
    client.force_login(person)
    response = client.get(url)
    client.logout()
    if how == "page" or response.status_code == 404:  # an app out of sight: its list is too
        return response.status_code
    assert response.status_code == 200, url
    if how == "export":
        sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).worksheets[0]
        shown = {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    else:
        shown = response.content.decode()
    marker = submission.work_order.number if url in {"/api/work-orders/", "/console/"} else None
    return 200 if (marker or str(submission.pk)) in shown else 404


def _expect(client, submission, expected: dict[str, dict[str, int]], people: dict) -> None:
    urls = _surfaces(submission)
    got = {
        who: {surface: _seen(client, people[who], *urls[surface], submission) for surface in seen}
        for who, seen in expected.items()
    }
    assert got == expected


# The phone and API surfaces are everybody's; the console's are for console roles only (a grid
# worker gets the polite 403 page there whatever the order).
EVERYONE = ["api_work_order", "phone_work_order", "photo", "api_work_orders", "api_submissions"]
CONSOLE = ["console_work_order", "console_submission", "console_work_orders", "console_data",
           "export"]  # fmt: skip


def _codes(code: int, surfaces: list[str]) -> dict[str, int]:
    return dict.fromkeys(surfaces, code)


@pytest.fixture(params=["district", "jny"], ids=["district-app", "street-app"])
def app_of(request, tree, people):
    """A published small app with a flow, owned by the district or (the harder case: a
    department or the next street sees none of its other data) by 江宁路 itself."""

    def make(flow, key):
        app = light_app_create(
            key=key, name="外墙检查", owner_unit=tree[request.param],
            schema=SMALL_SCHEMA, ui=SMALL_UI, flow=flow,
        )  # fmt: skip
        return light_app_publish(app=app, actor=people["designer"])

    return make


@pytest.fixture
def by_subject(app_of, submit, people):
    """A 江宁路 report of fallen facing, routed by subject to 房管局."""
    submission = submit(people["owner"], app_of(BY_SUBJECT, "by-subject"), kind="tile")
    assert submission.work_order.assignee_unit.code == "T-FGJ"
    assert submission.work_order.org_unit.code == "T-JNY-G1"
    return submission


@pytest.fixture
def in_next_street(app_of, submit, people, grids):
    """A 江宁路 worker's report whose GPS point lies in 石门二路第1网格."""
    submission = submit(people["owner"], app_of(BY_PLACE, "by-place"), at=INSIDE_SMR_GRID1)
    assert submission.work_order.org_unit == grids["smr_grid1"]
    assert submission.org_unit == grids["jny_grid1"]
    return submission


def test_department_that_handles_an_order_sees_its_report_and_photos(
    client, by_subject, people, fgj_handler
):
    # given the department's handler, the place's supervisor, and the next street's supervisor
    everyone = {**people, "fgj_handler": fgj_handler}
    # then
    _expect(
        client,
        by_subject,
        {
            "fgj_handler": _codes(200, EVERYONE + CONSOLE),
            "supervisor": _codes(200, EVERYONE + CONSOLE),
            "smr_supervisor": _codes(404, EVERYONE + CONSOLE),
        },
        everyone,
    )


def test_reporter_and_their_street_colleague_keep_a_report_routed_to_a_department(
    client, by_subject, people
):
    _expect(
        client,
        by_subject,
        {
            "owner": _codes(200, EVERYONE),
            "colleague": _codes(200, EVERYONE),
            "outsider": _codes(404, EVERYONE),
        },
        people,
    )


def test_street_where_a_report_was_placed_sees_it_and_the_reporters_street_does_not(
    client, in_next_street, people
):
    _expect(
        client,
        in_next_street,
        {
            "smr_supervisor": _codes(200, EVERYONE + CONSOLE),
            "supervisor": _codes(404, EVERYONE + CONSOLE),
        },
        people,
    )


def test_reporter_keeps_a_report_placed_in_the_next_street_and_colleagues_do_not_see_it(
    client, in_next_street, people
):
    _expect(
        client,
        in_next_street,
        {
            "owner": _codes(200, EVERYONE),
            "colleague": _codes(404, EVERYONE),
            "outsider": _codes(200, EVERYONE),  # a grid worker of 石门二路: the order's street
        },
        people,
    )


def test_a_report_without_an_order_keeps_the_reporters_street_rule(
    flow_version, submit, people, client
):
    # given a report with no hazard (no work order), placed by GPS in the next street
    submission = submit(people["owner"], flow_version(BY_PLACE), at=INSIDE_SMR_GRID1, hazard=False)
    assert not hasattr(submission, "work_order")
    photo = submission.attachments.get()
    # then the reporter's street sees it and the next street does not, whatever the GPS says
    for who, code in [("owner", 200), ("colleague", 200), ("supervisor", 200),
                      ("smr_supervisor", 404), ("outsider", 404)]:  # fmt: skip
        client.force_login(people[who])
        assert client.get(f"/attachments/{photo.pk}/").status_code == code, who
        seen = submissions_visible_to(people[who]).filter(pk=submission.pk).exists()
        assert seen is (code == 200), who


def test_a_steps_photos_follow_the_order_too(by_subject, people, fgj_handler, make_photo, walk):
    # given the department handled the order with a photo of its own
    order = walk(by_subject.work_order, "filed")
    order = take(order, "dispatch", people["dispatcher"])
    photo = make_photo(fgj_handler)
    take(order, "handle", fgj_handler, photos=[str(photo.pk)])
    # then who sees the order sees that photo, and the next street does not
    for who, seen in [(people["supervisor"], True), (people["owner"], True),
                      (fgj_handler, True), (people["smr_supervisor"], False)]:  # fmt: skip
        assert attachments_visible_to(who).filter(pk=photo.pk).exists() is seen, who


def test_the_area_filter_of_the_data_finds_a_report_where_it_lies(
    client, in_next_street, people, tree
):
    # given 石门二路's supervisor filtering 上报数据 and the export by their own street
    client.force_login(people["smr_supervisor"])
    key, smr = in_next_street.app.key, tree["smr"].pk
    # when
    page = client.get(f"/console/data/?app={key}&unit={smr}")
    export = client.get(f"/api/apps/{key}/submissions/export/?unit={smr}")
    # then the report placed there by GPS is in both, with 石门二路 as its area
    assert str(in_next_street.pk) in page.content.decode()
    assert "石门二路街道 · 石门二路第1网格" in page.content.decode()
    sheet = load_workbook(io.BytesIO(export.getvalue()), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == [str(in_next_street.pk)]
    assert "石门二路街道 · 石门二路第1网格" in rows[0]
