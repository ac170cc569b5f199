"""Versions: immutable, submissions keep theirs, data of removed fields stays readable."""

import uuid

from lightapps.definitions.services import light_app_publish, light_app_save_draft
from lightapps.submissions.display import answers_for_display
from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import valid_data


def test_a_submission_keeps_rendering_with_its_version_after_a_field_is_removed(
    app_version, people, make_photo
):
    # given: v1 answered, then v2 drops 检查日期 and retitles 地址
    submission, _ = report_submit(
        submission_id=uuid.uuid4(),
        version=app_version,
        reporter=people["owner"],
        data={
            **valid_data([make_photo(people["owner"]).pk], hazard=False),
            "checked_on": "2026-11-20",
        },
    )
    app = app_version.app
    schema = {**app.draft_schema, "properties": dict(app.draft_schema["properties"])}
    del schema["properties"]["checked_on"]
    schema["properties"]["address"] = {**schema["properties"]["address"], "title": "楼栋地址"}
    ui = {**app.draft_ui, "ui:order": [n for n in app.draft_ui["ui:order"] if n != "checked_on"]}
    light_app_save_draft(app=app, schema=schema, ui=ui, flow=app.draft_flow)
    v2 = light_app_publish(app=app, actor=people["designer"])

    # when
    submission.refresh_from_db()
    app_version.refresh_from_db()
    own = {
        r["name"]: r
        for r in answers_for_display(
            submission.version.schema, submission.version.ui, submission.data
        )
    }
    under_v2 = {r["name"]: r for r in answers_for_display(v2.schema, v2.ui, submission.data)}

    # then
    assert submission.version.number == 1
    assert app_version.schema["properties"]["address"]["title"] == "地址"
    assert (own["checked_on"]["title"], own["checked_on"]["text"]) == ("检查日期", "2026-11-20")
    assert (under_v2["checked_on"]["kind"], under_v2["checked_on"]["text"]) == (
        "removed",
        "2026-11-20",
    )
    assert under_v2["address"]["title"] == "楼栋地址"
