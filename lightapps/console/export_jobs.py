"""我的导出: the pages of background exports — a job's progress, its download, the recent ones.

Each job is its asker's alone: another person's id is not found (404), never shown.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from lightapps.web.nav import desktop_nav

from .access import console_page
from .background import export_job_start
from .models import ExportJob

RECENT = 20


def background_export(request, *, kind: str, fmt: str, query: str, title: str, app_key=""):
    """Queue the export and send the person to its page; or say why not (the error page)."""
    job = export_job_start(
        person=request.user,
        kind=kind,
        fmt=fmt,
        query=query,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        title=title,
        app_key=app_key,
    )
    return redirect("console:export_job", pk=job.pk)


def _mine(request, pk) -> ExportJob:
    job = ExportJob.objects.filter(
        pk=pk, person=request.user, expires_at__gt=timezone.now()
    ).first()
    if job is None:
        raise Http404
    return job


def job_status(job: ExportJob) -> dict:
    percent = 100 if job.state == ExportJob.State.DONE else 0
    if job.state != ExportJob.State.DONE and job.total:
        percent = min(99, int(job.done * 100 / job.total))
    return {
        "id": str(job.pk),
        "state": job.state,
        "state_text": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "error": job.error,
        "download": reverse("console:export_download", args=[job.pk])
        if job.state == ExportJob.State.DONE
        else None,
        "expires_at": timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M"),
    }


@require_GET
@console_page
def export_jobs(request):
    """我的导出: the person's recent exports, newest first."""
    jobs = ExportJob.objects.filter(person=request.user, expires_at__gt=timezone.now())[:RECENT]
    context = {"nav": desktop_nav(request.user), "jobs": [(j, job_status(j)) for j in jobs]}
    return render(request, "console/export_jobs.html", context)


@require_GET
@console_page
def export_job(request, pk):
    """One export: its bar while the task writes, then the download link."""
    job = _mine(request, pk)
    context = {"nav": desktop_nav(request.user), "job": job, "status": job_status(job)}
    return render(request, "console/export_job.html", context)


@require_GET
@console_page
def export_job_state(request, pk):
    """The bar's figures, polled by the page."""
    return JsonResponse(job_status(_mine(request, pk)))


@require_GET
@console_page
def export_download(request, pk):
    job = _mine(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        "text/csv; charset=utf-8"
        if job.format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        handle, as_attachment=True, filename=job.filename, content_type=content_type
    )
