"""API of the org tree: the units the caller may see."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import org_units_visible_to


class OrgUnitListApi(generics.ListAPIView):
    """组织: the units under the places where the caller holds a role."""

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            ref_name = "OrgUnitListOutput"
            model = OrgUnit
            fields = ["id", "name", "kind", "code", "parent", "depth", "boundary"]

    serializer_class = OutputSerializer
    filterset_fields = ["kind", "parent"]

    def get_queryset(self):
        return org_units_visible_to(self.request.user)

    @extend_schema(operation_id="org_units_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
