"""Pages of big ordered lists that stay cheap at any depth.

`page_rows` reads a page's ids first — a query the database answers from a covering index
alone, skipping the rows before the page inside the index — then those rows whole, by id (a
"deferred join"); a page past the middle is read from the other end, in the reverse order, so
the last page costs what the first does. `CountedPaginator` is a Paginator that reads its pages
so and is told its count: a list page whose total is already known (the console's state counters
add up to it) does not ask the database a second time.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet


def page_rows(queryset: QuerySet, bottom: int, top: int, count: int) -> list:
    """Rows [bottom, top) of an ordered queryset holding `count` rows."""
    top = min(top, count)
    if bottom >= top:
        return []
    ids = queryset.values_list("pk", flat=True)
    if bottom > count - top:  # nearer the end: from there, in the reverse order
        wanted = list(ids.reverse()[count - top : count - bottom])[::-1]
    else:
        wanted = list(ids[bottom:top])
    found = {row.pk: row for row in queryset.order_by().filter(pk__in=wanted)}
    return [found[pk] for pk in wanted if pk in found]


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = page_rows(self.object_list, bottom, bottom + self.per_page, self.count)
        return self._get_page(rows, number, self)
