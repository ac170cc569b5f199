"""Reading the audit log: filters parsed with a precise error each, then one queryset."""

import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.errors import DomainError

from .models import AuditEntry, Outcome
from .services import ACTION_LABELS


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    outcome: str = ""
    actor: str = ""
    ip: str = ""
    object: str = ""
    since: date | None = None
    until: date | None = None

    def as_query(self) -> dict[str, str]:
        query = {
            k: v
            for k, v in (
                ("action", self.action),
                ("outcome", self.outcome),
                ("actor", self.actor),
                ("ip", self.ip),
                ("object", self.object),
            )
            if v
        }
        if self.since:
            query["since"] = self.since.isoformat()
        if self.until:
            query["until"] = self.until.isoformat()
        return query


def _day(raw: str, name: str, fields: dict) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fields[name] = [_("日期格式应为 YYYY-MM-DD")]
        return None


def audit_filters_parse(params) -> AuditFilters:
    """action, outcome, actor (username, contains), ip, object ("type:id" or id), since/until."""
    fields: dict[str, list[str]] = {}
    action = params.get("action", "").strip()
    if action and action not in ACTION_LABELS:
        fields["action"] = [_("没有这种操作")]
    outcome = params.get("outcome", "").strip()
    if outcome and outcome not in Outcome.values:
        fields["outcome"] = [_("结果只能是成功、失败或拒绝")]
    actor = params.get("actor", "").strip()
    if len(actor) > 150:
        fields["actor"] = [_("操作人最多 150 个字符")]
    ip = params.get("ip", "").strip()
    if ip:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            fields["ip"] = [_("不是有效的 IP 地址")]
    obj = params.get("object", "").strip()
    if len(obj) > 130:
        fields["object"] = [_("对象最多 130 个字符")]
    since = _day(params.get("since", "").strip(), "since", fields)
    until = _day(params.get("until", "").strip(), "until", fields)
    if since and until and since > until:
        fields["until"] = [_("结束日期不能早于开始日期")]
    if fields:
        raise DomainError(_("请检查筛选条件"), code="invalid_filter", fields=fields)
    return AuditFilters(action, outcome, actor, ip, obj, since, until)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(filters: AuditFilters) -> QuerySet:
    qs = AuditEntry.objects.all()
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.actor:
        qs = qs.filter(actor_username__icontains=filters.actor)
    if filters.ip:
        qs = qs.filter(ip=filters.ip)
    if filters.object:
        kind, sep, pk = filters.object.rpartition(":")
        qs = qs.filter(object_type=kind, object_id=pk) if sep else qs.filter(object_id=pk)
    if filters.since:
        qs = qs.filter(at__gte=_midnight(filters.since))
    if filters.until:
        qs = qs.filter(at__lt=_midnight(filters.until + timedelta(days=1)))
    return qs.order_by("-at", "-id")
