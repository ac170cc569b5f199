"""API tokens: issued for a number of days, stored as a digest, revoked at will, all audited.

A key is `la_` + 40 random URL-safe characters (240 bits): a plain SHA-256 of it is enough to
store (nobody can guess a preimage), and a lookup by digest is one index probe.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.audit.services import audit_record
from lightapps.errors import DomainError

from .models import ApiToken, Person

KEY_PREFIX = "la_"
TOUCH_EVERY = timedelta(minutes=1)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def token_issue(
    *, person: Person, days: int | None = None, note: str = "", by: str = ""
) -> tuple[ApiToken, str]:
    """签发: a new token for `person`, valid `days` (API_TOKEN_DAYS when None). Returns the row
    and the key, which exists nowhere else: show it once."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(
            _("有效期应为 1 至 %d 天") % settings.API_TOKEN_MAX_DAYS,
            code="invalid",
            fields={"days": [_("有效期应为 1 至 %d 天") % settings.API_TOKEN_MAX_DAYS]},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        person=person,
        digest=token_digest(key),
        prefix=key[:10],
        note=note[:100],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        "token.issue",
        actor_username=by,
        target=token,
        details={"person": person.username, "days": days, "note": token.note},
    )
    return token, key


def token_revoke(*, tokens: QuerySet, by: str = "") -> int:
    """吊销: these tokens stop working now. Returns how many were still live."""
    now = timezone.now()
    live = list(tokens.filter(revoked_at__isnull=True).select_related("person"))
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            "token.revoke",
            actor_username=by,
            target=token,
            details={"person": token.person.username},
        )
    return len(live)


def token_person(key: str) -> tuple[ApiToken | None, str]:
    """The live token behind `key`, or None and why not ("unknown", "expired", "revoked")."""
    token = (
        ApiToken.objects.select_related("person")
        .filter(digest=token_digest(key), person__is_active=True)
        .first()
    )
    if token is None:
        return None, "unknown"
    if token.revoked_at is not None:
        return None, "revoked"
    now = timezone.now()
    if token.expires_at <= now:
        return None, "expired"
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, ""
