"""`seed_demo()`: create or update the whole demo (演示数据) in one transaction."""

from django.db import transaction

from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import latest_version
from lightapps.orgs.models import OrgUnit, Person

from .light_apps import seed_light_apps
from .org_tree import DEMO_DESIGNER, DEMO_PEOPLE, DISTRICT_CODE, seed_org_units, seed_people
from .samples import DEMO_APP_KEYS


@transaction.atomic
def seed_demo(*, superusers: bool = False) -> dict:
    """Create or update the demo district, people and apps; returns a summary of what is there."""
    units = seed_org_units()
    people = seed_people(units=units, superusers=superusers)
    district = units[DISTRICT_CODE]
    published = seed_light_apps(owner=district, designer=people[DEMO_DESIGNER])
    in_district = OrgUnit.objects.filter(path__startswith=district.path)
    apps = LightApp.objects.filter(key__in=DEMO_APP_KEYS)
    return {
        "units": {kind: in_district.filter(kind=kind).count() for kind in OrgUnit.Kind.values},
        "people": Person.objects.filter(username__in=[p["username"] for p in DEMO_PEOPLE]).count(),
        "apps": {app.key: latest_version(app).number for app in apps.order_by("key")},
        "published": published,
    }
