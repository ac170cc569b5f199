"""应用设计: the designers' pages. For now a read-only view of apps, versions and definitions."""

import json
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from lightapps.definitions.selectors import (
    designer_unit_of,
    light_app_export,
    light_apps_visible_to,
)
from lightapps.definitions.services import light_app_import
from lightapps.errors import DomainError
from lightapps.orgs.selectors import BUILDER_ROLES, roles_of
from lightapps.web.jsonbody import form_text_check, json_loads_checked
from lightapps.web.nav import desktop_nav


def builder_page(view):
    """Logged in as a designer or admin; others get a 403 page that shows nothing of the apps."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles_of(request.user) & BUILDER_ROLES:
            return render(
                request, "builder/no_access.html", {"nav": desktop_nav(request.user)}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


KIND_LABELS = {
    "text": gettext_lazy("文字"),
    "textarea": gettext_lazy("多行文字"),
    "integer": gettext_lazy("整数"),
    "number": gettext_lazy("数字"),
    "radio": gettext_lazy("单选"),
    "select": gettext_lazy("下拉单选"),
    "checkboxes": gettext_lazy("多选"),
    "boolean": gettext_lazy("是/否"),
    "date": gettext_lazy("日期"),
    "time": gettext_lazy("时间"),
    "datetime": gettext_lazy("日期时间"),
    "photos": gettext_lazy("照片"),
    "location": gettext_lazy("定位"),
    "group": gettext_lazy("重复组"),
    "files": gettext_lazy("文件"),
    "address": gettext_lazy("地址"),
    "orgunit": gettext_lazy("组织选择"),
    "person": gettext_lazy("人员选择"),
    "mobile": gettext_lazy("手机号"),
    "idcard": gettext_lazy("身份证号"),
    "signature": gettext_lazy("签名"),
    "rating": gettext_lazy("评分"),
    "heading": gettext_lazy("分节标题"),
    "note": gettext_lazy("说明文字"),
}


def _value_label(field: dict | None, value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    for choice in (field or {}).get("choices", []):
        if choice["value"] == value:
            return choice["label"]
    return str(value)


def field_rows(fields: list[dict], *, level: int = 0, by_name: dict | None = None) -> list[dict]:
    """The definition as flat table rows; a group's fields follow it, indented."""
    by_name = by_name if by_name is not None else {f["name"]: f for f in fields}
    rows = []
    for f in fields:
        condition = ""
        if f["visible_when"]:
            target = by_name.get(f["visible_when"]["field"])
            title = target["title"] if target else f["visible_when"]["field"]
            when = f["visible_when"]
            if "contains" in when:
                values = "、".join(_value_label(target, v) for v in when["contains"])
                condition = _("当“%(f)s”包含 %(v)s") % {"f": title, "v": values}
            else:
                values = "、".join(_value_label(target, v) for v in when["in"])
                condition = _("当“%(f)s”为 %(v)s") % {"f": title, "v": values}
        choices = [f"{c['label']}（{c['value']}）" for c in f.get("choices", [])]
        rows.append(
            {
                "level": level,
                "title": f["title"],
                "name": f["name"],
                "kind": str(
                    _("分组") if f.get("nested") else KIND_LABELS.get(f["kind"], f["kind"])
                ),
                "required": f["required"],
                "condition": condition,
                "choices": choices,
                "section": f["section"],
                "help": f["help"],
                "unit": f["unit"],
            }
        )
        if f["kind"] == "group":
            rows += field_rows(f["fields"], level=level + 1, by_name={})

    return rows


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@require_GET
@builder_page
def export(request, key: str):
    """导出: the draft (`?v=draft`) or a version (`?v=2`) as a JSON file to download."""
    light_app = light_apps_visible_to(request.user).filter(key=key).first()
    exported = light_app_export(light_app, request.GET.get("v", "draft")) if light_app else None
    if exported is None:
        raise Http404
    body, filename = exported
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_text(upload) -> str:
    """An uploaded definition as text: no larger than a JSON body may be, and UTF-8 (a BOM is
    allowed) — never decoded with replacement characters standing in for what was there."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if upload.size > limit:
        raise DomainError(
            _("文件超过 %d MB，无法导入") % (limit // (1024 * 1024)), code="too_large"
        )
    raw = upload.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("文件不是 UTF-8 编码（第 %d 个字节起无法读取），请另存为 UTF-8 后再导入")
            % (exc.start + 1),
            code="bad_text",
        ) from exc


@require_http_methods(["GET", "POST"])
@builder_page
def import_app(request):
    """导入: paste or upload an exported app, or a JSON Schema with an optional RJSF uiSchema."""
    context = {"nav": desktop_nav(request.user), "values": {}, "errors": {}, "notes": None}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("key", "name", "schema", "ui_schema")}
        context["values"] = values
        upload = request.FILES.get("file")
        try:
            text = _upload_text(upload) if upload else values["schema"]
            form_text_check(request.POST)
            data = json_loads_checked(text) if text.strip() else None
            ui = json_loads_checked(values["ui_schema"]) if values["ui_schema"].strip() else None
        except json.JSONDecodeError as exc:
            context["errors"] = {"schema": [_("不是有效的 JSON：%s") % exc.msg]}
            return render(request, "builder/import.html", context, status=400)
        except ValueError as exc:  # NaN, Infinity, 1e400
            context["errors"] = {"schema": [_("不是有效的 JSON：%s") % exc]}
            return render(request, "builder/import.html", context, status=400)
        except DomainError as exc:  # too deep, or text that cannot be stored
            context["errors"] = {"schema": [exc.message, *sum(exc.fields.values(), [])]}
            return render(request, "builder/import.html", context, status=400)
        if ui is not None and isinstance(data, dict):
            data = {"schema": data, "uiSchema": ui}
        unit = designer_unit_of(request.user)
        try:
            light_app, notes = light_app_import(
                data=data,
                owner_unit=unit,
                key=values["key"],
                name=values["name"],
                actor=request.user,
            )
        except DomainError as exc:
            context["errors"] = exc.fields or {"schema": [exc.message]}
            return render(request, "builder/import.html", context, status=400)
        request.session[f"import-notes-{light_app.key}"] = notes
        return redirect(f"{reverse('builder:versions', args=[light_app.key])}?v=draft")
    return render(request, "builder/import.html", context)
