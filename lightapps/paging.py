"""A Paginator told its count: a list page whose total is already known (the console's state
counters add up to it) does not ask the database for it a second time."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count
