"""API of reports: submit (idempotent by the phone's id), list, export as Excel; photo upload."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.api.parsers import CheckedFormParser, CheckedJSONField, CheckedMultiPartParser
from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.selectors import (
    published_light_apps_visible_to,
    version_definitions,
    versions_deferred,
)
from lightapps.errors import DomainError
from lightapps.submissions.data import (
    XLSX_TYPE,
    data_filters_parse,
    export_filename,
    may_read_data,
    submissions_export_file,
)
from lightapps.submissions.masking import answers_masked, answers_reveal, masked_names
from lightapps.submissions.models import Submission
from lightapps.submissions.selectors import (
    light_apps_with_data_visible_to,
    submissions_visible_to,
)
from lightapps.submissions.services import attachment_create
from lightapps.workorders.opening import report_submit

REVEAL_PARAMETER = OpenApiParameter(
    "reveal",
    str,
    description=(
        "查看明文: comma-separated names of masked fields to show in clear (`owner_id`, "
        "`owner.mobile`, `witnesses[].id_number`), or `*` for all. Resident IDs, mobile numbers "
        "and locations are masked by default; only a supervisor, dispatcher or admin over the "
        "report's place may reveal, and each reveal writes an audit row (`data.reveal`). Unknown "
        "names: 400 `invalid`; not allowed: 403 `not_allowed` (audited as denied)."
    ),
)


class SubmissionSerializer(serializers.Serializer):
    """A submission with its answers masked (see submissions.masking), except the fields the
    caller revealed (context `reveal`); `masked` names the fields that stay masked."""

    id = serializers.UUIDField()
    version = serializers.IntegerField(source="version.number")
    reporter = serializers.CharField(source="reporter.username")
    org_unit = serializers.IntegerField(source="org_unit_id")
    data = serializers.SerializerMethodField()
    masked = serializers.SerializerMethodField()
    device_time = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField()
    work_order = serializers.SerializerMethodField()

    def get_work_order(self, submission) -> dict | None:
        order = getattr(submission, "work_order", None)
        return {"id": order.pk, "number": order.number} if order else None

    def get_data(self, submission) -> dict:
        version = submission.version
        reveal = self.context.get("reveal", frozenset())
        return answers_masked(version.schema, version.ui, submission.data, reveal=reveal)

    def get_masked(self, submission) -> list[str]:
        version = submission.version
        reveal = self.context.get("reveal", frozenset())
        return masked_names(version.schema, version.ui, reveal=reveal)


class SubmissionApi(generics.ListAPIView):
    """上报: list the app's submissions the caller may see (personal data masked; reveal on
    one submission at a time, below); POST one (idempotent by its id)."""

    serializer_class = SubmissionSerializer

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SubmissionInput"

        id = serializers.UUIDField()
        version = serializers.IntegerField(min_value=1)
        data = CheckedJSONField()
        device_time = serializers.DateTimeField(required=False, allow_null=True)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SubmissionOutput"

        id = serializers.UUIDField()
        created = serializers.BooleanField()
        work_order = serializers.DictField(allow_null=True)

    def get(self, request, *args, **kwargs):
        if request.query_params.get("reveal"):
            raise DomainError(
                _("列表不提供明文，请在单条上报上查看"),
                code="invalid",
                fields={"reveal": [_("只能在单条上报或工单详情上查看明文")]},
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        app = get_object_or_404(
            light_apps_with_data_visible_to(self.request.user), key=self.kwargs["key"]
        )
        return (
            submissions_visible_to(self.request.user)
            .filter(app=app)
            .select_related("version", "reporter", "work_order")
            .order_by("-received_at")
        )

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer, 200: OutputSerializer}
    )
    def post(self, request, key: str):
        apps = published_light_apps_visible_to(request.user)
        payload = self.InputSerializer(data=request.data)
        if not payload.is_valid():
            get_object_or_404(apps, key=key)  # an app out of sight: 404 before any 400
            raise ValidationError(payload.errors)
        values = payload.validated_data
        # The app and the version asked for in one query; the app alone only when that fails.
        version = versions_deferred(
            LightAppVersion.objects.filter(
                app__in=apps.filter(key=key).values("pk"), number=values["version"]
            )
        ).first()
        if version is None:
            get_object_or_404(apps, key=key)
            raise DomainError(
                _("该应用没有第 %d 版，请刷新页面") % values["version"],
                code="unknown_version",
                fields={"version": [_("版本不存在")]},
            )
        if not isinstance(values["data"], dict):
            raise DomainError(
                _("提交的数据必须是 JSON 对象"),
                code="invalid_submission",
                fields={"data": [_("提交的数据必须是 JSON 对象")]},
            )
        submission, created = report_submit(
            submission_id=values["id"],
            version=version_definitions(version),
            reporter=request.user,
            data=values["data"],
            device_time=values.get("device_time"),
        )
        order = getattr(submission, "work_order", None)
        body = {
            "id": submission.pk,
            "created": created,
            "work_order": {"id": order.pk, "number": order.number} if order else None,
        }
        return Response(
            self.OutputSerializer(body).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class SubmissionDetailApi(APIView):
    """上报详情: one submission the caller may see, personal data masked unless revealed."""

    @extend_schema(responses=SubmissionSerializer, parameters=[REVEAL_PARAMETER])
    def get(self, request, key: str, pk):
        app = get_object_or_404(light_apps_with_data_visible_to(request.user), key=key)
        submission = get_object_or_404(
            submissions_visible_to(request.user)
            .filter(app=app)
            .select_related(
                "version",
                "reporter",
                "org_unit",
                "work_order__org_unit",
                "work_order__assignee_unit",
            ),
            pk=pk,
        )
        reveal = answers_reveal(
            person=request.user, submission=submission, requested=request.query_params.get("reveal")
        )
        context = {"request": request, "reveal": reveal.fields}
        return Response(SubmissionSerializer(submission, context=context).data)


class AttachmentUploadApi(APIView):
    """附件: upload one photo or document (multipart `file`); sniffed, checked, photos re-encoded."""

    parser_classes = [CheckedMultiPartParser, CheckedFormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AttachmentUploadInput"

        file = serializers.FileField()

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AttachmentUploadOutput"

        id = serializers.UUIDField()
        url = serializers.CharField()
        width = serializers.IntegerField()
        height = serializers.IntegerField()
        size = serializers.IntegerField()

    @extend_schema(
        request={"multipart/form-data": InputSerializer}, responses={201: OutputSerializer}
    )
    def post(self, request):
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attachment = attachment_create(uploader=request.user, upload=payload.validated_data["file"])
        body = {
            "id": attachment.pk,
            "url": f"/attachments/{attachment.pk}/",
            "width": attachment.width,
            "height": attachment.height,
            "size": attachment.size,
        }
        return Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)


class SubmissionExportApi(APIView):
    """导出上报数据: the app's submissions the caller may see as one .xlsx workbook.

    Columns are the union of all versions (removed fields keep theirs); each repeated group is
    its own sheet. Filters: `since`, `until` (YYYY-MM-DD, inclusive, Asia/Shanghai), `unit`
    (org unit id, with everything under it), `version` (N).
    """

    def perform_content_negotiation(self, request, force=False):
        # The workbook is a plain file response; a client asking for xlsx still gets errors as
        # JSON rather than 406.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="apps_submissions_export",
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="from this day (inclusive)"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="to this day (inclusive)"),
            OpenApiParameter("unit", OpenApiTypes.INT, description="org unit id, with its subtree"),
            OpenApiParameter("version", OpenApiTypes.INT, description="only this version"),
        ],
    )
    def get(self, request, key: str):
        app = get_object_or_404(light_apps_with_data_visible_to(request.user), key=key)
        if not may_read_data(request.user):
            raise DomainError(
                _("只有督办、派遣和处置人员可以导出上报数据"), code="not_allowed", status=403
            )
        filters = data_filters_parse(person=request.user, app=app, params=request.query_params)
        out = submissions_export_file(
            person=request.user,
            app=app,
            filters=filters,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return FileResponse(
            out, as_attachment=True, filename=export_filename(app.name), content_type=XLSX_TYPE
        )
