"""API of work orders: list and detail in the caller's scope, and one step through the service."""

from collections.abc import Mapping

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.definitions.flows import action_label, flow_template, state_label
from lightapps.errors import DomainError
from lightapps.params import id_parse
from lightapps.submissions.masking import answers_masked, answers_reveal, masked_names
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.selectors import (
    events_of,
    work_order_detail,
    work_order_duplicate_candidates,
    work_order_filters_parse,
    work_order_list,
    work_order_state_counts,
    work_orders_with_flow,
)
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.steps import (
    MAX_STEP_PHOTOS,
    dispatch_targets,
    step_actions,
    step_input_parse,
)

from .submissions import REVEAL_PARAMETER


class WorkOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    app = serializers.CharField(source="app.key")
    state = serializers.CharField()
    version = serializers.IntegerField(
        help_text="One more with every step; send it back as `expected_version`."
    )
    state_label = serializers.SerializerMethodField()
    org_unit = serializers.IntegerField(source="org_unit_id")
    assignee_unit = serializers.IntegerField(source="assignee_unit_id", allow_null=True)
    priority = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    time_left = serializers.SerializerMethodField()

    def get_state_label(self, order) -> str:
        return state_label(flow_template(order.submission.version.flow), order.state)

    def get_time_left(self, order) -> dict | None:
        return work_order_time_left(order)


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True)
    note = serializers.CharField()
    assignee_unit = serializers.IntegerField(source="assignee_unit_id", allow_null=True)
    data = serializers.JSONField()
    due_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_action_label(self, event) -> str:
        return action_label(self.context.get("template"), event.action)


class WorkOrderListApi(generics.ListAPIView):
    """工单: the orders the caller may see; filter by state, app key and org unit (with below)."""

    serializer_class = WorkOrderSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, description="a state of the order's flow"),
            OpenApiParameter(
                "due",
                str,
                enum=["overdue", "due_soon"],
                description="open orders past their deadline, or marked 即将超时",
            ),
            OpenApiParameter("app", str, description="light app key"),
            OpenApiParameter("org_unit", int, description="org unit id; includes units below"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    deep_pages = True  # a million orders: lightapps.paging

    def _filters(self) -> dict:
        if not hasattr(self, "_parsed"):
            params = self.request.query_params
            raw_unit = params.get("org_unit")
            org_unit = id_parse(raw_unit)
            if raw_unit and org_unit is None:
                raise DomainError(
                    _("筛选条件有误，请修改后再试"),
                    code="invalid_filter",
                    fields={"org_unit": [_("请填写有效的区域编号")]},
                )
            self._parsed = {
                **work_order_filters_parse(params),
                "app": params.get("app", ""),
                "org_unit": org_unit,
            }
        return self._parsed

    def get_queryset(self):
        return work_orders_with_flow(work_order_list(person=self.request.user, **self._filters()))

    def list_count(self) -> int:
        """The list's length from the per-state counts (index-only), not a COUNT of the rows."""
        filters = {k: v for k, v in self._filters().items() if k != "sort"}
        counts = work_order_state_counts(person=self.request.user, **filters)
        return sum(row["n"] for row in counts.values())


def _order_for(request, pk: int):
    order = work_order_detail(person=request.user, pk=pk)
    if order is None:
        raise Http404
    return order


class WorkOrderDetailApi(APIView):
    class OutputSerializer(WorkOrderSerializer):
        class Meta:
            ref_name = "WorkOrderDetailOutput"

        data = serializers.SerializerMethodField()
        masked = serializers.SerializerMethodField()
        submission = serializers.UUIDField(source="submission_id")
        events = serializers.SerializerMethodField()
        actions = serializers.SerializerMethodField()
        duplicates = serializers.SerializerMethodField()
        dispatch_targets = serializers.SerializerMethodField()

        def get_data(self, order) -> dict:
            """The report's answers, personal data masked except the revealed fields."""
            version = order.submission.version
            reveal = self.context.get("reveal", frozenset())
            return answers_masked(version.schema, version.ui, order.submission.data, reveal=reveal)

        def get_masked(self, order) -> list[str]:
            """The fields of `data` that are masked (reveal them with `?reveal=`)."""
            version = order.submission.version
            reveal = self.context.get("reveal", frozenset())
            return masked_names(version.schema, version.ui, reveal=reveal)

        def get_events(self, order) -> list[dict]:
            return EventSerializer(events_of(order), many=True, context=self.context).data

        def get_actions(self, order) -> list[dict]:
            """The steps the caller may take now (the same list the phone and console show)."""
            keys = ("action", "label", "to", "requires", "photos", "backward")
            return [{k: a[k] for k in keys} for a in self._steps(order)]

        def _steps(self, order) -> list[dict]:
            cache = self.context.setdefault("steps", {})
            if order.pk not in cache:
                person = self.context["request"].user
                cache[order.pk] = step_actions(order=order, person=person)
            return cache[order.pk]

        def get_duplicates(self, order) -> list[dict]:
            """重复上报候选: older open orders of the same app nearby (merge with action=merge)."""
            person = self.context["request"].user
            return [
                {"id": c["order"].pk, "number": c["order"].number, "title": c["order"].title,
                 "state": c["order"].state, "distance_m": c["distance_m"]}
                for c in work_order_duplicate_candidates(order=order, person=person)
            ]  # fmt: skip

        def get_dispatch_targets(self, order) -> list[dict]:
            if not any(a["needs_unit"] for a in self._steps(order)):
                return []
            return [
                {"id": u.pk, "name": u.name, "kind": u.kind} for u in dispatch_targets(order=order)
            ]

    @extend_schema(responses=OutputSerializer, parameters=[REVEAL_PARAMETER])
    def get(self, request, pk: int):
        order = _order_for(request, pk)
        reveal = answers_reveal(
            person=request.user,
            submission=order.submission,
            requested=request.query_params.get("reveal"),
        )
        template = flow_template(order.submission.version.flow)
        context = {"request": request, "template": template, "reveal": reveal.fields}
        return Response(self.OutputSerializer(order, context=context).data)


class WorkOrderActionApi(APIView):
    """操作: take one step of the order's flow; refused when role, place or state do not allow it."""

    class InputSerializer(serializers.Serializer):
        """The body's shape, for the OpenAPI document; step_input_parse reads it."""

        class Meta:
            ref_name = "WorkOrderActionInput"

        action = serializers.CharField(max_length=30)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
        expected_state = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text="The state you saw; 409 `stale_state` when the order has moved on.",
        )
        expected_version = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=1,
            help_text=(
                "The `version` you saw; 409 `stale_state` when another step came first. Needed "
                "with `expected_state` for steps that keep the state (from == to, e.g. reassign, "
                "keep_separate): without it they answer 400 `version_required`."
            ),
        )
        target_unit = serializers.IntegerField(required=False, allow_null=True, default=None)
        extension = serializers.DictField(required=False, allow_null=True, default=None)
        target_order = serializers.IntegerField(required=False, allow_null=True, default=None)
        photos = serializers.ListField(
            child=serializers.CharField(max_length=40),
            required=False,
            default=list,
            max_length=MAX_STEP_PHOTOS,
        )

    @extend_schema(request=InputSerializer, responses=WorkOrderDetailApi.OutputSerializer)
    def post(self, request, pk: int):
        order = _order_for(request, pk)
        if not isinstance(request.data, Mapping):
            raise DomainError(_("请求内容必须是 JSON 对象"), code="invalid")
        work_order_transition(order=order, actor=request.user, **step_input_parse(request.data))
        order = _order_for(request, pk)
        template = flow_template(order.submission.version.flow)
        context = {"request": request, "template": template}
        return Response(WorkOrderDetailApi.OutputSerializer(order, context=context).data)
