"""API of light apps, the reads: list, detail (with the draft, its revision and its problems),
versions, diff (with the words and the impact), export, templates."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.definitions.app_templates import app_templates
from lightapps.definitions.diff import diff_in_words
from lightapps.definitions.keys import title_keyed_fields
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.definitions.selectors import (
    APP_STATUSES,
    app_status,
    draft_problems,
    light_app_export,
    light_apps_visible_to,
    published_field_keys,
    version_diff,
)
from lightapps.errors import DomainError
from lightapps.orgs.models import Role
from lightapps.orgs.selectors import person_has_role_over
from lightapps.params import id_parse
from lightapps.submissions.selectors import light_apps_listed
from lightapps.workorders.impact import draft_impact

DESIGN_ROLES = (Role.DESIGNER, Role.ADMIN)


def app_for(request, key: str) -> LightApp:
    return get_object_or_404(
        light_apps_visible_to(request.user).select_related("draft_saved_by"), key=key
    )


def require_designer(request, app: LightApp) -> None:
    """A designer or admin at the app's owner unit or above (a street designer manages the
    street's apps, a district designer all of the district's)."""
    if not person_has_role_over(request.user, roles=DESIGN_ROLES, unit=app.owner_unit):
        raise DomainError(_("只有应用设计人员可以修改或发布应用"), code="not_allowed", status=403)


class VersionSerializer(serializers.ModelSerializer):
    published_by = serializers.CharField(source="published_by.username", default=None)
    published_by_name = serializers.CharField(source="published_by.display_name", default=None)

    class Meta:
        model = LightAppVersion
        fields = [
            "number",
            "schema",
            "ui",
            "flow",
            "note",
            "published_at",
            "published_by",
            "published_by_name",
        ]


class AppSerializer(serializers.ModelSerializer):
    owner_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    latest_version = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    revision = serializers.IntegerField(source="draft_revision", read_only=True)
    saved_by = serializers.CharField(
        source="draft_saved_by.username", default=None, allow_null=True, read_only=True
    )
    saved_by_name = serializers.CharField(
        source="draft_saved_by.display_name", default=None, allow_null=True, read_only=True
    )
    report_count = serializers.SerializerMethodField()

    class Meta:
        model = LightApp
        fields = [
            "key",
            "name",
            "description",
            "owner_unit",
            "owner_unit_name",
            "status",
            "latest_version",
            "revision",
            "saved_by",
            "saved_by_name",
            "updated_at",
            "disabled_at",
            "report_count",
        ]

    def get_latest_version(self, app) -> int | None:
        return getattr(app, "latest_number", None)

    def get_status(self, app) -> str:
        return app_status(app, getattr(app, "latest_number", None))

    def get_report_count(self, app) -> int | None:
        return getattr(app, "report_count", None)


class AppListApi(generics.ListAPIView):
    """轻应用: the apps the caller may fill in or oversee. `?q=` (name or key), `?status=`
    (draft / published / disabled), `?owner_unit=` (that unit and below)."""

    serializer_class = AppSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("status", str, enum=list(APP_STATUSES)),
            OpenApiParameter("owner_unit", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status", "")
        if status and status not in APP_STATUSES:
            raise DomainError(
                _("没有这个状态：%s") % status[:20],
                code="invalid_filter",
                fields={"status": [_("可选：draft、published、disabled")]},
            )
        unit = params.get("owner_unit", "")
        owner_unit = id_parse(unit) if unit else None
        if unit and owner_unit is None:
            raise DomainError(
                _("组织编号不对"), code="invalid_filter", fields={"owner_unit": [_("应为数字")]}
            )
        return light_apps_listed(
            self.request.user, q=params.get("q", "")[:50], status=status, owner_unit=owner_unit
        )


class AppDetailSerializer(AppSerializer):
    draft = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    frozen_keys = serializers.SerializerMethodField()
    title_keyed = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta(AppSerializer.Meta):
        ref_name = "AppDetailOutput"
        fields = [
            *AppSerializer.Meta.fields,
            "draft",
            "problems",
            "frozen_keys",
            "title_keyed",
            "can_edit",
        ]

    def get_can_edit(self, app) -> bool:
        """Whether the caller may save, publish, roll back or disable this app."""
        person = self.context.get("person")
        return bool(person) and person_has_role_over(
            person, roles=DESIGN_ROLES, unit=app.owner_unit
        )

    def get_draft(self, app) -> dict:
        return {"schema": app.draft_schema, "ui": app.draft_ui, "flow": app.draft_flow}

    def get_problems(self, app) -> list[dict]:
        """What stops publishing: {pointer, message, field} (field: the field's path, or null)."""
        return draft_problems(app)

    def _frozen(self, app) -> list[str]:
        if not hasattr(app, "_frozen_keys"):  # one query for both fields
            app._frozen_keys = published_field_keys(app)
        return app._frozen_keys

    def get_frozen_keys(self, app) -> list[str]:
        """Field keys fixed by a published version: they are never renamed."""
        return self._frozen(app)

    def get_title_keyed(self, app) -> list[str]:
        """Unpublished fields whose key is still made from their title: it follows the title."""
        return title_keyed_fields(app.draft_schema, self._frozen(app))


def app_detail(app: LightApp, person=None) -> dict:
    app.latest_number = app.versions.order_by("-number").values_list("number", flat=True).first()
    return AppDetailSerializer(app, context={"person": person}).data


class AppDetailApi(APIView):
    @extend_schema(responses=AppDetailSerializer)
    def get(self, request, key: str):
        return Response(app_detail(app_for(request, key), request.user))


class VersionListApi(generics.ListAPIView):
    """版本: the published, immutable versions of an app, newest first, with who and the note."""

    serializer_class = VersionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LightAppVersion.objects.none()
        app = app_for(self.request, self.kwargs["key"])
        return app.versions.select_related("published_by").order_by("-number")


class VersionDetailApi(APIView):
    @extend_schema(responses=VersionSerializer)
    def get(self, request, key: str, number: int):
        app = app_for(request, key)
        version = get_object_or_404(app.versions.select_related("published_by"), number=number)
        return Response(VersionSerializer(version).data)


class ExportApi(APIView):
    """导出: the app's draft (`?v=draft`, the default) or a version (`?v=2`) as one JSON file."""

    @extend_schema(responses={200: dict})
    def get(self, request, key: str):
        app = app_for(request, key)
        exported = light_app_export(app, request.query_params.get("v", "draft"))
        if exported is None:
            raise DomainError(_("没有这个版本"), code="not_found", status=404)
        body, filename = exported
        response = Response(body)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DiffApi(APIView):
    """版本差异: fields added, removed and changed (choices too) between two definitions, and the
    same in words. `?from=1&to=draft`; by default from the latest version to the draft. For the
    draft against the latest version, `impact` counts the reports and open work orders that the
    removed or changed fields touch."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.STR),
            OpenApiParameter("to", OpenApiTypes.STR),
        ],
        responses={200: dict},
    )
    def get(self, request, key: str):
        app = app_for(request, key)
        latest = app.versions.order_by("-number").values_list("number", flat=True).first()
        old = request.query_params.get("from", str(latest) if latest else "draft")
        new = request.query_params.get("to", "draft")
        diff = version_diff(app, old=old, new=new)
        if diff is None:
            raise DomainError(_("没有这个版本"), code="not_found", status=404)
        body = {"from": old, "to": new, **diff, "words": diff_in_words(diff)}
        if latest and old == str(latest) and new == "draft":
            body["impact"] = draft_impact(app)
        return Response(body)


class TemplateListApi(APIView):
    """应用模板: what a new app can start from (`POST /api/apps/` with `template`)."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppTemplateOutput"

        key = serializers.CharField()
        name = serializers.CharField()
        description = serializers.CharField(allow_blank=True)
        fields = serializers.IntegerField(help_text="how many fields the template's form has")

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request):
        return Response(app_templates())
