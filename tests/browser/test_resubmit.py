"""The phone and resends: a report the server already holds is "sent" (200); one whose id holds a
different report (409 `id_taken`) is kept on the page with a new id, never taken as sent."""

import re
import uuid

import pytest

from lightapps.orgs.models import Person
from lightapps.submissions.models import Submission
from lightapps.workorders.opening import report_submit
from tests.browser.conftest import off_loop, publish_demo_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "title": "巡查记录",
    "properties": {
        "address": {"type": "string", "title": "地址", "maxLength": 100},
        "floors": {"type": "integer", "title": "楼层数", "minimum": 1},
    },
    "required": ["address"],
}
URL = "/m/apps/patrol-note/"


@pytest.fixture
def note_app(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return off_loop(
        publish_demo_app,
        key="patrol-note",
        name="巡查记录",
        schema=SCHEMA,
        ui={"ui:order": ["address", "floors"]},
    )


def _login(page, username, next_url):
    page.goto(f"/login/?next={next_url}")
    page.click(f"button[data-username='{username}']")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _addresses():
    return off_loop(lambda: sorted(s.data["address"] for s in Submission.objects.all()))


def test_a_report_whose_id_holds_another_report_is_kept_and_sent_anew(note_app, phone):
    # given: the page's id already holds another report of this worker (an earlier version)
    _login(phone, "jny_grid", URL)
    taken = phone.input_value("#submission-id")
    off_loop(
        lambda: report_submit(
            submission_id=uuid.UUID(taken),
            version=note_app,
            reporter=Person.objects.get(username="jny_grid"),
            data={"address": "江宁路 1 号（旧）"},
        )
    )
    phone.fill("#f-address", "江宁路 1 号")

    # when
    phone.click("#submit-btn")

    # then: not sent, said so under the button, kept with a new id
    status = phone.locator("#submit-status")
    status.wait_for()
    phone.wait_for_function(
        "() => document.querySelector('#submit-status').textContent.includes('内容不同')"
    )
    assert re.search(re.escape(URL) + "$", phone.url)
    assert phone.input_value("#f-address") == "江宁路 1 号"
    assert phone.input_value("#submission-id") not in {taken, ""}
    assert _addresses() == ["江宁路 1 号（旧）"]

    # when: the worker presses 提交 again
    phone.click("#submit-btn")

    # then: it is stored as a new report
    phone.wait_for_url(re.compile("/m/submitted/"))
    assert _addresses() == ["江宁路 1 号", "江宁路 1 号（旧）"]


def test_a_report_stored_while_its_answer_was_lost_is_taken_as_sent(note_app, phone):
    # given: the first answer never reaches the phone, although the server stored the report
    _login(phone, "jny_grid", URL)
    lost = []

    def lose_first_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route(re.compile(r"/api/apps/patrol-note/submissions/$"), lose_first_answer)
    phone.fill("#f-address", "江宁路 2 号")

    # when
    phone.click("#submit-btn")

    # then: the resend (after 2 s) gets 200 for the stored report and the page says sent
    phone.wait_for_url(re.compile("/m/submitted/"), timeout=20_000)
    assert lost == [201]
    assert _addresses() == ["江宁路 2 号"]


def test_a_report_stored_before_the_page_closed_is_sent_once_when_it_reopens(note_app, phone):
    # given: the first answer is lost and the worker closes the page before the retry
    _login(phone, "jny_grid", URL)
    lost = []

    def lose_first_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route(re.compile(r"/api/apps/patrol-note/submissions/$"), lose_first_answer)
    phone.fill("#f-address", "江宁路 3 号")
    phone.fill("#f-floors", "6")
    phone.click("#submit-btn")
    phone.wait_for_function("() => document.querySelector('#submit-status').textContent !== ''")
    assert lost == [201]

    # when: the page is opened again; the draft, still pending, is sent from what it kept
    phone.goto(URL)

    # then: the server recognises the same report (200) and the page says sent
    phone.wait_for_url(re.compile("/m/submitted/"), timeout=20_000)
    assert _addresses() == ["江宁路 3 号"]
