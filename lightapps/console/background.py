"""后台导出: exports larger than one request may hold, written by a Celery task with a progress bar.

A work-order or 上报数据 export of more than EXPORT_INLINE_MAX_ROWS rows is not streamed in the
request (a proxy's or gunicorn's timeout would cut a 100,000-row file): the view keeps the query
as an ExportJob and queues `export_job_run`; the person watches its page fill and downloads the
file when it is written. The task reads the rows in batches (the same writers as the request:
lightapps.workorders.export, lightapps.submissions.data) with the person's scope when it runs,
so memory stays flat; an Excel workbook is bounded by EXPORT_BACKGROUND_MAX_ROWS (Excel itself
holds 1,048,576 rows). Files are kept EXPORT_KEEP_HOURS, for the person who asked only.

A job is run once: the task claims it (queued → running) in one UPDATE; a broker's second
delivery finds it taken and does nothing. A worker lost while running leaves a job "running"
whose claim is older than the task's time limit; the next delivery takes it again.
"""

import logging
import tempfile
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.audit.services import audit_record
from lightapps.errors import DomainError
from lightapps.orgs.models import Person
from lightapps.submissions.data import (
    csv_filename,
    data_filters_parse,
    export_filename,
    submissions_export_csv,
    submissions_export_xlsx,
    submissions_for_data,
)
from lightapps.submissions.selectors import light_apps_with_data_visible_to
from lightapps.workorders.export import export_csv, export_rows, export_xlsx

from .models import ExportJob

log = logging.getLogger(__name__)

PROGRESS_EVERY = 500
# Longer than the task may run (tasks.py): a "running" job older than this was lost.
CLAIM_STALE = timedelta(seconds=settings.EXPORT_TIME_LIMIT + 60)


def export_jobs_open(person: Person) -> int:
    return ExportJob.objects.filter(
        person=person, state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING]
    ).count()


def export_job_start(
    *, person: Person, kind: str, fmt: str, query: str, base_url: str, title: str, app_key=""
) -> ExportJob:
    """Keep the export asked for and queue it (after commit); refused while the person already
    has EXPORT_JOBS_OPEN_MAX exports waiting or running."""
    if export_jobs_open(person) >= settings.EXPORT_JOBS_OPEN_MAX:
        raise DomainError(
            _("您已有 %d 个导出正在进行，请等它们完成后再导出") % settings.EXPORT_JOBS_OPEN_MAX,
            code="too_many_exports",
            status=429,
        )
    now = timezone.now()
    job = ExportJob.objects.create(
        id=uuid.uuid4(),
        person=person,
        kind=kind,
        format=fmt,
        app_key=app_key,
        query=query[:2000],
        base_url=base_url[:200],
        title=title[:200],
        created_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    from .tasks import export_job_task  # the task module imports this one

    transaction.on_commit(lambda: export_job_task.delay(str(job.pk)))
    return job


def _claim(job_id) -> ExportJob | None:
    now = timezone.now()
    claimable = Q(state=ExportJob.State.QUEUED) | Q(
        state=ExportJob.State.RUNNING, started_at__lt=now - CLAIM_STALE
    )
    taken = ExportJob.objects.filter(claimable, pk=job_id, expires_at__gt=now).update(
        state=ExportJob.State.RUNNING, started_at=now, done=0
    )
    return ExportJob.objects.select_related("person").get(pk=job_id) if taken else None


def _progress(job: ExportJob):
    def report(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    return report


def _counted(rows, report):
    n = 0
    for n, row in enumerate(rows, 1):
        yield row
        if n % PROGRESS_EVERY == 0:
            report(n)


def _write_work_orders(job: ExportJob, out) -> tuple[int, str]:
    from .views import filtered_orders, list_filters_for  # views import the job pages

    person = job.person
    filters, error, _apps, _units = list_filters_for(person, QueryDict(job.query))
    if error:
        raise error
    orders = filtered_orders(person, filters)
    total = orders.count()
    ExportJob.objects.filter(pk=job.pk).update(total=total)
    rows = _counted(export_rows(orders, base_url=job.base_url), _progress(job))
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    if job.format == "csv":
        for chunk in export_csv(rows):
            out.write(chunk)
        return total, f"工单-{stamp}.csv"
    book = export_xlsx(orders, rows, limit=settings.EXPORT_BACKGROUND_MAX_ROWS)
    with book:
        while chunk := book.read(1 << 20):
            out.write(chunk)
    return total, f"工单-{stamp}.xlsx"


def _write_data(job: ExportJob, out) -> tuple[int, str]:
    from .data import group_title, report_page_url  # the data pages import the job pages

    person = job.person
    app = light_apps_with_data_visible_to(person).filter(key=job.app_key).first()
    if app is None:
        raise DomainError(_("没有这个应用，或您已无权查看它的数据"), code="not_found")
    params = QueryDict(job.query)
    filters = data_filters_parse(person=person, app=app, params=params)
    total = submissions_for_data(person=person, app=app, filters=filters).count()
    ExportJob.objects.filter(pk=job.pk).update(total=total)
    if job.format == "csv":
        table = params.get("table", "")
        stream = submissions_export_csv(
            person=person,
            app=app,
            filters=filters,
            base_url=job.base_url,
            table=table,
            progress=_progress(job),
        )
        for chunk in stream:
            out.write(chunk)
        return total, csv_filename(app.name, group_title(app, table))
    rows = submissions_export_xlsx(
        person=person,
        app=app,
        filters=filters,
        out=out,
        base_url=job.base_url,
        limit=settings.EXPORT_BACKGROUND_MAX_ROWS,
        progress=_progress(job),
        report_url=report_page_url,
    )
    audit_record(
        "data.export",
        actor=person,
        target=app,
        details={"filters": filters.as_query(), "rows": rows, "format": "xlsx", "background": True},
    )
    return rows, export_filename(app.name)


def export_job_run(job_id) -> str:
    """Write one job's file (the Celery task's body); what became of it."""
    job = _claim(job_id)
    if job is None:
        return "not claimed"
    try:
        with tempfile.TemporaryFile() as out:
            if job.kind == ExportJob.Kind.WORK_ORDERS:
                rows, filename = _write_work_orders(job, out)
                audit_record(
                    "work_orders.export",
                    actor=job.person,
                    details={"format": job.format, "query": job.query[:500], "rows": rows,
                             "background": True},
                )  # fmt: skip
            else:
                rows, filename = _write_data(job, out)
            out.seek(0)
            job.file.save(filename, File(out), save=False)
    except DomainError as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=exc.message[:500], finished_at=timezone.now()
        )
        return "refused"
    except Exception:
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED,
            error=_("导出时出错，请稍后重试；多次失败请联系管理员"),
            finished_at=timezone.now(),
        )
        return "failed"
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        filename=filename,
        total=rows,
        done=rows,
        finished_at=timezone.now(),
    )
    return "done"


def export_jobs_prune(*, now=None) -> int:
    """Delete the jobs past their time and their files (beat, hourly); how many went."""
    now = now or timezone.now()
    gone = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        gone += 1
    return gone
