"""The desktop top bar (console, builder, phone pages) and where a person starts after login."""

from lightapps.orgs.models import Role
from lightapps.orgs.selectors import BUILDER_ROLES, CONSOLE_ROLES, may_read_audit_log, roles_of
from lightapps.workorders.figures_report import FIGURES_ROLES

# People who start on the console rather than the phone (a handler starts on the phone).
LANDING_CONSOLE_ROLES = {Role.SUPERVISOR, Role.DISPATCHER}


def landing_url_for(roles: set[str]) -> str:
    """Where a person starts: the console, the builder, or the phone pages."""
    if roles & LANDING_CONSOLE_ROLES:
        return "/console/"
    if roles & BUILDER_ROLES:
        return "/builder/"
    return "/m/"


def desktop_nav(person) -> dict:
    """Which desktop sections the top bar offers this person (the pages check again)."""
    roles = roles_of(person) if getattr(person, "is_authenticated", False) else set()
    return {
        "console": bool(roles & CONSOLE_ROLES),
        "builder": bool(roles & BUILDER_ROLES),
        "mobile": bool(roles & {Role.REPORTER, Role.HANDLER}),
        "audit": Role.ADMIN in roles and may_read_audit_log(person),
        "figures": bool(roles & FIGURES_ROLES),
    }
