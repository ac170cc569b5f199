"""Reads on light apps."""

import re
import threading
from collections import OrderedDict

from django.db.models import Exists, OuterRef, Q, Subquery

from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.orgs.selectors import ancestor_of_kind, home_unit_of, memberships_of
from lightapps.params import id_parse

from .dialect import definition_problems, fields_of
from .diff import definition_diff
from .keys import schema_field_keys
from .models import LightApp, LightAppVersion
from .transfer import definition_export


def light_apps_visible_to(person: Person):
    """Apps owned at or above a unit of the person (to fill in), or below it (to oversee)."""
    q = Q(pk__in=[])
    for m in memberships_of(person):
        path = m.org_unit.path
        ancestors = [int(p) for p in path.strip("/").split("/") if p]
        q |= Q(owner_unit_id__in=ancestors) | Q(owner_unit__path__startswith=path)
    return LightApp.objects.filter(q).select_related("owner_unit")


def published_light_apps_visible_to(person: Person):
    published = LightAppVersion.objects.filter(app=OuterRef("pk"))
    return light_apps_visible_to(person).filter(Exists(published))


def active_light_apps_visible_to(person: Person):
    """What the phone offers: published apps that are not disabled (停用)."""
    return published_light_apps_visible_to(person).filter(disabled_at__isnull=True)


# A published version never changes (版本 is immutable), and its schema, ui and flow are the
# whole form: decoding them is most of what loading a version costs. The submit path reads them
# from here, per process, by (id, published_at) — an id alone could name another row of a
# recreated database. Shared between requests: read them, never change them.
DEFINITION_FIELDS = ("schema", "ui", "flow")
DEFINITIONS_KEPT = 256
_definitions: OrderedDict[tuple, list] = OrderedDict()
_definitions_lock = threading.Lock()


def versions_deferred(versions):
    """A queryset of versions (with their app) that loads neither the definitions (see
    version_definitions) nor the app's drafts (the builder's)."""
    return versions.select_related("app").defer(
        *DEFINITION_FIELDS, "app__draft_schema", "app__draft_ui", "app__draft_flow"
    )


def version_definitions(version: LightAppVersion) -> LightAppVersion:
    """The version with its schema, ui and flow, from the process's copies when kept (else one
    query, then kept)."""
    key = (version.pk, version.published_at)
    with _definitions_lock:
        kept = _definitions.get(key)
        if kept is not None:
            _definitions.move_to_end(key)
    if kept is None:
        # [schema, ui, flow, fields (version_fields, derived when first asked)]
        kept = [*LightAppVersion.objects.values_list(*DEFINITION_FIELDS).get(pk=version.pk), None]
        with _definitions_lock:
            _definitions[key] = kept
            while len(_definitions) > DEFINITIONS_KEPT:
                _definitions.popitem(last=False)
    version.schema, version.ui, version.flow = kept[:3]
    return version


def version_fields(version: LightAppVersion) -> list[dict]:
    """fields_of(version.schema, version.ui), derived once per process for a version whose
    definitions come from version_definitions (the very objects kept), else derived now. Shared
    like the definitions: read it, never change it."""
    with _definitions_lock:
        kept = _definitions.get((version.pk, version.published_at))
    if kept is None or kept[0] is not version.schema or kept[1] is not version.ui:
        return fields_of(version.schema, version.ui)
    if kept[3] is None:
        kept[3] = fields_of(version.schema, version.ui)  # a race derives it twice, harmlessly
    return kept[3]


def latest_version(app: LightApp) -> LightAppVersion | None:
    return app.versions.order_by("-number").first()


def with_latest_version_id(apps):
    """The apps, each with `latest_version_id` (its newest published version), in one query."""
    latest = LightAppVersion.objects.filter(app=OuterRef("pk")).order_by("-number").values("pk")
    return apps.annotate(latest_version_id=Subquery(latest[:1]))


def picker_scope(person: Person) -> OrgUnit | None:
    """The unit whose tree the org-unit and person pickers offer: the person's street (街镇).

    A person placed above a street (a district designer) gets their own unit.
    """
    unit = home_unit_of(person)
    if unit is None:
        return None
    return ancestor_of_kind(unit, OrgUnit.Kind.STREET) or unit


def org_unit_choices(*, person: Person, levels: list[str]) -> list[dict]:
    """组织选择: units of the given levels (街镇/网格/居村) in the person's street, tree order."""
    scope = picker_scope(person)
    if scope is None:
        return []
    units = list(
        OrgUnit.objects.filter(path__startswith=scope.path, kind__in=levels).order_by("code")
    )
    # Indented by depth below the street, so a grid's communities read as its children.
    return [
        {"value": u.pk, "label": "　" * max(0, u.depth - scope.depth - 1) + u.name} for u in units
    ]


def person_choices(*, person: Person, roles: list[str]) -> list[dict]:
    """人员选择: people holding a role (any, or one of roles) in the person's street."""
    scope = picker_scope(person)
    if scope is None:
        return []
    members = Membership.objects.filter(org_unit__path__startswith=scope.path)
    if roles:
        members = members.filter(role__in=roles)
    people = (
        Person.objects.filter(pk__in=members.values("person_id"), is_active=True)
        .order_by("username")
        .distinct()
    )
    return [{"value": p.username, "label": p.display_name} for p in people]


def definition_of(app: LightApp, ref: str) -> tuple[dict, dict, dict] | None:
    """(schema, ui, flow) of "draft" or a version number; None when there is no such version."""
    if ref == "draft":
        return app.draft_schema, app.draft_ui, app.draft_flow
    number = id_parse(str(ref))
    if number is None:
        return None
    version = app.versions.filter(number=number).first()
    return (version.schema, version.ui, version.flow) if version else None


def light_app_export(app: LightApp, ref: str) -> tuple[dict, str] | None:
    """导出: the app's draft or a version as its export file and that file's name
    (e.g. "facade-hazard-v2.json"); None when there is no such version."""
    definition = definition_of(app, ref)
    if definition is None:
        return None
    schema, ui, flow = definition
    body = definition_export(
        key=app.key, name=app.name, description=app.description, schema=schema, ui=ui, flow=flow
    )
    suffix = "draft" if ref == "draft" else f"v{ref}"
    return body, f"{app.key}-{suffix}.json"


def version_diff(app: LightApp, *, old: str, new: str) -> dict | None:
    """版本差异 between two definitions of an app ("draft" or numbers); None if one is missing."""
    before, after = definition_of(app, old), definition_of(app, new)
    if before is None or after is None:
        return None
    diff = definition_diff(before[0], before[1], after[0], after[1])
    diff["flow_changed"] = before[2] != after[2]
    diff["definition_changed"] = tuple(before) != tuple(after)
    diff["same"] = not diff["definition_changed"]
    return diff


def designer_unit_of(person: Person) -> OrgUnit | None:
    """Where a designer's new (imported) apps belong: the highest unit of a designer/admin role."""
    units = [m.org_unit for m in memberships_of(person) if m.role in {Role.DESIGNER, Role.ADMIN}]
    return min(units, key=lambda u: u.depth) if units else None


APP_STATUSES = ("draft", "published", "disabled")


def app_status(app: LightApp, latest_number: int | None) -> str:
    """停用 (disabled) over 已发布 (published: has a version) over 草稿 (draft: never published)."""
    if app.disabled_at is not None:
        return "disabled"
    return "published" if latest_number else "draft"


def published_field_keys(app: LightApp) -> list[str]:
    """字段标识 frozen by publishing: every key of every published version (`group[].key` for a
    repeated group's fields). The builder keeps them; renaming a title never renames them."""
    keys: set[str] = set()
    for schema in app.versions.values_list("schema", flat=True):
        keys |= schema_field_keys(schema)
    return sorted(keys)


_FIELD_POINTER = re.compile(
    r"^/(?:schema(?:/allOf/\d+/then)?/properties|ui)/([^/]+)"
    r"(?:/items(?:/properties)?/([^/]+))?"
)


def problem_field(where: str) -> str | None:
    """The field a problem's pointer is about (`hazards[].kind` inside a repeated group), for the
    designer to click to; None for a problem of the whole form or of the flow."""
    m = _FIELD_POINTER.match(where or "")
    if not m:
        return None
    name = m.group(1).replace("~1", "/").replace("~0", "~")
    if name.startswith("ui:"):
        return None
    inner = m.group(2)
    if inner and not inner.startswith("ui:"):
        return f"{name}[].{inner.replace('~1', '/').replace('~0', '~')}"
    return name


def draft_problems(app: LightApp) -> list[dict]:
    """What stops the draft from being published, each problem with the field it concerns."""
    problems = definition_problems(app.draft_schema, app.draft_ui, app.draft_flow)
    return [{**p, "field": problem_field(p["pointer"])} for p in problems]
