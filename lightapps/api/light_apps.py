"""API of light apps: list, detail, draft, versions, publish, diff, import and export."""

from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.api.parsers import CheckedJSONField, ObjectJSONField
from lightapps.definitions.dialect import definition_problems
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.definitions.selectors import (
    designer_unit_of,
    light_app_export,
    light_apps_visible_to,
    version_diff,
)
from lightapps.definitions.services import light_app_import, light_app_publish, light_app_save_draft
from lightapps.errors import DomainError
from lightapps.orgs.models import Role
from lightapps.orgs.selectors import person_has_role_over

DESIGN_ROLES = (Role.DESIGNER, Role.ADMIN)


def _app_for(request, key: str) -> LightApp:
    return get_object_or_404(light_apps_visible_to(request.user), key=key)


def _require_designer(request, app: LightApp) -> None:
    if not person_has_role_over(request.user, roles=DESIGN_ROLES, unit=app.owner_unit):
        raise DomainError(_("只有应用设计人员可以修改或发布应用"), code="not_allowed", status=403)


class VersionSerializer(serializers.ModelSerializer):
    published_by = serializers.CharField(source="published_by.username", default=None)

    class Meta:
        model = LightAppVersion
        fields = ["number", "schema", "ui", "flow", "note", "published_at", "published_by"]


class AppSerializer(serializers.ModelSerializer):
    owner_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = LightApp
        fields = ["key", "name", "description", "owner_unit", "latest_version", "updated_at"]

    def get_latest_version(self, app) -> int | None:
        return getattr(app, "latest_number", None)


class AppListApi(generics.ListAPIView):
    """轻应用: the apps the caller may fill in or oversee."""

    serializer_class = AppSerializer

    def get_queryset(self):
        return light_apps_visible_to(self.request.user).annotate(
            latest_number=Max("versions__number")
        )


class AppDetailApi(APIView):
    class OutputSerializer(AppSerializer):
        draft = serializers.SerializerMethodField()

        class Meta(AppSerializer.Meta):
            ref_name = "AppDetailOutput"
            fields = [*AppSerializer.Meta.fields, "draft"]

        def get_draft(self, app) -> dict:
            return {"schema": app.draft_schema, "ui": app.draft_ui, "flow": app.draft_flow}

    @extend_schema(responses=OutputSerializer)
    def get(self, request, key: str):
        app = _app_for(request, key)
        app.latest_number = (
            app.versions.order_by("-number").values_list("number", flat=True).first()
        )
        return Response(self.OutputSerializer(app).data)


class AppDraftApi(APIView):
    """草稿: replace the draft definition. A draft may have problems; publishing lists them."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppDraftInput"

        schema = ObjectJSONField()
        ui = ObjectJSONField(required=False, default=dict)
        flow = ObjectJSONField(required=False, default=dict)

    @extend_schema(request=InputSerializer, responses=AppDetailApi.OutputSerializer)
    def put(self, request, key: str):
        app = _app_for(request, key)
        _require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = light_app_save_draft(app=app, actor=request.user, **data.validated_data)
        return Response(AppDetailApi.OutputSerializer(app).data)


class VersionListApi(generics.ListAPIView):
    """版本: the published, immutable versions of an app, newest first."""

    serializer_class = VersionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LightAppVersion.objects.none()
        app = _app_for(self.request, self.kwargs["key"])
        return app.versions.select_related("published_by").order_by("-number")


class VersionDetailApi(APIView):
    @extend_schema(responses=VersionSerializer)
    def get(self, request, key: str, number: int):
        app = _app_for(request, key)
        version = get_object_or_404(app.versions.select_related("published_by"), number=number)
        return Response(VersionSerializer(version).data)


class PublishApi(APIView):
    """发布: check the whole draft and freeze it as the next version (problems listed by pointer)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PublishInput"

        note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    @extend_schema(request=InputSerializer, responses={201: VersionSerializer})
    def post(self, request, key: str):
        app = _app_for(request, key)
        _require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = light_app_publish(app=app, actor=request.user, note=data.validated_data["note"])
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class ExportApi(APIView):
    """导出: the app's draft (`?v=draft`, the default) or a version (`?v=2`) as one JSON file."""

    @extend_schema(responses={200: dict})
    def get(self, request, key: str):
        app = _app_for(request, key)
        exported = light_app_export(app, request.query_params.get("v", "draft"))
        if exported is None:
            raise DomainError(_("没有这个版本"), code="not_found", status=404)
        body, filename = exported
        response = Response(body)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ImportApi(APIView):
    """导入: a new app from an exported file, or from a JSON Schema (optionally with an RJSF
    uiSchema: `{"schema": …, "uiSchema": …}`). Answers the notes on what the phone cannot show
    and the problems that would stop publishing."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppImportInput"

        definition = CheckedJSONField()
        key = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppImportOutput"

        key = serializers.CharField()
        notes = serializers.ListField(child=serializers.DictField())
        problems = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request):
        unit = designer_unit_of(request.user)
        if unit is None:
            raise DomainError(_("只有应用设计人员可以导入应用"), code="not_allowed", status=403)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        app, notes = light_app_import(
            data=values["definition"],
            owner_unit=unit,
            key=values["key"],
            name=values["name"],
            actor=request.user,
        )
        problems = definition_problems(app.draft_schema, app.draft_ui, app.draft_flow)
        return Response(
            {"key": app.key, "notes": notes, "problems": problems}, status=status.HTTP_201_CREATED
        )


class DiffApi(APIView):
    """版本差异: fields added, removed and changed (choices too) between two definitions.

    `?from=1&to=draft`; by default from the latest version to the draft."""

    @extend_schema(responses={200: dict})
    def get(self, request, key: str):
        app = _app_for(request, key)
        latest = app.versions.order_by("-number").values_list("number", flat=True).first()
        old = request.query_params.get("from", str(latest) if latest else "draft")
        new = request.query_params.get("to", "draft")
        diff = version_diff(app, old=old, new=new)
        if diff is None:
            raise DomainError(_("没有这个版本"), code="not_found", status=404)
        return Response({"from": old, "to": new, **diff})
