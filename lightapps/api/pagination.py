"""List pagination with `limit` and `offset` checked: a bad one is `invalid_filter`, not 500."""

from django.utils.translation import gettext as _
from rest_framework.pagination import LimitOffsetPagination

from lightapps.errors import DomainError
from lightapps.paging import page_rows
from lightapps.params import MAX_ID, id_parse


class CheckedLimitOffsetPagination(LimitOffsetPagination):
    """A view may say how long its list is (`list_count()`, e.g. from counters it reads from an
    index alone) instead of a COUNT over the whole filtered queryset, and that its list is big
    (`deep_pages = True`): a page's rows are then read as lightapps.paging reads them, the ids
    from an index first, a page past the middle from the far end."""

    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        if not getattr(view, "deep_pages", False):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        self.count = self.get_count(queryset)
        self.offset = self.get_offset(request)
        return page_rows(queryset, self.offset, self.offset + self.limit, self.count)

    def get_count(self, queryset):
        counted = getattr(getattr(self, "view", None), "list_count", None)
        return counted() if counted else super().get_count(queryset)

    def get_schema_operation_parameters(self, view):
        """The bounds the OpenAPI states: `limit` from 1 (past 500 it reads as 500), `offset`
        from 0, both at most MAX_ID; anything else is `invalid_filter`."""
        low = {self.limit_query_param: 1, self.offset_query_param: 0}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bounds = {"minimum": low[parameter["name"]], "maximum": MAX_ID}
            parameter["schema"] = {**parameter["schema"], **bounds}
        return parameters

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        value = id_parse(raw)
        if not value:
            raise DomainError(
                _("筛选条件有误，请修改后再试"),
                code="invalid_filter",
                fields={"limit": [_("请填写 1 到 %d 之间的整数") % self.max_limit]},
            )
        return min(value, self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        value = id_parse(raw)
        if value is None:
            raise DomainError(
                _("筛选条件有误，请修改后再试"),
                code="invalid_filter",
                fields={"offset": [_("请填写不小于 0 的整数")]},
            )
        return value
