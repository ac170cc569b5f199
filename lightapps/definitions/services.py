"""Writes on light apps: create, save the draft, publish an immutable version, import."""

import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.audit.services import audit_record
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person

from .dialect import definition_problems, ui_order_kept
from .models import LightApp, LightAppVersion
from .transfer import ImportError_ as DefinitionImportError
from .transfer import definition_read

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


class DefinitionInvalid(DomainError):
    code = "definition_invalid"


def light_app_create(
    *,
    key: str,
    name: str,
    owner_unit: OrgUnit,
    description: str = "",
    schema: dict,
    ui: dict,
    flow: dict,
    actor: Person | None = None,
    source: str = "",
) -> LightApp:
    app = LightApp.objects.create(
        key=key,
        name=name,
        owner_unit=owner_unit,
        description=description,
        draft_schema=schema,
        draft_ui=ui_order_kept(schema, ui),
        draft_flow=flow,
    )
    audit_record(
        "app.create", actor=actor, target=app, details={"key": key, "source": source or "new"}
    )
    return app


def light_app_save_draft(
    *, app: LightApp, schema: dict, ui: dict, flow: dict, actor: Person | None = None
) -> LightApp:
    """A draft may hold problems; they are listed at publish."""
    app.draft_schema, app.draft_ui, app.draft_flow = schema, ui_order_kept(schema, ui), flow
    app.save(update_fields=["draft_schema", "draft_ui", "draft_flow", "updated_at"])
    fields = schema.get("properties") if isinstance(schema, dict) else None
    audit_record(
        "app.save_draft",
        actor=actor,
        target=app,
        details={"fields": len(fields) if isinstance(fields, dict) else 0},
    )
    return app


@transaction.atomic
def light_app_publish(*, app: LightApp, actor: Person | None, note: str = "") -> LightAppVersion:
    """发布: check the whole draft and freeze it as the next numbered version."""
    app = LightApp.objects.select_for_update().get(pk=app.pk)
    problems = definition_problems(app.draft_schema, app.draft_ui, app.draft_flow)
    if problems:
        raise DefinitionInvalid(
            _("定义有 %d 处问题，不能发布") % len(problems),
            fields={p["pointer"]: [p["message"]] for p in problems},
        )
    last = app.versions.aggregate(n=Max("number"))["n"] or 0
    version = LightAppVersion.objects.create(
        app=app,
        number=last + 1,
        schema=app.draft_schema,
        ui=app.draft_ui,
        flow=app.draft_flow,
        note=note,
        published_at=timezone.now(),
        published_by=actor,
    )
    audit_record(
        "app.publish", actor=actor, target=app, details={"version": version.number, "note": note}
    )
    return version


def light_app_import(
    *,
    data: Any,
    owner_unit: OrgUnit,
    key: str = "",
    name: str = "",
    into: LightApp | None = None,
    actor: Person | None = None,
) -> tuple[LightApp, list[dict]]:
    """导入: a new app (or the draft of `into`) from an exported file or a plain JSON Schema.

    Returns the app and the notes on what the phone cannot show. The result is a draft: it is
    published (and checked) like any other.
    """
    try:
        read = definition_read(data)
    except DefinitionImportError as exc:
        raise DomainError(str(exc), code="invalid", fields={"definition": [str(exc)]}) from exc
    if into is not None:
        app = light_app_save_draft(
            app=into, schema=read["schema"], ui=read["ui"], flow=read["flow"], actor=actor
        )
        return app, read["notes"]
    key = key or read["key"]
    name = name or read["name"]
    fields: dict[str, list[str]] = {}
    if not key or not _KEY.match(key):
        fields["key"] = [_("标识只能由小写字母、数字和连字符组成")]
    elif LightApp.objects.filter(key=key).exists():
        fields["key"] = [_("标识“%s”已被使用") % key]
    if not name:
        fields["name"] = [_("请填写应用名称")]
    if fields:
        raise DomainError(_("请检查标红的项目"), code="invalid", fields=fields)
    app = light_app_create(
        key=key,
        name=name[:100],
        owner_unit=owner_unit,
        description=read["description"],
        schema=read["schema"],
        ui=read["ui"],
        flow=read["flow"],
        actor=actor,
        source="import",
    )
    return app, read["notes"]
