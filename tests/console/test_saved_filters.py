"""我的筛选: a person keeps the list's query under a name and opens it again in one click; theirs
alone, checked like the list checks it, read with the person's scope of the day."""

import pytest

from lightapps.console.models import SavedFilter
from lightapps.console.saved_filters import SAVED_FILTERS_MAX, list_query


@pytest.fixture
def signed_in(client, people):
    client.force_login(people["supervisor"])
    return client


def _save(client, name, query):
    return client.post("/console/filters/", {"name": name, "query": query}, follow=True)


def _flash(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_save_then_open_from_the_list_in_one_click(signed_in, people, make_order):
    order = make_order(people["owner"])
    saved = _save(signed_in, "  超期的 江宁路 ", "due=overdue&page=3&q=江宁路&bogus=1")

    kept = SavedFilter.objects.get(person=people["supervisor"])
    assert kept.name == "超期的 江宁路"
    assert kept.query == list_query("q=江宁路&due=overdue")  # known keys, no page, fixed order
    assert saved.redirect_chain[-1][0] == f"/console/?{kept.query}"
    assert "已保存筛选“超期的 江宁路”" in _flash(saved)
    listed = signed_in.get("/console/")
    chips = listed.context["saved_filters"]
    assert [(c["name"], c["current"]) for c in chips] == [("超期的 江宁路", False)]
    assert f'href="/console/?{kept.query}"'.replace("&", "&amp;") in listed.content.decode()
    opened = signed_in.get(f"/console/?{kept.query}")
    assert opened.context["saved_filters"][0]["current"] is True
    assert order.number not in [o.number for o in opened.context["rows"]]  # not overdue


def test_the_same_name_takes_the_new_query(signed_in, people):
    _save(signed_in, "我的", "state=filed")
    _save(signed_in, "我的", "state=dispatched")

    assert list(SavedFilter.objects.values_list("name", "query")) == [("我的", "state=dispatched")]


@pytest.mark.parametrize(
    ("name", "query", "says"),
    [
        ("", "state=filed", "请给这个筛选起个名字"),
        ("名" * 21, "state=filed", "名称不能超过 20 个字"),
        ("坏\x07名", "state=filed", "名称含有无法显示的字符"),
        ("空的", "page=2&bogus=1", "请先选择筛选条件，再保存"),
        ("错的", "state=nope&due=later", "没有这个状态：nope"),
        ("长的", "q=" + "长" * 2000, "筛选条件过长或含有无法识别的字符"),
        ("坏码", "q=\x1b[31m", "筛选条件过长或含有无法识别的字符"),
    ],
)
def test_bad_names_and_queries_are_refused_and_said(signed_in, people, name, query, says):
    response = _save(signed_in, name, query)

    # back on the list (which itself names a bad query, 400), the reason said above it
    assert response.redirect_chain and response.status_code in (200, 400)
    assert any(says in m for m in _flash(response)), _flash(response)
    assert not SavedFilter.objects.exists()


def test_at_most_so_many_each_and_the_next_is_refused(signed_in, people):
    SavedFilter.objects.bulk_create(
        SavedFilter(person=people["supervisor"], name=f"f{i}", query=f"q={i}")
        for i in range(SAVED_FILTERS_MAX)
    )
    response = _save(signed_in, "再一个", "state=filed")

    assert "最多保存 20 个筛选，请先删除不用的" in _flash(response)
    assert SavedFilter.objects.count() == SAVED_FILTERS_MAX
    # another person's own quota is theirs
    signed_in.force_login(people["dispatcher"])
    _save(signed_in, "再一个", "state=filed")
    assert SavedFilter.objects.filter(person=people["dispatcher"]).count() == 1


def test_each_sees_and_deletes_only_their_own(client, people):
    mine = SavedFilter.objects.create(person=people["supervisor"], name="我的", query="state=filed")
    theirs = SavedFilter.objects.create(
        person=people["smr_supervisor"], name="他的", query="state=filed"
    )
    client.force_login(people["smr_supervisor"])

    listed = client.get("/console/")
    refused = client.post(f"/console/filters/{mine.pk}/delete/")
    gone = client.post(f"/console/filters/{theirs.pk}/delete/", {"query": "state=filed"})

    assert [c["name"] for c in listed.context["saved_filters"]] == ["他的"]
    assert "我的筛选" in listed.content.decode()
    assert ">我的</a>" not in listed.content.decode()
    assert refused.status_code == 404
    assert SavedFilter.objects.filter(pk=mine.pk).exists()
    assert gone.status_code == 302 and gone["Location"] == "/console/?state=filed"
    assert not SavedFilter.objects.filter(pk=theirs.pk).exists()


def test_a_saved_filter_reads_with_todays_scope(client, people, make_order):
    """A filter naming a unit of another street saves (it is only a query) and shows nothing."""
    order = make_order(people["owner"])
    SavedFilter.objects.create(
        person=people["smr_supervisor"], name="江宁路", query=f"unit={order.org_unit_id}"
    )
    client.force_login(people["smr_supervisor"])

    opened = client.get(f"/console/?unit={order.org_unit_id}")

    assert opened.context["rows"] == []


def test_only_post_and_only_a_console_role(client, people):
    client.force_login(people["supervisor"])
    assert client.get("/console/filters/").status_code == 405
    client.force_login(people["owner"])
    assert (
        client.post("/console/filters/", {"name": "x", "query": "state=filed"}).status_code == 403
    )
    assert not SavedFilter.objects.exists()


def test_the_list_page_stays_in_constant_queries(
    signed_in, people, make_order, django_assert_max_num_queries
):
    for i in range(5):
        SavedFilter.objects.create(person=people["supervisor"], name=f"f{i}", query=f"q={i}")
    make_order(people["owner"])
    with django_assert_max_num_queries(14):
        signed_in.get("/console/")
