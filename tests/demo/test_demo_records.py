"""`seed_demo --records`: demo reports with photos, routed like real ones, stored once."""

from django.core.management import call_command

from lightapps.demo.history import CURRENT, PAST
from lightapps.demo.records import DEMO_REPORTS, seed_demo_records
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Attachment, Submission
from lightapps.workorders.models import WorkOrder
from lightapps.workorders.selectors import work_order_duplicate_candidates


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
    # routed by place: to the street of the grid the reporter stood in (their own, but once)
    by_place = WorkOrder.objects.exclude(assignee_unit__kind="department").select_related(
        "assignee_unit", "submission__reporter"
    )
    assert sorted(
        (o.submission.reporter.username, o.assignee_unit.name, o.org_unit.name) for o in by_place
    ) == [
        ("jny_grid", "江宁路街道", "江宁路第1网格"),
        ("jny_grid", "石门二路街道", "石门二路第1网格"),
        ("jny_grid2", "江宁路街道", "江宁路第2网格"),
        ("smr_grid", "石门二路街道", "石门二路第1网格"),
        ("smr_grid", "石门二路街道", "石门二路第1网格"),
    ]


def test_the_people_who_act_on_a_demo_order_see_its_report_and_photos(
    db, settings, tmp_path, eager_tasks, client
):
    # given the demo with its reports
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo()
    seed_demo_records()
    fgj, smr = (
        Person.objects.get(username="fgj_handler"),
        Person.objects.get(username="smr_supervisor"),
    )
    jny = Person.objects.get(username="jny_supervisor")
    to_fgj = WorkOrder.objects.filter(assignee_unit__code="310106-D-FGJ")
    placed_in_smr = WorkOrder.objects.get(
        org_path__startswith=OrgUnit.objects.get(code="310106-02").path,
        submission__reporter__username="jny_grid",
    )
    assert to_fgj.count() == 3
    # the visitor stood apart from 石门二路's own reports: no false duplicate
    assert work_order_duplicate_candidates(order=placed_in_smr, person=smr) == []
    # then 房管局 sees every photo of the orders routed to it, 石门二路 those of the order placed
    # in its grid by a 江宁路 worker, and 江宁路's supervisor not that one
    for person, orders in [(fgj, list(to_fgj)), (smr, [placed_in_smr])]:
        client.force_login(person)
        for order in orders:
            photos = order.submission.attachments.all()
            assert photos
            for photo in photos:
                assert client.get(f"/attachments/{photo.pk}/").status_code == 200
            assert client.get(f"/console/submissions/{order.submission_id}/").status_code == 200
    client.force_login(jny)
    photo = placed_in_smr.submission.attachments.first()
    assert client.get(f"/attachments/{photo.pk}/").status_code == 404
    assert client.get(f"/console/work-orders/{placed_in_smr.pk}/").status_code == 404


def test_seed_demo_command_stores_records_only_when_asked(
    db, settings, tmp_path, capsys, eager_tasks
):
    settings.MEDIA_ROOT = tmp_path / "media"

    call_command("seed_demo")
    assert Submission.objects.count() == 0

    call_command("seed_demo", "--records")
    history = sum(PAST.values()) + sum(CURRENT.values())
    assert Submission.objects.count() == len(DEMO_REPORTS) + history
    out = capsys.readouterr().out
    assert f"演示上报：本次新增 {len(DEMO_REPORTS)} 条" in out
    assert f"演示历史工单：本次新增 {history} 张" in out

    # the second run adds nothing
    call_command("seed_demo", "--records")
    assert Submission.objects.count() == len(DEMO_REPORTS) + history
    out = capsys.readouterr().out
    assert "演示上报：本次新增 0 条" in out and "演示历史工单：本次新增 0 张" in out
