"""Security events that Django and django-axes signal, into the audit log.

Logins (with how: password, WeCom, development login), logouts (and the session limits' own
logouts, as `auth.session_expired`), failed logins with the username tried (never the
password), lockouts, and every change made through the Django admin (its LogEntry).
"""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Outcome
from .origin import current_origin, origin_of
from .services import audit_record

ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def _origin(request):
    return origin_of(request) if request is not None else current_origin()


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    method = getattr(request, "login_method", "") or "password"
    audit_record("auth.login", actor=user, details={"method": method}, origin=_origin(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    expired = getattr(request, "logout_reason", "") == "expired"
    audit_record(
        "auth.session_expired" if expired else "auth.logout", actor=user, origin=_origin(request)
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        "auth.login_failed",
        actor_username=str(credentials.get("username", ""))[:150],
        outcome=Outcome.FAILURE,
        origin=_origin(request),
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        "auth.lockout",
        actor_username=str(username or "")[:150],
        outcome=Outcome.DENIED,
        details={"ip_address": ip_address},
        origin=_origin(request),
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def _admin_changed(sender, instance: LogEntry, created, **kwargs):
    if not created:
        return
    audit_record(
        "admin.change",
        actor=instance.user,
        object_type=(
            f"{instance.content_type.app_label}.{instance.content_type.model}"
            if instance.content_type_id
            else ""
        ),
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        details={
            "action": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "message": instance.get_change_message(),
        },
    )
