"""API of light apps, the writes the builder page itself uses: create (blank or from a
template), duplicate, save the draft against its revision, publish, roll back, disable / enable,
import, and a field key made from a title."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.api.parsers import CheckedJSONField, ObjectJSONField
from lightapps.definitions.keys import field_key_for, schema_field_keys
from lightapps.definitions.selectors import (
    designer_unit_of,
    published_field_keys,
)
from lightapps.definitions.services import (
    light_app_duplicate,
    light_app_import,
    light_app_new,
    light_app_publish,
    light_app_rollback,
    light_app_save_draft,
    light_app_set_disabled,
)
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import person_has_role_over

from .light_apps import (
    DESIGN_ROLES,
    AppDetailSerializer,
    AppListApi,
    VersionSerializer,
    app_detail,
    app_for,
    require_designer,
)

REVISION_REQUIRED = OpenApiResponse(
    description="没有带上载入时的修订号（revision_required）：body 的 revision 或 If-Match 头"
)


def _owner_unit(request, unit_id: int | None) -> OrgUnit:
    """Where a new app belongs: the unit asked for if the caller designs there, else the
    highest unit where the caller is a designer or admin."""
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if unit is None or not person_has_role_over(request.user, roles=DESIGN_ROLES, unit=unit):
            raise DomainError(
                _("您不能在这个组织下建应用"),
                code="not_allowed",
                status=403,
                fields={"owner_unit": [_("不在您负责的范围内")]},
            )
        return unit
    unit = designer_unit_of(request.user)
    if unit is None:
        raise DomainError(_("只有应用设计人员可以新建应用"), code="not_allowed", status=403)
    return unit


class AppCreateInput(serializers.Serializer):
    class Meta:
        ref_name = "AppCreateInput"

    name = serializers.CharField(max_length=100)
    key = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    template = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    owner_unit = serializers.IntegerField(required=False, allow_null=True, default=None)


class AppCreateApi(APIView):
    """新建应用: `{"name", "key"?, "template"?, "owner_unit"?}`. Without a key one is made from the
    name (小型工地检查 → xiao-xing-gong-di-jian-cha); with a template its definition is the first
    draft (templates: `GET /api/app-templates/`)."""

    @extend_schema(request=AppCreateInput, responses={201: AppDetailSerializer})
    def post(self, request):
        data = AppCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        app = light_app_new(
            name=values["name"],
            key=values["key"],
            template=values["template"],
            owner_unit=_owner_unit(request, values["owner_unit"]),
            actor=request.user,
        )
        return Response(app_detail(app, request.user), status=status.HTTP_201_CREATED)


class AppsApi(AppListApi, AppCreateApi):
    """GET lists the apps; POST creates one."""


class AppDuplicateApi(APIView):
    """复制: a new app whose draft is this app's draft (`{"name"?, "key"?}`)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppDuplicateInput"

        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
        key = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)

    @extend_schema(request=InputSerializer, responses={201: AppDetailSerializer})
    def post(self, request, key: str):
        app = app_for(request, key)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copy = light_app_duplicate(
            app=app,
            owner_unit=_owner_unit(request, None),
            actor=request.user,
            **data.validated_data,
        )
        return Response(app_detail(copy, request.user), status=status.HTTP_201_CREATED)


def _revision_of(request, body_revision: int | None) -> int:
    """The revision the editor loaded: `revision` in the body or `If-Match: "N"`."""
    if body_revision is not None:
        return body_revision
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if header.isascii() and header.isdigit() and len(header) < 10:
        return int(header)
    raise DomainError(
        _("保存草稿时须带上载入时的修订号"),
        code="revision_required",
        status=428,
        fields={"revision": [_("请填写 revision，或发送 If-Match 头")]},
    )


class AppDraftApi(APIView):
    """草稿: replace the draft definition. `revision` (or `If-Match`) is the revision the editor
    loaded; if someone saved since, 409 `draft_conflict` names who and when and nothing is saved.
    A draft may have problems; the answer lists them (`problems`) and publishing refuses them."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppDraftInput"

        schema = ObjectJSONField()
        ui = ObjectJSONField(required=False, default=dict)
        flow = ObjectJSONField(required=False, default=dict)
        revision = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    @extend_schema(
        request=InputSerializer, responses={200: AppDetailSerializer, 428: REVISION_REQUIRED}
    )
    def put(self, request, key: str):
        app = app_for(request, key)
        require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        revision = _revision_of(request, values.pop("revision", None))
        app = light_app_save_draft(app=app, actor=request.user, revision=revision, **values)
        response = Response(app_detail(app, request.user))
        response["ETag"] = f'"{app.draft_revision}"'
        return response


class PublishApi(APIView):
    """发布: check the whole draft and freeze it as the next version, with a note. Problems are
    listed by pointer (400 `definition_invalid`); a draft identical to the latest version is
    refused (400 `unchanged`)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PublishInput"

        note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    @extend_schema(request=InputSerializer, responses={201: VersionSerializer})
    def post(self, request, key: str):
        app = app_for(request, key)
        require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = light_app_publish(app=app, actor=request.user, note=data.validated_data["note"])
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class RollbackApi(APIView):
    """回退: `{"version": N, "revision"?}` makes version N the draft again; publish it to make it
    current. With `revision`, refused like a stale save (409) if the draft changed since."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RollbackInput"

        version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
        revision = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    @extend_schema(request=InputSerializer, responses={200: AppDetailSerializer})
    def post(self, request, key: str):
        app = app_for(request, key)
        require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        app = light_app_rollback(
            app=app, number=values["version"], actor=request.user, revision=values.get("revision")
        )
        return Response(app_detail(app, request.user))


class _SwitchApi(APIView):
    disabled = True

    @extend_schema(request=None, responses={200: AppDetailSerializer})
    def post(self, request, key: str):
        app = app_for(request, key)
        require_designer(request, app)
        light_app_set_disabled(app=app, disabled=self.disabled, actor=request.user)
        return Response(app_detail(app, request.user))


class AppDisableApi(_SwitchApi):
    """停用: the app leaves the phones and refuses new reports (409 `app_disabled`); its versions,
    reports and work orders stay."""

    disabled = True


class AppEnableApi(_SwitchApi):
    """启用: a disabled app is offered on the phones again."""

    disabled = False


class FieldKeyApi(APIView):
    """字段标识: a key for a new field from its title (建筑名称 → jian_zhu_ming_cheng), unique
    among `taken`, the draft's keys and every published key of the app."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FieldKeyInput"

        title = serializers.CharField(max_length=200, allow_blank=True)
        taken = serializers.ListField(
            child=serializers.CharField(max_length=200),
            required=False,
            default=list,
            max_length=2000,
        )

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request, key: str):
        app = app_for(request, key)
        require_designer(request, app)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        taken = {k.rsplit(".", 1)[-1] for k in schema_field_keys(app.draft_schema)}
        taken |= {k.rsplit(".", 1)[-1] for k in published_field_keys(app)}
        taken |= set(values["taken"])
        return Response({"key": field_key_for(values["title"], taken)})


class ImportApi(APIView):
    """导入: a new app from an exported file, or from a JSON Schema (optionally with an RJSF
    uiSchema: `{"schema": …, "uiSchema": …}`). With `into` (an app key) the file replaces that
    app's draft instead. Answers the notes on what the phone cannot show and the problems that
    would stop publishing."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppImportInput"

        definition = CheckedJSONField()
        key = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
        into = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)

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
        into = None
        if values["into"]:
            into = app_for(request, values["into"])
            require_designer(request, into)
        app, notes = light_app_import(
            data=values["definition"],
            owner_unit=unit,
            key=values["key"],
            name=values["name"],
            into=into,
            actor=request.user,
        )
        detail = app_detail(app, request.user)
        return Response(
            {"key": app.key, "notes": notes, "problems": detail["problems"]},
            status=status.HTTP_201_CREATED,
        )
