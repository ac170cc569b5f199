"""Login pages: password login, the development login (demo people, no password), the
lockout page, and logout.

The WeCom OAuth login replaces both when WeCom is configured. Without WeCom, people with a
password sign in with it (failed tries are counted by django-axes: LOGIN_FAILURE_LIMIT per
account or address locks it for LOGIN_LOCKOUT_MINUTES). The development login is for a
developer's own machine: it answers only requests to and from loopback, unless DEV_LOGIN=1 asks
for it everywhere, and it never signs anyone in as a superuser unless DEV_LOGIN_SUPERUSER=1.
"""

import ipaddress
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from lightapps.orgs.models import Membership, OrgUnit, Person, Role
from lightapps.wecom.client import wecom_configured

from .middleware import is_wecom_browser
from .nav import landing_url_for

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _dev_login_groups() -> list[dict]:
    """People with memberships, grouped by street (or by their unit above/outside streets).

    Two queries whatever the number of people: the memberships with person and unit, and the
    streets those units lie under.
    """
    memberships = list(
        _dev_login_people_q(Membership.objects.filter(person__is_active=True), "person__")
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


def _dev_login_people_q(qs, prefix: str = ""):
    if settings.DEV_LOGIN_SUPERUSER:
        return qs
    return qs.filter(**{f"{prefix}is_superuser": False})


def _is_loopback(raw: str) -> bool:
    try:
        return ipaddress.ip_address(raw).is_loopback
    except ValueError:
        return raw == "localhost"


def dev_login_allowed(request) -> bool:
    """The development login for this request: on, and asked for on loopback from loopback
    (a developer's own browser), unless DEV_LOGIN=1 opened it to every address."""
    if not settings.DEV_LOGIN:
        return False
    if settings.DEV_LOGIN_ANY_ADDRESS:
        return True
    host = request.get_host().rsplit(":", 1)[0].strip("[]")
    return _is_loopback(request.META.get("REMOTE_ADDR", "")) and _is_loopback(host)


def attempted_username(request, credentials=None) -> str | None:
    """The username a failed login tried, as django-axes records it: cut to a username's length
    (150), so that a 5,000-character one is counted, not a database error."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field) if credentials else request.POST.get(field)
    return None if raw is None else str(raw)[:150]


def locked_out(request, original_response=None, credentials=None):
    """登录失败处理: the page (429, with Retry-After) for a locked-out account or address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"locked": True, "minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "login.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def login_page(request):
    """登录: account and password, and on a developer's machine the development login."""
    wecom = wecom_configured()
    if wecom and is_wecom_browser(request):
        # Inside WeCom: its OAuth signs the person in without a page (and back here, signed in,
        # on to the page asked for).
        if request.user.is_authenticated:
            return redirect(_safe_next(request) or "/")
        query = urlencode({"next": _safe_next(request) or "/"})
        return redirect(f"{reverse('wecom:start')}?{query}")
    # WeCom configured, a desktop browser: 扫码登录 beside the password; never the dev login.
    dev_login = not wecom and dev_login_allowed(request)
    form = AuthenticationForm(request)
    if request.method == "POST" and "person" not in request.POST:
        form = AuthenticationForm(request, data=request.POST)
        if form.is_valid():
            person = form.get_user()
            request.login_method = "password"
            login(request, person)
            roles = set(person.memberships.values_list("role", flat=True))
            return redirect(_safe_next(request) or landing_url_for(roles))
    elif request.method == "POST":
        if not dev_login:
            raise Http404
        try:
            person_id = int(request.POST.get("person", ""))
        except ValueError:
            raise Http404 from None
        person = (
            _dev_login_people_q(Person.objects.filter(pk=person_id, is_active=True))
            .filter(memberships__isnull=False)
            .distinct()
            .first()
        )
        if person is None:
            raise Http404
        request.login_method = "dev"
        login(request, person, backend=MODEL_BACKEND)
        roles = set(person.memberships.values_list("role", flat=True))
        return redirect(_safe_next(request) or landing_url_for(roles))
    context = {
        "wecom_qr": (
            f"{reverse('wecom:qr_start')}?{urlencode({'next': _safe_next(request) or '/'})}"
            if wecom
            else ""
        ),
        "dev_login": dev_login,
        "groups": _dev_login_groups() if dev_login else [],
        "form": form,
        "next": _safe_next(request),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "login.html", context, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")
