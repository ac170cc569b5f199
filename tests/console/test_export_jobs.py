"""后台导出: an export larger than one request holds is written by a Celery task — the person gets
a page with a progress bar, then a download link; theirs alone, for a limited time; run once."""

import csv
import io
import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lightapps.audit.models import AuditEntry
from lightapps.console import background
from lightapps.console.background import export_job_run, export_jobs_prune
from lightapps.console.models import ExportJob


@pytest.fixture
def small_inline(settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 2  # three orders are "too many for a request"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def three(people, make_order):
    return [make_order(people["owner"]) for _ in range(3)]


def _export(client, capture, path="/console/export/", **params):
    with capture(execute=True):
        response = client.get(path, params)
    return response


def _download(client, job):
    response = client.get(f"/console/exports/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


@pytest.mark.usefixtures("small_inline", "eager_tasks")
def test_a_large_csv_export_runs_in_the_background_and_downloads_with_chinese_headers(
    client, people, three, django_capture_on_commit_callbacks
):
    client.force_login(people["supervisor"])

    response = _export(client, django_capture_on_commit_callbacks, format="csv", page="3")

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/exports/{job.pk}/"
    assert "page" not in job.query and "format=csv" in job.query
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "已完成，共 3 行" in page.content.decode()
    status = client.get(f"/console/exports/{job.pk}/status/").json()
    assert status | {"id": None, "expires_at": None} == {
        "id": None, "state": "done", "state_text": "已完成", "done": 3, "total": 3,
        "percent": 100, "error": "", "expires_at": None,
        "download": f"/console/exports/{job.pk}/download/",
    }  # fmt: skip
    body, download = _download(client, job)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "attachment" in download["Content-Disposition"]
        and ".csv" in download["Content-Disposition"]
    )
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工单号", "标题", "应用"]
    assert sorted(r[0] for r in rows[1:]) == sorted(o.number for o in three)
    entry = AuditEntry.objects.filter(action="work_orders.export").get()
    assert entry.details["background"] is True and entry.details["rows"] == 3
    listed = client.get("/console/exports/")
    assert [j.pk for j, _s in listed.context["jobs"]] == [job.pk]


@pytest.mark.usefixtures("small_inline", "eager_tasks")
def test_a_large_excel_export_keeps_its_links_and_a_data_export_goes_the_same_way(
    client, people, three, django_capture_on_commit_callbacks
):
    client.force_login(people["supervisor"])

    _export(client, django_capture_on_commit_callbacks, format="xlsx")
    _export(client, django_capture_on_commit_callbacks, "/console/data/export/", app="facade-test")

    orders_job, data_job = ExportJob.objects.order_by("created_at")
    sheet = load_workbook(io.BytesIO(_download(client, orders_job)[0])).active
    assert sheet.max_row == 4
    assert sheet.cell(2, 12).hyperlink.target.endswith(f"/console/work-orders/{three[0].pk}/") or (
        sheet.cell(2, 12).hyperlink.target.startswith("http://testserver/console/work-orders/")
    )
    assert data_job.kind == "data" and data_job.state == "done" and data_job.total == 3
    book = load_workbook(io.BytesIO(_download(client, data_job)[0]))
    assert book.worksheets[0].max_row == 4
    assert AuditEntry.objects.filter(action="data.export", details__background=True).count() == 1


@pytest.mark.usefixtures("small_inline", "eager_tasks")
def test_a_job_is_its_askers_alone(client, people, three, django_capture_on_commit_callbacks):
    client.force_login(people["supervisor"])
    _export(client, django_capture_on_commit_callbacks, format="csv")
    job = ExportJob.objects.get()

    client.force_login(people["dispatcher"])  # same street, another person
    for path in ("", "status/", "download/"):
        assert client.get(f"/console/exports/{job.pk}/{path}").status_code == 404
    assert list(client.get("/console/exports/").context["jobs"]) == []
    client.force_login(people["owner"])  # no console role
    assert client.get(f"/console/exports/{job.pk}/").status_code == 403


@pytest.mark.usefixtures("small_inline")
def test_at_most_so_many_open_and_the_next_is_refused_with_the_reason(
    client, people, three, settings
):
    client.force_login(people["supervisor"])
    for _ in range(settings.EXPORT_JOBS_OPEN_MAX):  # queued: no task runs (no commit here)
        assert client.get("/console/export/", {"format": "csv"}).status_code == 302

    refused = client.get("/console/export/", {"format": "csv"})

    assert refused.status_code == 429
    assert "您已有 3 个导出正在进行，请等它们完成后再导出" in refused.content.decode()
    assert ExportJob.objects.count() == settings.EXPORT_JOBS_OPEN_MAX


@pytest.mark.usefixtures("small_inline")
def test_a_job_runs_once_and_a_lost_one_is_taken_again(client, people, three):
    client.force_login(people["supervisor"])
    client.get("/console/export/", {"format": "csv"})
    job = ExportJob.objects.get()

    assert export_job_run(job.pk) == "done"
    assert export_job_run(job.pk) == "not claimed"  # the broker's second delivery

    lost = ExportJob.objects.create(
        id=__import__("uuid").uuid4(), person=job.person, kind="work_orders", format="csv",
        query="format=csv", title="x", state="running", created_at=timezone.now(),
        started_at=timezone.now() - background.CLAIM_STALE - timedelta(seconds=1),
        expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    assert export_job_run(lost.pk) == "done"
    assert AuditEntry.objects.filter(action="work_orders.export").count() == 2


@pytest.mark.usefixtures("small_inline")
def test_the_scope_is_read_when_it_runs_and_a_refusal_is_said(client, people, three, tree):
    client.force_login(people["supervisor"])
    client.get("/console/export/", {"format": "csv"})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(query="format=csv&state=nope")

    assert export_job_run(job.pk) == "refused"
    page = client.get(f"/console/exports/{job.pk}/")
    assert "筛选条件有误" in page.content.decode()
    assert client.get(f"/console/exports/{job.pk}/download/").status_code == 404


def test_progress_is_counted_as_rows_go(monkeypatch):
    seen = []
    monkeypatch.setattr(background, "PROGRESS_EVERY", 2)
    assert list(background._counted(iter(range(5)), seen.append)) == [0, 1, 2, 3, 4]
    assert seen == [2, 4]


@pytest.mark.usefixtures("small_inline")
def test_files_go_when_their_time_is_up(client, people, three):
    client.force_login(people["supervisor"])
    client.get("/console/export/", {"format": "csv"})
    job = ExportJob.objects.get()
    export_job_run(job.pk)
    path = ExportJob.objects.get().file.path
    assert os.path.exists(path)

    ExportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/console/exports/{job.pk}/download/").status_code == 404
    assert export_jobs_prune() == 1
    assert not os.path.exists(path) and not ExportJob.objects.exists()


def test_a_small_export_still_comes_in_the_request(client, people, three):
    client.force_login(people["supervisor"])
    response = client.get("/console/export/", {"format": "csv"})
    assert response.status_code == 200 and not ExportJob.objects.exists()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_through_a_real_worker_the_bar_fills_and_the_file_arrives(
    client, people, three, small_inline
):
    from celery.contrib.testing.worker import start_worker

    from lightapps.celery import app

    assert not app.conf.task_always_eager
    app.control.purge()
    client.force_login(people["supervisor"])
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.get("/console/export/", {"format": "xlsx"})
        job = ExportJob.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = client.get(f"/console/exports/{job.pk}/status/").json()
            if status["state"] in ("done", "failed"):
                break
            time.sleep(0.2)
    assert response.status_code == 302
    assert status["state"] == "done", status
    sheet = load_workbook(io.BytesIO(_download(client, job)[0])).active
    assert sheet.max_row == 4


@pytest.mark.usefixtures("small_inline", "eager_tasks")
def test_a_groups_csv_in_the_background_is_named_for_its_group_and_a_bad_group_is_refused_at_once(
    client, people, three, django_capture_on_commit_callbacks
):
    client.force_login(people["supervisor"])

    refused = client.get(
        "/console/data/export/", {"app": "facade-test", "format": "csv", "table": "nope"}
    )
    _export(
        client,
        django_capture_on_commit_callbacks,
        "/console/data/export/",
        app="facade-test",
        format="csv",
        table="hazards",
    )

    assert refused.status_code == 400 and "没有这个重复组：nope" in refused.content.decode()
    job = ExportJob.objects.get()
    assert job.state == "done" and "-上报数据-隐患-" in job.filename
    body, _response = _download(client, job)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["上报编号", "序号"] and len(rows) == 4  # one hazard each
