"""表单设计: the designer page, and the live phone preview of the saved draft beside it.

The page is a shell: its JS (static/builder/designer.js) loads the draft through the API
(`GET /api/apps/{key}/`) and saves it there (`PUT /api/apps/{key}/draft/`). The preview renders
the saved draft with the phone form's own template and field nodes (lightapps.web.phone_form),
without the phone's service worker, drafts or outbox; its 提交 is checked here against the draft
by the same validation as a real submit, and nothing is stored.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from lightapps.definitions.dialect import SchemaUncompilable, submission_errors
from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.selectors import light_apps_visible_to
from lightapps.errors import DomainError
from lightapps.orgs.selectors import BUILDER_ROLES, person_has_role_over
from lightapps.web.jsonbody import json_loads_checked
from lightapps.web.nav import desktop_nav
from lightapps.web.phone_form import form_context

from .design_texts import designer_texts, kind_labels
from .views import builder_page


def _visible_app(request, key: str):
    light_app = (
        light_apps_visible_to(request.user).select_related("owner_unit").filter(key=key).first()
    )
    if light_app is None:
        raise Http404
    return light_app


@require_GET
@builder_page
@ensure_csrf_cookie
def design(request, key: str):
    """表单设计: palette, canvas, property panel and the phone preview of one app's draft."""
    light_app = _visible_app(request, key)
    may_edit = person_has_role_over(request.user, roles=BUILDER_ROLES, unit=light_app.owner_unit)
    config = {
        "key": light_app.key,
        "may_edit": may_edit,
        "api": reverse("api-app", args=[light_app.key]),
        "draft_api": reverse("api-app-draft", args=[light_app.key]),
        "field_key_api": reverse("api-field-key", args=[light_app.key]),
        "preview": reverse("builder:preview", args=[light_app.key]),
        "versions": reverse("builder:versions", args=[light_app.key]),
    }
    return render(
        request,
        "builder/designer.html",
        {
            "nav": desktop_nav(request.user),
            "app": light_app,
            "tab": "design",
            "may_edit": may_edit,
            "config": config,
            "texts": designer_texts(),
            "kinds": kind_labels(),
        },
    )


def _draft_version(light_app) -> LightAppVersion:
    """The saved draft as a version that is never saved (number 0: the preview's mark)."""
    return LightAppVersion(
        app=light_app,
        number=0,
        schema=light_app.draft_schema if isinstance(light_app.draft_schema, dict) else {},
        ui=light_app.draft_ui if isinstance(light_app.draft_ui, dict) else {},
        flow=light_app.draft_flow if isinstance(light_app.draft_flow, dict) else {},
    )


@require_GET
@builder_page
@ensure_csrf_cookie
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def preview(request, key: str):
    """手机预览: the saved draft as the phone shows it, inside the designer's phone frame."""
    light_app = _visible_app(request, key)
    version = _draft_version(light_app)
    context = form_context(app=light_app, version=version, person=request.user)
    context.update(
        preview=True,
        revision=light_app.draft_revision,
        preview_check_url=reverse("builder:preview_check", args=[light_app.key]),
        preview_texts={
            "passed": _("预览：校验通过，未保存"),
            "failed": _("预览：有 %s 处需要修改（未保存）"),
            "network": _("预览：无法连接服务器"),
        },
    )
    return render(request, "mobile/form.html", context)


@require_POST
@builder_page
def preview_check(request, key: str):
    """预览提交: `{"data": {...}}` checked against the saved draft like a real submit; stores
    nothing. 200 `{"valid": true}` or `{"valid": false, "fields": {path: [messages]}}`."""
    light_app = _visible_app(request, key)
    try:
        body = json_loads_checked(request.body.decode("utf-8", "replace") or "{}")
    except ValueError:  # JSONDecodeError is one
        return JsonResponse({"code": "invalid_json", "message": _("不是有效的 JSON")}, status=400)
    except DomainError as exc:  # too deep, or text that cannot be stored
        return JsonResponse({"code": exc.code, "message": exc.message}, status=400)
    data = body.get("data") if isinstance(body, dict) else None
    try:
        errors = submission_errors(_draft_version(light_app), data)
    except SchemaUncompilable:
        message = _("草稿的表单定义有问题，无法试提交：请先按“发布与版本”页列出的问题修改")
        return JsonResponse({"code": "draft_uncompilable", "message": message}, status=409)
    return JsonResponse(
        {"valid": not errors, "fields": errors}, json_dumps_params={"ensure_ascii": False}
    )
