"""首页的列表 for three people: 待我处理 holds exactly the orders whose page offers that person a
step now (nearest deadline first), 我的上报 exactly what they sent, 本辖区 only for those whose
role sees more than their own reports."""

import re

from tests.workorders.conftest import take


def _panel(page: str, key: str) -> str:
    found = re.search(
        rf'<div role="tabpanel" id="list-{key}".*?(?=<div role="tabpanel"|</section>)', page, re.S
    )
    return found.group(0) if found else ""


def _orders_in(panel: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-order="(\d+)"', panel)]


def test_each_person_sees_their_own_lists(client, people, make_order):
    # given: two reports of the owner, one of a colleague; the first filed and dispatched
    first, second = make_order(people["owner"]), make_order(people["owner"])
    colleagues = make_order(people["colleague"])
    for action in ("file", "dispatch"):
        first = take(first, action, people["dispatcher"])

    def home(who):
        client.force_login(people[who])
        return client.get("/m/").content.decode()

    owner, handler, dispatcher = home("owner"), home("handler"), home("dispatcher")

    # then: the grid worker acts on none, and 我的上报 is theirs only
    assert _orders_in(_panel(owner, "todo")) == []
    mine = _panel(owner, "mine")
    assert mine.count("data-report-id=") == 2
    assert first.number in mine and second.number in mine and colleagues.number not in mine
    assert 'id="tab-area"' not in owner
    assert 'data-first="mine"' in owner
    # the handler: the dispatched order (处置), not the ones waiting for 立案
    assert _orders_in(_panel(handler, "todo")) == [first.pk]
    assert 'data-first="todo"' in handler
    assert 'id="tab-area"' in handler
    assert set(_orders_in(_panel(handler, "area"))) == {first.pk, second.pk, colleagues.pk}
    # the dispatcher: the two waiting for 立案, not the one already with the handler
    assert sorted(_orders_in(_panel(dispatcher, "todo"))) == sorted([second.pk, colleagues.pk])
    assert re.search(r'id="tab-todo"[^>]*>待我处理 <span class="m-tab__count">2</span>', dispatcher)


def test_the_lists_of_another_street_are_empty(client, people, make_order):
    make_order(people["owner"])
    client.force_login(people["smr_supervisor"])

    page = client.get("/m/").content.decode()

    assert _orders_in(_panel(page, "todo")) == []
    assert _orders_in(_panel(page, "area")) == []
