"""API of 考核统计: a unit's assessment figures over a period, its ranking and its trend."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from lightapps.workorders.figures_report import (
    figures_query_parse,
    figures_report,
    figures_report_json,
)

PARAMETERS = [
    OpenApiParameter(
        "unit", OpenApiTypes.INT, description="单位 id (default: the caller's top unit)"
    ),
    OpenApiParameter(
        "since", OpenApiTypes.DATE, description="first day (default: this month's 1st)"
    ),
    OpenApiParameter(
        "until", OpenApiTypes.DATE, description="last day, inclusive (default: today)"
    ),
    OpenApiParameter("app", OpenApiTypes.STR, description="one light app's key"),
    OpenApiParameter("by", OpenApiTypes.STR, enum=["week", "month"], description="trend buckets"),
]


class FiguresApi(APIView):
    """考核统计: reports, opened, closed, 按期处置率, 结案率, 返工率, overdue now, average time
    per step and the score (按期处置率×60 + 结案率×30 + (1 − 返工率)×10, each part given) of
    a unit; the same for the streets, departments or grids below it, best score first; the
    trend per week or month; and for each number the console list of the orders behind it.
    Supervisors, dispatchers and admins only (403); a unit out of reach is 404 `unit_not_found`;
    a bad value is 400 `invalid_filter` naming each field."""

    @extend_schema(operation_id="figures_read", parameters=PARAMETERS, responses={200: dict})
    def get(self, request):
        query = figures_query_parse(person=request.user, params=request.query_params)
        return Response(figures_report_json(figures_report(query=query)))
