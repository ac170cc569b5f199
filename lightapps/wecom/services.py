"""WeCom writes: OAuth login, people and departments from the contacts, callback events.

Departments map to org units through `WeComDepartment` rows. A department without one is linked
to the org unit whose `code` is the department id (so an existing tree can be adopted by setting
codes, or by adding the link in the admin); otherwise the sync creates a unit with code
`wecom-<id>` under its parent's unit. People are found by `wecom_userid`. The sync grants a
`reporter` membership (WECOM_SYNC_ROLE) at each department's unit and records it as its own
(`SyncedMembership`): it only ever revokes memberships it granted, never deletes units or
people, and deactivates (not deletes) people WeCom reports disabled or gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpy.exceptions import WeChatClientException

from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.orgs.services import membership_grant, org_unit_create, person_upsert

from .client import WeComClient, get_client, oauth_url, qr_login_url
from .models import SyncedMembership, WeComDepartment

logger = logging.getLogger(__name__)

STATE_SALT = "lightapps.wecom.oauth-state"
STATE_MAX_AGE = 600  # seconds between leaving for WeCom and coming back
ACTIVE = 1  # WeCom user status: 1 active, 2 disabled, 4 not activated, 5 quit
CHILD_KIND = {
    None: OrgUnit.Kind.DISTRICT,
    OrgUnit.Kind.CITY: OrgUnit.Kind.DISTRICT,
    OrgUnit.Kind.DISTRICT: OrgUnit.Kind.STREET,
    OrgUnit.Kind.STREET: OrgUnit.Kind.GRID,
    OrgUnit.Kind.GRID: OrgUnit.Kind.COMMUNITY,
    OrgUnit.Kind.COMMUNITY: OrgUnit.Kind.COMMUNITY,
    OrgUnit.Kind.DEPARTMENT: OrgUnit.Kind.DEPARTMENT,
}


class WeComLoginError(Exception):
    """A login that cannot go on; `code` picks the page the person sees."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- OAuth ---------------------------------------------------------------------------------
def oauth_state_make(*, next_url: str) -> str:
    """A signed, timestamped state carrying where to go after login."""
    return signing.dumps({"next": next_url}, salt=STATE_SALT, compress=True)


def oauth_state_read(state: str) -> str:
    """The `next` URL of a state this server made within STATE_MAX_AGE; else WeComLoginError."""
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise WeComLoginError("state_expired") from None
    except signing.BadSignature:
        raise WeComLoginError("bad_state") from None
    return str(data.get("next") or "")


def oauth_authorize_url(*, redirect_uri: str, state: str) -> str:
    """WeCom's authorize page (snsapi_base: silent, inside WeCom), sending the person back."""
    client = get_client()
    client.oauth.OAUTH_BASE_URL = oauth_url()
    url = client.oauth.authorize_url(redirect_uri, state)
    # WeCom wants the agent too; it goes before the fragment.
    return url.replace("#wechat_redirect", f"&agentid={settings.WECOM_AGENT_ID}#wechat_redirect")


def qr_login_page_url(*, redirect_uri: str, state: str) -> str:
    """WeCom's web login (扫码登录) for a desktop browser: the person scans the QR code with the
    WeCom app and comes back with a code that auth/getuserinfo reads, as after the OAuth page."""
    query = urlencode({"login_type": "CorpApp", "appid": settings.WECOM_CORP_ID,
                       "agentid": settings.WECOM_AGENT_ID, "redirect_uri": redirect_uri,
                       "state": state})  # fmt: skip
    return f"{qr_login_url()}?{query}"


def person_from_oauth_code(*, code: str) -> Person:
    """code → userid (auth/getuserinfo) → the person, created or brought up to date."""
    client = get_client()
    try:
        info = client.get("auth/getuserinfo", params={"code": code})
    except WeChatClientException as exc:
        if exc.errcode in (40029, 40163, 42003):  # invalid, used or expired code
            raise WeComLoginError("bad_code") from exc
        raise
    userid = info.get("userid") or info.get("UserId")
    if not userid:  # a WeChat user who is not a member of the corp: openid only
        raise WeComLoginError("not_member")
    known = Person.objects.filter(wecom_userid=userid).first()
    if known is not None and not known.is_active:
        raise WeComLoginError("disabled")
    try:
        user = client.user.get(userid)
    except WeChatClientException as exc:
        if exc.errcode == 60111:
            raise WeComLoginError("not_member") from exc
        raise
    if int(user.get("status", ACTIVE)) != ACTIVE:
        if known is not None:
            Person.objects.filter(pk=known.pk).update(is_active=False)
        raise WeComLoginError("disabled")
    person, _changes = person_from_wecom_user(user=user, client=client)
    return person


# --- people and departments ----------------------------------------------------------------
@dataclass
class SyncReport:
    units_created: list[str] = field(default_factory=list)
    units_updated: list[str] = field(default_factory=list)
    units_linked: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    people_updated: list[str] = field(default_factory=list)
    people_deactivated: list[str] = field(default_factory=list)
    memberships_granted: list[str] = field(default_factory=list)
    memberships_revoked: list[str] = field(default_factory=list)
    departments_gone: list[str] = field(default_factory=list)
    people_gone: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in {"departments_gone", "people_gone"}
        )

    def lines(self) -> list[str]:
        labels = {
            "units_created": _("新建组织"),
            "units_updated": _("更新组织"),
            "units_linked": _("关联已有组织"),
            "people_created": _("新建人员"),
            "people_updated": _("更新人员"),
            "people_deactivated": _("停用人员"),
            "memberships_granted": _("新增任职"),
            "memberships_revoked": _("撤销任职"),
            "departments_gone": _("企业微信已无此部门（未删除）"),
            "people_gone": _("企业微信已无此人员（未删除）"),
        }
        out = []
        for name, label in labels.items():
            items = getattr(self, name)
            out.append(f"{label}: {len(items)}" + (f"  ({', '.join(items)})" if items else ""))
        return out


def org_unit_of_department(department_id: int) -> OrgUnit | None:
    """The org unit a WeCom department maps to: its link, else the unit coded with its id."""
    link = WeComDepartment.objects.select_related("org_unit").filter(department_id=department_id)
    if link.exists():
        return link.first().org_unit
    return OrgUnit.objects.filter(code=str(department_id)).first()


@transaction.atomic
def department_upsert(
    *, department_id: int, name: str, parent_id: int, sort: int = 0, report: SyncReport
) -> OrgUnit:
    """The org unit of a WeCom department: linked, adopted by code, or created under its parent."""
    link = (
        WeComDepartment.objects.select_for_update()
        .select_related("org_unit")
        .filter(department_id=department_id)
        .first()
    )
    if link is not None:
        unit = link.org_unit
        # Only a unit the sync made follows WeCom's name; a linked local unit keeps its own.
        if link.created_by_sync and unit.name != name:
            unit.name = name
            unit.save(update_fields=["name"])
            report.units_updated.append(name)
        if link.name != name:
            link.name = name
        link.synced_at = timezone.now()
        link.save(update_fields=["name", "synced_at"])
        return unit
    adopted = OrgUnit.objects.filter(code=str(department_id)).first()
    if adopted is not None:
        WeComDepartment.objects.create(
            department_id=department_id, org_unit=adopted, name=name, synced_at=timezone.now()
        )
        report.units_linked.append(adopted.name)
        return adopted
    parent = org_unit_of_department(parent_id) if parent_id else None
    unit = org_unit_create(
        name=name,
        kind=CHILD_KIND.get(parent.kind if parent else None, OrgUnit.Kind.DEPARTMENT),
        code=f"wecom-{department_id}",
        parent=parent,
        sort=sort,
    )
    WeComDepartment.objects.create(
        department_id=department_id,
        org_unit=unit,
        name=name,
        created_by_sync=True,
        synced_at=timezone.now(),
    )
    report.units_created.append(name)
    return unit


def _username_for(userid: str) -> str:
    taken = Person.objects.filter(username=userid).exclude(wecom_userid=userid).exists()
    return f"wecom_{userid}" if taken else userid


@transaction.atomic
def person_from_wecom_user(
    *, user: dict, client: WeComClient | None = None, report: SyncReport | None = None
) -> tuple[Person, SyncReport]:
    """Create or update the person of a user/get answer, with memberships at their departments."""
    report = report if report is not None else SyncReport()
    userid = user["userid"]
    person = Person.objects.select_for_update().filter(wecom_userid=userid).first()
    name = user.get("name") or userid
    mobile = user.get("mobile") or (person.mobile if person else "")
    if person is None:
        person = person_upsert(
            username=_username_for(userid), name=name, wecom_userid=userid, mobile=mobile
        )
        report.people_created.append(userid)
    elif (person.name, person.mobile) != (name, mobile):
        person = person_upsert(
            username=person.username, name=name, wecom_userid=userid, mobile=mobile
        )
        report.people_updated.append(userid)
    active = int(user.get("status", ACTIVE)) == ACTIVE
    if person.is_active and not active:
        person.is_active = False
        person.save(update_fields=["is_active"])
        report.people_deactivated.append(userid)
    memberships_follow_departments(
        person=person, department_ids=user.get("department") or [], report=report
    )
    return person, report


def memberships_follow_departments(
    *, person: Person, department_ids: list[int], report: SyncReport
) -> None:
    """Grant the sync role at each department's unit; revoke only what the sync granted."""
    role = getattr(settings, "WECOM_SYNC_ROLE", Role.REPORTER) or Role.REPORTER
    units = [u for u in (org_unit_of_department(int(d)) for d in department_ids) if u]
    wanted = {u.pk for u in units}
    for unit in units:
        existing = Membership.objects.filter(person=person, org_unit=unit, role=role).first()
        if existing is None:
            membership = membership_grant(person=person, org_unit=unit, role=role)
            SyncedMembership.objects.create(membership=membership)
            report.memberships_granted.append(f"{person.wecom_userid}@{unit.name}")
    stale = Membership.objects.filter(person=person, wecom_sync__isnull=False).exclude(
        org_unit_id__in=wanted
    )
    for membership in stale.select_related("org_unit"):
        report.memberships_revoked.append(f"{person.wecom_userid}@{membership.org_unit.name}")
        membership.delete()


def contacts_sync(*, client: WeComClient | None = None) -> SyncReport:
    """通讯录同步: departments → org units, users → people with memberships. Idempotent."""
    client = client or get_client()
    report = SyncReport()
    rows = client.get("department/simplelist")["department_id"]
    known = {int(r["id"]) for r in rows}
    # Parents before children, whatever order WeCom lists them in.
    done: set[int] = set()
    pending = sorted(rows, key=lambda r: (r.get("order", 0), r["id"]))
    while pending:
        ready = [r for r in pending if not r["parentid"] or r["parentid"] in done
                 or r["parentid"] not in known]  # fmt: skip
        if not ready:
            raise ValueError("WeCom departments form a cycle")
        for row in ready:
            detail = client.get("department/get", params={"id": row["id"]})["department"]
            department_upsert(
                department_id=int(row["id"]),
                name=detail.get("name") or str(row["id"]),
                parent_id=int(row["parentid"] or 0),
                sort=int(row.get("order") or 0),
                report=report,
            )
            done.add(int(row["id"]))
        pending = [r for r in pending if int(r["id"]) not in done]
    for link in WeComDepartment.objects.exclude(department_id__in=known).select_related("org_unit"):
        report.departments_gone.append(link.org_unit.name)

    userids: list[str] = []
    cursor = ""
    while True:
        page = client.post("user/list_id", data={"cursor": cursor, "limit": 10000})
        for row in page.get("dept_user", []):
            if row["userid"] not in userids:
                userids.append(row["userid"])
        cursor = page.get("next_cursor") or ""
        if not cursor:
            break
    for userid in userids:
        person_from_wecom_user(user=client.user.get(userid), client=client, report=report)
    gone = Person.objects.filter(wecom_userid__isnull=False, is_active=True).exclude(
        wecom_userid__in=userids
    )
    report.people_gone = sorted(gone.values_list("wecom_userid", flat=True))
    return report


# --- callback events -----------------------------------------------------------------------
def contact_change_apply(*, message: dict, client: WeComClient | None = None) -> str:
    """Apply one change_contact callback event; returns what was done, for the log."""
    change = message.get("ChangeType", "")
    report = SyncReport()
    if change in {"create_user", "update_user"}:
        userid = message.get("NewUserID") or message.get("UserID")
        client = client or get_client()
        person_from_wecom_user(user=client.user.get(userid), client=client, report=report)
        return f"{change} {userid}"
    if change == "delete_user":
        userid = message.get("UserID", "")
        Person.objects.filter(wecom_userid=userid).update(is_active=False)
        return f"deactivated {userid}"
    if change in {"create_party", "update_party"}:
        department_id = int(message["Id"])
        link = WeComDepartment.objects.filter(department_id=department_id).first()
        parent_id = int(message.get("ParentId") or 0)
        name = message.get("Name") or (link.name if link else str(department_id))
        department_upsert(department_id=department_id, name=name, parent_id=parent_id,
                          report=report)  # fmt: skip
        return f"{change} {department_id}"
    if change == "delete_party":
        # The unit may hold work orders: it stays; the link says WeCom no longer has it.
        return f"delete_party {message.get('Id')} kept"
    return f"ignored {change}"
