"""Login pages: the development login (demo people, no password) and logout.

The WeCom OAuth login replaces the development login when WeCom is configured; until then
`/login/` only tells people to open the app from 企业微信 and never logs anyone in.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.wecom.client import wecom_configured

from .nav import landing_url_for

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _dev_login_groups() -> list[dict]:
    """People with memberships, grouped by street (or by their unit above/outside streets).

    Two queries whatever the number of people: the memberships with person and unit, and the
    streets those units lie under.
    """
    memberships = list(
        Membership.objects.filter(person__is_active=True)
        .select_related("person", "org_unit")
        .order_by("org_unit__path", "person__username", "role")
    )
    ancestor_ids = {
        int(part) for m in memberships for part in m.org_unit.path.strip("/").split("/") if part
    }
    streets = {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(pk__in=ancestor_ids, kind=OrgUnit.Kind.STREET)
    }
    role_labels = dict(Role.choices)

    people: dict[int, dict] = {}
    for m in memberships:
        entry = people.setdefault(
            m.person_id, {"person": m.person, "roles": [], "role_values": set(), "deepest": m}
        )
        entry["roles"].append(f"{role_labels[m.role]} · {m.org_unit.name}")
        entry["role_values"].add(m.role)
        if m.org_unit.depth > entry["deepest"].org_unit.depth:
            entry["deepest"] = m

    groups: dict[int, dict] = {}
    for entry in people.values():
        unit = entry["deepest"].org_unit
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        street = next((streets[i] for i in reversed(ids) if i in streets), None)
        head = street or unit
        group = groups.setdefault(head.pk, {"unit": head, "people": []})
        entry["landing"] = landing_url_for(entry["role_values"])
        group["people"].append(entry)
    ordered = sorted(groups.values(), key=lambda g: g["unit"].path)
    for group in ordered:
        group["people"].sort(key=lambda e: (e["deepest"].org_unit.path, e["person"].username))
    return ordered


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def login_page(request):
    """登录: the development login lists demo people; otherwise, a pointer to 企业微信."""
    if wecom_configured():
        # WeCom configured: the development login is gone; sign in through WeCom's OAuth.
        query = urlencode({"next": _safe_next(request) or "/"})
        return redirect(f"{reverse('wecom:start')}?{query}")
    if not settings.DEV_LOGIN:
        status = 403 if request.method == "POST" else 200
        return render(request, "login.html", {"dev_login": False}, status=status)
    if request.method == "POST":
        try:
            person_id = int(request.POST.get("person", ""))
        except ValueError:
            raise Http404 from None
        person = (
            Person.objects.filter(pk=person_id, is_active=True, memberships__isnull=False)
            .distinct()
            .first()
        )
        if person is None:
            raise Http404
        login(request, person, backend=MODEL_BACKEND)
        roles = set(person.memberships.values_list("role", flat=True))
        return redirect(_safe_next(request) or landing_url_for(roles))
    context = {"dev_login": True, "groups": _dev_login_groups(), "next": _safe_next(request)}
    return render(request, "login.html", context)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
