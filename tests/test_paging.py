"""Deep pages read ids first and, past the middle, from the far end (lightapps.paging): every
page must hold what slicing the list holds, ties in the sort included."""

import pytest

from lightapps.orgs.models import OrgUnit
from lightapps.paging import CountedPaginator, page_rows


@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 7, 8])
def test_every_page_from_either_end_is_the_slice_of_the_list(tree, per_page):
    # given units sorted by kind (ties: two streets, three grids), then id
    units = OrgUnit.objects.order_by("-kind", "pk")
    everything = list(units)
    count = len(everything)
    # when / then: every window, near the start and near the end
    for bottom in range(count + 1):
        top = bottom + per_page
        assert page_rows(units, bottom, top, count) == everything[bottom:top], (bottom, top)


def test_a_paginator_told_its_count_asks_no_count_and_pages_the_same(
    tree, django_assert_num_queries
):
    units = OrgUnit.objects.order_by("name", "pk")
    everything = list(units)
    paginator = CountedPaginator(units, 3, count=len(everything))
    pages = []
    for number in paginator.page_range:
        with django_assert_num_queries(2):  # the page's ids, then its rows: no COUNT
            pages.append(list(paginator.page(number).object_list))
    assert [u for page in pages for u in page] == everything
    assert paginator.get_page(999).number == paginator.num_pages  # past the end: the last


def test_nothing_past_the_end_and_nothing_asked(tree, django_assert_num_queries):
    units = OrgUnit.objects.order_by("pk")
    with django_assert_num_queries(0):
        assert page_rows(units, 7, 10, 7) == []
        assert page_rows(units, 0, 50, 0) == []


def test_a_sort_with_nulls_first_and_last_reads_the_same_backwards(make_order, people):
    # given orders sorted by 时限 (closed last, no deadline last: NULLS FIRST / LAST), with ties
    from datetime import timedelta

    from django.utils import timezone

    from lightapps.workorders.models import WorkOrder
    from lightapps.workorders.selectors import SORTS

    orders = [make_order(people["owner"]) for _ in range(6)]
    now = timezone.now()
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders[:2]]).update(due_at=None)
    WorkOrder.objects.filter(pk=orders[2].pk).update(closed_at=now, state="closed")
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders[3:]]).update(due_at=now + timedelta(1))
    listed = WorkOrder.objects.order_by(*SORTS["due"])
    everything = list(listed)
    # when / then
    for bottom in range(len(everything) + 1):
        assert page_rows(listed, bottom, bottom + 2, 6) == everything[bottom : bottom + 2]
