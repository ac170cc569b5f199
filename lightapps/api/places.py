"""API of 所在网格: which grid a GPS point lies in (the phone asks after 获取定位)."""

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.orgs.places import place_at


class FiniteFloat(serializers.FloatField):
    """A number written in ASCII and finite (no nan, no inf, no 1e400)."""

    default_error_messages = {"finite": _("请填写有效的数字")}

    def to_internal_value(self, data):
        # Python's float() takes full-width digits (“３１.２”) and "nan": a query is ASCII digits.
        if isinstance(data, str) and not data.strip().isascii():
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("finite")
        return value


class PlaceAtInput(serializers.Serializer):
    lat = FiniteFloat(min_value=-90, max_value=90)
    lng = FiniteFloat(min_value=-180, max_value=180)


class PlaceAtStreet(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlaceAtGrid(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    boundary = serializers.JSONField(help_text="GeoJSON geometry")


class PlaceAtOutput(serializers.Serializer):
    grid = PlaceAtGrid(allow_null=True)
    street = PlaceAtStreet(allow_null=True)


class PlaceAtApi(APIView):
    """所在网格: the grid whose boundary covers the point (WGS-84), with its boundary as GeoJSON
    and its street; both null outside every grid. The same lookup routing uses. A missing or
    bad lat/lng is 400 `invalid` naming the field."""

    @extend_schema(
        operation_id="places_at",
        parameters=[PlaceAtInput],
        responses={200: PlaceAtOutput},
    )
    def get(self, request):
        query = PlaceAtInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(place_at(**query.validated_data))
