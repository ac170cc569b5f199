"""`seed_demo --records`: demo reports with photos, routed like real ones, stored once."""

from django.core.management import call_command

from lightapps.demo.records import DEMO_REPORTS, seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.submissions.models import Attachment, Submission
from lightapps.workorders.models import WorkOrder


def test_demo_reports_are_stored_once_with_their_photos(db, settings, tmp_path, eager_tasks):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()

    # when
    first = seed_demo_records()
    again = seed_demo_records()

    # then
    assert (first, again) == (len(DEMO_REPORTS), 0)
    assert Submission.objects.count() == len(DEMO_REPORTS)
    assert not Attachment.objects.filter(submission__isnull=True).exists()
    # each reporter stood in their own grid, so routing by place keeps it in their street
    street_of = {"jny": "江宁路街道", "smr": "石门二路街道"}
    by_place = WorkOrder.objects.exclude(assignee_unit__kind="department").select_related(
        "assignee_unit", "submission__reporter"
    )
    assert by_place.count() == 4
    for order in by_place:
        assert order.assignee_unit.name == street_of[order.submission.reporter.username[:3]]


def test_seed_demo_command_stores_records_only_when_asked(
    db, settings, tmp_path, capsys, eager_tasks
):
    settings.MEDIA_ROOT = tmp_path / "media"

    call_command("seed_demo")
    assert Submission.objects.count() == 0

    call_command("seed_demo", "--records")
    assert Submission.objects.count() == len(DEMO_REPORTS)
    assert f"演示上报：本次新增 {len(DEMO_REPORTS)} 条" in capsys.readouterr().out
