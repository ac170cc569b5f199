from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class OrgsConfig(AppConfig):
    name = "lightapps.orgs"
    label = "orgs"

    def ready(self) -> None:
        from .grids import org_unit_changed
        from .models import OrgUnit

        post_save.connect(org_unit_changed, sender=OrgUnit, dispatch_uid="orgs_grid_index")
        post_delete.connect(org_unit_changed, sender=OrgUnit, dispatch_uid="orgs_grid_index_del")
