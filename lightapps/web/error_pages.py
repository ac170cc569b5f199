"""Production's 404 and 500: the API's one error shape under /api/, a Chinese page elsewhere.

The 500 handlers render without a context processor or the database: a database outage is
one of the reasons they run.
"""

from django.http import HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        body = {"code": "not_found", "message": _("不存在或无权查看"), "fields": {}}
        return JsonResponse(body, status=404)
    return HttpResponseNotFound(loader.get_template("404.html").render())


def server_error(request):
    if _is_api(request):
        body = {"code": "server_error", "message": _("服务器出现错误，请稍后再试"), "fields": {}}
        return JsonResponse(body, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
