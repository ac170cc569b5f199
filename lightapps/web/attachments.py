"""Serves stored photos to the people allowed to see them (never as public media)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from lightapps.submissions.selectors import attachments_visible_to


@require_GET
@login_required
def attachment_file(request, pk):
    attachment = attachments_visible_to(request.user).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
