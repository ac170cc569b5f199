"""演示轻应用: the three demo apps brought in from their export files, as a designer would."""

from lightapps.definitions.dialect import ui_order_kept
from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import latest_version
from lightapps.definitions.services import light_app_import, light_app_publish
from lightapps.definitions.transfer import definition_read
from lightapps.orgs.models import OrgUnit, Person

from .samples import DEMO_APP_KEYS, demo_app_export


def seed_light_app(*, export: dict, owner: OrgUnit, designer: Person) -> bool:
    """Bring the app up to its export file and publish when that differs; True if published.

    A new key is imported like an uploaded file; an existing app keeps its versions, and only a
    draft that differs from the file is imported again (into the same app).
    """
    read = definition_read(export)
    # What the app holds once saved: the file's UI with the field order made explicit.
    definition = (read["schema"], ui_order_kept(read["schema"], read["ui"]), read["flow"])
    app = LightApp.objects.filter(key=read["key"]).first()
    if app is None:
        app, _notes = light_app_import(data=export, owner_unit=owner)
    else:
        changed = [field for field in ("name", "description") if getattr(app, field) != read[field]]
        if changed:
            for field in changed:
                setattr(app, field, read[field])
            app.save(update_fields=[*changed, "updated_at"])
        if (app.draft_schema, app.draft_ui, app.draft_flow) != definition:
            app, _notes = light_app_import(data=export, owner_unit=owner, into=app)
    latest = latest_version(app)
    if latest is not None and (latest.schema, latest.ui, latest.flow) == definition:
        return False
    light_app_publish(app=app, actor=designer, note="演示数据")
    return True


def seed_light_apps(*, owner: OrgUnit, designer: Person) -> list[str]:
    """Seed every demo app in order; returns the keys that got a new version."""
    return [
        key
        for key in DEMO_APP_KEYS
        if seed_light_app(export=demo_app_export(key), owner=owner, designer=designer)
    ]
