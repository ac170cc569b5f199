"""我的筛选's pages: save the list's current query under a name, delete one; both back to the list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lightapps.errors import DomainError

from .access import console_page
from .saved_filters import list_url, saved_filter_delete, saved_filter_save


@require_POST
@console_page
def saved_filter_create(request):
    """保存筛选: the list's current query under the name typed; back to that list."""
    query = request.POST.get("query", "")
    try:
        saved = saved_filter_save(
            person=request.user, name=request.POST.get("name", ""), query=query
        )
    except DomainError as exc:
        messages.error(request, exc.as_sentence())
        return redirect(list_url(query))
    messages.success(request, _("已保存筛选“%s”") % saved.name)
    return redirect(list_url(saved.query))


@require_POST
@console_page
def saved_filter_remove(request, pk: int):
    """删除 one of my saved filters; someone else's is not found (404), never touched."""
    removed = saved_filter_delete(person=request.user, pk=pk)
    if removed is None:
        raise Http404
    messages.success(request, _("已删除筛选“%s”") % removed.name)
    return redirect(list_url(request.POST.get("query", "")))
