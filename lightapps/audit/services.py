"""Writing the audit log: `audit_record` for every audited action, `audit_prune` for retention.

Action codes are dotted, the object's kind first; ACTION_LABELS names them for the console (and
the console's filter offers them): add an action here when code starts recording it.
"""

import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Outcome
from .origin import Origin, current_origin

logger = logging.getLogger("lightapps.audit")

ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.lockout": _("登录锁定"),
    "auth.logout": _("退出登录"),
    "auth.session_expired": _("登录超时退出"),
    "token.issue": _("签发令牌"),
    "token.revoke": _("吊销令牌"),
    "app.create": _("新建应用"),
    "app.save_draft": _("保存草稿"),
    "app.publish": _("发布版本"),
    "data.export": _("导出数据"),
    "data.reveal": _("查看明文"),
    "audit.export": _("导出审计日志"),
    "admin.change": _("后台修改"),
}


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    action: str,
    *,
    actor=None,
    actor_username: str = "",
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
    origin: Origin | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is the person acting (None: the system or a command line);
    `target` the object acted on; the origin defaults to the current request's."""
    origin = origin or current_origin()
    if target is not None:
        object_type = object_type or _label(target)
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    # JSON with dates, UUIDs and decimals as text, whatever a caller passes.
    clean = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, default=str))
    entry = AuditEntry.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_username=(actor.get_username() if authenticated else actor_username)[:150],
        ip=origin.ip,
        user_agent=origin.user_agent[:300],
        request_id=origin.request_id[:64],
        action=action,
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        outcome=outcome,
        details=clean,
    )
    logger.info(
        "audit %s %s by %s from %s on %s:%s",
        action,
        outcome,
        entry.actor_username or "-",
        entry.ip or "-",
        entry.object_type or "-",
        entry.object_id or "-",
    )
    return entry


def audit_prune(*, now=None) -> int:
    """Delete entries older than AUDIT_RETENTION_DAYS (the law asks for at least 6 months)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return AuditEntry.objects.filter(at__lt=cutoff)._prune()
