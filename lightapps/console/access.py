"""Who may open the console's pages at all: a console role somewhere (what they see within is
the visibility selectors' business)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lightapps.orgs.selectors import CONSOLE_ROLES, roles_of
from lightapps.web.nav import desktop_nav


def console_page(view):
    """Logged in, and holding a console role somewhere; others get a polite page, not the data."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles_of(request.user) & CONSOLE_ROLES:
            return render(
                request, "console/no_access.html", {"nav": desktop_nav(request.user)}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped
