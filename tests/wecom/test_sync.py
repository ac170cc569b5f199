"""Contact sync: WeCom departments → org units, users → people; idempotent, keeps local data."""

from io import StringIO

from django.core.management import call_command

from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.wecom.models import WeComDepartment
from lightapps.wecom.services import contacts_sync
from lightapps.wecom.tasks import sync_contacts


def _tree_snapshot():
    units = list(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "path"))
    people = list(Person.objects.order_by("username").values_list("username", "name", "is_active"))
    members = list(
        Membership.objects.order_by("person__username", "org_unit__code", "role").values_list(
            "person__username", "org_unit__code", "role"
        )
    )
    return units, people, members


def test_sync_twice_gives_the_same_tree(wecom_contacts, tree, people):
    # given: WeCom has the street (linked), a new grid under it, and three users
    wecom_contacts.add_department(3, "江宁路第9网格", 2)
    wecom_contacts.add_user("zhangsan", "张三", [3])
    wecom_contacts.add_user("lisi", "李四", [2, 3], status=2)
    wecom_contacts.add_user("handler", "陈处置", [2])

    # when
    first = contacts_sync()
    after_first = _tree_snapshot()
    second = contacts_sync()

    # then: the grid is made under the street; people and memberships as WeCom says
    grid = OrgUnit.objects.get(code="wecom-3")
    assert (grid.name, grid.kind, grid.parent_id) == ("江宁路第9网格", "grid", tree["jny"].pk)
    assert first.units_created == ["江宁路第9网格"]
    assert sorted(first.people_created) == ["lisi", "zhangsan"]
    assert first.people_deactivated == ["lisi"]
    assert sorted(first.memberships_granted) == [
        "handler@江宁路街道",
        "lisi@江宁路第9网格",
        "lisi@江宁路街道",
        "zhangsan@江宁路第9网格",
    ]
    # and the second run changes nothing
    assert _tree_snapshot() == after_first
    assert not second.changed
    assert WeComDepartment.objects.count() == 3


def test_sync_never_deletes_local_data_it_does_not_own(wecom_contacts, tree, people):
    # given: a first sync; then WeCom moves 张三 out of the grid and drops the grid
    wecom_contacts.add_department(3, "江宁路第9网格", 2)
    wecom_contacts.add_user("zhangsan", "张三", [3])
    wecom_contacts.add_user("handler", "陈处置", [2])
    contacts_sync()
    wecom_contacts.users["zhangsan"]["department"] = [2]
    wecom_contacts.departments = [d for d in wecom_contacts.departments if d["id"] != 3]
    del wecom_contacts.users["handler"]

    # when
    report = contacts_sync()

    # then: the synced membership moved; units, people and hand-given roles stay
    zhangsan = Person.objects.get(wecom_userid="zhangsan")
    assert list(
        Membership.objects.filter(person=zhangsan).values_list("org_unit__code", "role")
    ) == [("T-JNY", Role.REPORTER)]
    assert report.memberships_revoked == ["zhangsan@江宁路第9网格"]
    assert OrgUnit.objects.filter(code="wecom-3").exists()
    assert report.departments_gone == ["江宁路第9网格"]
    handler = Person.objects.get(pk=people["handler"].pk)
    assert handler.is_active
    assert Membership.objects.filter(person=handler, role=Role.HANDLER).exists()
    assert "handler" in report.people_gone
    assert OrgUnit.objects.filter(pk=tree["smr"].pk).exists()


def test_a_department_is_adopted_by_its_code(wecom, tree):
    # given: the street's code set to its WeCom department id
    OrgUnit.objects.filter(pk=tree["smr"].pk).update(code="7")
    wecom.add_department(7, "石门二路（企业微信）", 0)

    # when
    report = contacts_sync()

    # then: linked, not created; the local name is kept
    link = WeComDepartment.objects.get(department_id=7)
    assert (link.org_unit_id, link.created_by_sync) == (tree["smr"].pk, False)
    assert report.units_linked == ["石门二路街道"]
    assert OrgUnit.objects.get(pk=tree["smr"].pk).name == "石门二路街道"


def test_the_command_prints_what_changed(wecom_contacts, tree):
    # given
    wecom_contacts.add_user("zhangsan", "张三", [2])
    out = StringIO()

    # when
    call_command("sync_wecom", stdout=out)

    # then
    text = out.getvalue()
    assert "新建人员: 1  (zhangsan)" in text
    assert "新增任职: 1  (zhangsan@江宁路街道)" in text
    assert text.strip().endswith("有变化")


def test_the_periodic_task_does_the_same_and_nothing_without_wecom(wecom_contacts, settings):
    # given
    wecom_contacts.add_user("zhangsan", "张三", [2])

    # when
    lines = sync_contacts.delay().get()

    # then
    assert "新建人员: 1  (zhangsan)" in lines
    settings.WECOM_CORP_ID = ""
    assert sync_contacts.delay().get() == []


def test_list_id_is_read_page_by_page(wecom_contacts, tree):
    # given: more users than one page
    for i in range(5):
        wecom_contacts.add_user(f"u{i}", f"用户{i}", [2])
    original = wecom_contacts.api_user_list_id
    wecom_contacts.api_user_list_id = lambda params, body: original(params, {**body, "limit": 2})

    # when
    report = contacts_sync()

    # then
    assert sorted(report.people_created) == ["u0", "u1", "u2", "u3", "u4"]
    assert len(wecom_contacts.calls("user/list_id")) == 3


def test_contact_sync_is_on_the_beat_schedule(settings):
    from celery import current_app

    entry = settings.CELERY_BEAT_SCHEDULE["wecom-sync-contacts"]
    assert entry["task"] in current_app.tasks
