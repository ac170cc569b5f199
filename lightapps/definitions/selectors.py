"""Reads on light apps."""

from django.db.models import Exists, OuterRef, Q

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import memberships_of

from .models import LightApp, LightAppVersion


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


def latest_version(app: LightApp) -> LightAppVersion | None:
    return app.versions.order_by("-number").first()
