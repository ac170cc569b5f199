"""我的筛选: a person names the work-order list's current query and opens it again in one click.

Kept per person (SavedFilter), at most SAVED_FILTERS_MAX each; a name used again takes the new
query. What is kept is the query alone, normalised (known list parameters, in a fixed order, no
page), and checked by the list's own parser before it is kept: a saved filter is never one the
list would refuse. Scope is not kept: opening it reads the list with the person's scope of now.
"""

import re

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from lightapps.errors import DomainError
from lightapps.orgs.models import Person
from lightapps.workorders.selectors import DATE_FILTERS, work_order_filters_parse

from .models import SavedFilter

SAVED_FILTERS_MAX = 20
NAME_MAX = 20
QUERY_MAX = 1000
# The list's parameters, in the order a saved query is written.
LIST_PARAMS = (
    "q", "state", "due", "app", "unit", "priority", "assignee", "reporter", "under", "step",
    "outcome", *DATE_FILTERS, "sort",
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def list_query(params) -> str:
    """The list parameters of `params` (a QueryDict or a query string), normalised."""
    if isinstance(params, str):
        params = QueryDict(params)
    out = QueryDict(mutable=True)
    for key in LIST_PARAMS:
        value = (params.get(key) or "").strip()
        if value:
            out[key] = value
    return out.urlencode()


def list_url(raw_query: str) -> str:
    """The work-order list under a posted query (normalised; too long a one: the bare list)."""
    query = list_query(raw_query) if len(raw_query or "") <= QUERY_MAX else ""
    url = reverse("console:work_orders")
    return f"{url}?{query}" if query else url


def saved_filters_of(person: Person) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(person=person).order_by("name"))


def saved_filter_save(*, person: Person, name: str, query: str) -> SavedFilter:
    """Keep `query` under `name` for the person (the same name: replaced); DomainError if not."""
    name = " ".join(str(name or "").split())
    fields = {}
    if not name:
        fields["name"] = [_("请给这个筛选起个名字")]
    elif len(name) > NAME_MAX:
        fields["name"] = [_("名称不能超过 %d 个字") % NAME_MAX]
    elif _CONTROL.search(name):
        fields["name"] = [_("名称含有无法显示的字符")]
    raw = str(query or "")
    normal = list_query(raw) if len(raw) <= QUERY_MAX and not _CONTROL.search(raw) else None
    if normal is None or len(normal) > QUERY_MAX:
        fields["query"] = [_("筛选条件过长或含有无法识别的字符")]
    elif not normal:
        fields["query"] = [_("请先选择筛选条件，再保存")]
    else:
        try:
            work_order_filters_parse(QueryDict(normal))
        except DomainError as exc:
            fields["query"] = [_("当前筛选条件有误，不能保存")]
            fields.update(exc.fields or {})
    if fields:
        raise DomainError(_("未能保存筛选"), code="invalid_saved_filter", fields=fields)
    with transaction.atomic():
        # One person's rows, locked: two tabs saving the 21st at once cannot both pass the count.
        mine = list(SavedFilter.objects.select_for_update().filter(person=person))
        same = next((f for f in mine if f.name == name), None)
        if same is not None:
            same.query = normal
            same.save(update_fields=["query"])
            return same
        if len(mine) >= SAVED_FILTERS_MAX:
            raise DomainError(
                _("最多保存 %d 个筛选，请先删除不用的") % SAVED_FILTERS_MAX,
                code="too_many_saved_filters",
            )
        return SavedFilter.objects.create(person=person, name=name, query=normal)


def saved_filter_delete(*, person: Person, pk: int) -> SavedFilter | None:
    """Delete one of the person's own saved filters; None when there is no such one of theirs."""
    found = SavedFilter.objects.filter(person=person, pk=pk).first()
    if found is not None:
        found.delete()
    return found
