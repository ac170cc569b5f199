"""Writes on light apps: create (blank, from a template, a copy), save the draft against its
revision, publish an immutable version, roll back, disable, import."""

import copy
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.audit.services import audit_record
from lightapps.errors import Conflict, DomainError
from lightapps.orgs.models import OrgUnit, Person

from .app_templates import app_template
from .dialect import definition_problems, ui_order_kept
from .keys import APP_KEY, app_key_for
from .models import LightApp, LightAppVersion
from .transfer import ImportError_ as DefinitionImportError
from .transfer import definition_read

# What a blank app starts with: no field yet, records only.
BLANK_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {},
    "required": [],
    "unevaluatedProperties": False,
}
BLANK_FLOW = {"template": "none"}


class DefinitionInvalid(DomainError):
    code = "definition_invalid"


class DraftConflict(Conflict):
    """草稿冲突: the draft was saved by someone (or another tab) since this copy was loaded."""

    code = "draft_conflict"

    def __init__(self, app: LightApp):
        who = app.draft_saved_by.display_name if app.draft_saved_by else _("其他人")
        when = timezone.localtime(app.updated_at).strftime("%m-%d %H:%M:%S")
        super().__init__(
            _("草稿已被%(who)s于 %(when)s 修改（第 %(rev)d 稿），请重新载入或复制您的修改")
            % {"who": who, "when": when, "rev": app.draft_revision}
        )
        self.app = app

    def as_dict(self) -> dict:
        app = self.app
        return {
            **super().as_dict(),
            "revision": app.draft_revision,
            "saved_by": app.draft_saved_by.username if app.draft_saved_by else None,
            "saved_by_name": app.draft_saved_by.display_name if app.draft_saved_by else None,
            "saved_at": app.updated_at.isoformat(),
        }


# Keys that are paths of their own beside /api/apps/{key}/ and /builder/apps/{key}/.
RESERVED_KEYS = frozenset({"import", "new", "export"})


def _key_checked(key: str) -> str:
    if key in RESERVED_KEYS:
        raise DomainError(
            _("请检查标红的项目"),
            code="invalid",
            fields={"key": [_("“%s”是系统保留的标识，请换一个") % key]},
        )
    if not APP_KEY.match(key):
        raise DomainError(
            _("请检查标红的项目"),
            code="invalid",
            fields={"key": [_("标识只能由小写字母、数字和连字符组成，2 至 64 个字符")]},
        )
    if LightApp.objects.filter(key=key).exists():
        raise _key_taken(key)
    return key


def _key_taken(key: str) -> DomainError:
    return DomainError(
        _("请检查标红的项目"), code="key_taken", fields={"key": [_("标识“%s”已被使用") % key]}
    )


def _key_made(name: str) -> str:
    base = app_key_for(name)
    # A suffixed key may cut the base short to stay within 64 characters ("…-2"): look wider.
    prefix = base[:50]
    taken = set(LightApp.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    return app_key_for(name, taken | RESERVED_KEYS)


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
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a refusal
            app = LightApp.objects.create(
                key=key,
                name=name,
                owner_unit=owner_unit,
                description=description,
                draft_schema=schema,
                draft_ui=ui_order_kept(schema, ui),
                draft_flow=flow,
                created_by=actor,
                draft_saved_by=actor,
            )
    except IntegrityError as exc:  # the same key, made a moment ago by someone else
        raise _key_taken(key) from exc
    audit_record(
        "app.create", actor=actor, target=app, details={"key": key, "source": source or "new"}
    )
    return app


def light_app_new(
    *, name: str, owner_unit: OrgUnit, key: str = "", template: str = "", actor: Person | None
) -> LightApp:
    """新建应用: blank, or from a template (the template's definition as its first draft)."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("请检查标红的项目"), code="invalid", fields={"name": [_("请填写应用名称")]}
        )
    if template:
        export = app_template(template)
        if export is None:
            raise DomainError(
                _("请检查标红的项目"),
                code="invalid",
                fields={"template": [_("没有模板“%s”") % template[:40]]},
            )
        read = definition_read(export)
        schema, ui, flow, description = (
            read["schema"],
            read["ui"],
            read["flow"],
            read["description"],
        )
    else:
        schema, ui, flow, description = copy.deepcopy(BLANK_SCHEMA), {}, dict(BLANK_FLOW), ""
    key = _key_checked(key) if key else _key_made(name)
    return light_app_create(
        key=key,
        name=name[:100],
        owner_unit=owner_unit,
        description=description,
        schema=schema,
        ui=ui,
        flow=flow,
        actor=actor,
        source=f"template:{template}" if template else "blank",
    )


def light_app_duplicate(
    *, app: LightApp, owner_unit: OrgUnit, actor: Person | None, name: str = "", key: str = ""
) -> LightApp:
    """复制: a new app whose draft is this app's draft; versions and data stay with the original."""
    name = (name or "").strip() or _("%s（副本）") % app.name
    key = _key_checked(key) if key else _key_made(name)
    return light_app_create(
        key=key,
        name=name[:100],
        owner_unit=owner_unit,
        description=app.description,
        schema=copy.deepcopy(app.draft_schema),
        ui=copy.deepcopy(app.draft_ui),
        flow=copy.deepcopy(app.draft_flow),
        actor=actor,
        source=f"copy:{app.key}",
    )


def light_app_save_draft(
    *,
    app: LightApp,
    schema: dict,
    ui: dict,
    flow: dict,
    actor: Person | None = None,
    revision: int | None = None,
) -> LightApp:
    """保存草稿. A draft may hold problems; they are listed at publish.

    With `revision` (what the editor loaded) the save happens only if nobody saved since, in one
    conditional UPDATE; otherwise DraftConflict names who did and when. Without it (imports,
    seeding) the draft is replaced.
    """
    ui = ui_order_kept(schema, ui)
    changes = {
        "draft_schema": schema,
        "draft_ui": ui,
        "draft_flow": flow,
        "draft_saved_by": actor,
        "draft_revision": F("draft_revision") + 1,
        "updated_at": timezone.now(),
    }
    rows = LightApp.objects.filter(pk=app.pk)
    if revision is not None:
        rows = rows.filter(draft_revision=revision)
    if not rows.update(**changes):
        raise DraftConflict(LightApp.objects.select_related("draft_saved_by").get(pk=app.pk))
    app.refresh_from_db()
    fields = schema.get("properties") if isinstance(schema, dict) else None
    audit_record(
        "app.save_draft",
        actor=actor,
        target=app,
        details={
            "fields": len(fields) if isinstance(fields, dict) else 0,
            "revision": app.draft_revision,
        },
    )
    return app


@transaction.atomic
def light_app_publish(*, app: LightApp, actor: Person | None, note: str = "") -> LightAppVersion:
    """发布: check the whole draft and freeze it as the next numbered version.

    A draft identical to the latest version is refused (`unchanged`): it would be a new number
    for the same form."""
    app = LightApp.objects.select_for_update().get(pk=app.pk)
    problems = definition_problems(app.draft_schema, app.draft_ui, app.draft_flow)
    if problems:
        raise DefinitionInvalid(
            _("定义有 %d 处问题，不能发布") % len(problems),
            fields={p["pointer"]: [p["message"]] for p in problems},
        )
    latest = app.versions.order_by("-number").first()
    if latest is not None and (latest.schema, latest.ui, latest.flow) == (
        app.draft_schema,
        app.draft_ui,
        app.draft_flow,
    ):
        raise DomainError(
            _("草稿与第 %d 版相同，无需发布") % latest.number,
            code="unchanged",
            fields={"version": [str(latest.number)]},
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


def light_app_rollback(
    *, app: LightApp, number: int, actor: Person | None, revision: int | None = None
) -> LightApp:
    """回退: version N becomes the draft again (publish it to make it current). Versions and the
    data collected under them are untouched."""
    version = app.versions.filter(number=number).first()
    if version is None:
        raise DomainError(
            _("没有第 %d 版") % number,
            code="not_found",
            status=404,
            fields={"version": [str(number)]},
        )
    app = light_app_save_draft(
        app=app,
        schema=copy.deepcopy(version.schema),
        ui=copy.deepcopy(version.ui),
        flow=copy.deepcopy(version.flow),
        actor=actor,
        revision=revision,
    )
    audit_record("app.rollback", actor=actor, target=app, details={"version": number})
    return app


def light_app_set_disabled(*, app: LightApp, disabled: bool, actor: Person | None) -> LightApp:
    """停用 / 启用: a disabled app leaves the phones and refuses new reports; its versions,
    reports and work orders stay, and the console keeps showing them."""
    when = timezone.now() if disabled else None
    if (app.disabled_at is None) == (when is None):
        return app
    LightApp.objects.filter(pk=app.pk).update(disabled_at=when)
    app.disabled_at = when
    audit_record("app.disable" if disabled else "app.enable", actor=actor, target=app)
    return app


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
    name = (name or read["name"] or "").strip()
    if not name:
        raise DomainError(
            _("请检查标红的项目"), code="invalid", fields={"name": [_("请填写应用名称")]}
        )
    if key:
        key = _key_checked(key)
    elif APP_KEY.match(read["key"] or "") and not LightApp.objects.filter(key=read["key"]).exists():
        key = read["key"]
    else:  # a file exported here and imported again: the same key with a number
        key = _key_made(read["key"] or name)
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
