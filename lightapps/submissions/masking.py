"""个人信息保护: answers that identify or locate a person are masked by default, revealed on purpose.

The one place that decides masking; every output goes through it — the API's JSON, the console
and phone pages, the 上报数据 table, the Excel export, Django admin.

What is masked, found by field kind (walking schema + ui, repeated groups and nested objects
included — `sensitive_fields`):
- `idcard` (18-digit resident ID): first 6 and last 4 kept, `310106********1234`;
- `mobile` (CN mobile): first 3 and last 4 kept, `138****5678`;
- `location` ({lat, lng, accuracy}): lat/lng rounded to 3 decimals (about 100 m), accuracy set to
  at least 100 m, anything else in the object dropped, and `"masked": true` added.
Anything malformed (a wrong type, a short or odd string, a location without numeric lat/lng, a
repeated group holding such fields that is not a list) is masked fully, as "****" — never passed
through. Empty answers (absent, null, "", [], {}) stay as they are: there is nothing to hide.

Names: a field is named by its path template, as `field_titles` names it — `owner_id`,
`owner.mobile` (inside a nested object), `witnesses[].id_number` (every item of a repeated group).

Who may reveal (`submissions.selectors.may_reveal`): a person who may see the report and holds
supervisor (督办), dispatcher (派遣) or admin at a unit covering the report's place or the unit
its work order is assigned to. Handlers, reporters (even of their own report), designers and
outsiders may not: a handler finds the place by the address and the location to 100 m, and asks
the dispatcher when a phone call is needed.

How: revealing is an explicit act — `?reveal=owner_id,owner.mobile` (or `?reveal=*`) on the API's
detail endpoints, a 查看 button on the detail pages — and `answers_reveal` writes one audit row
`data.reveal` per object revealed (details: the fields), or an outcome `denied` row when refused.
Lists (the API's submission list, the 上报数据 table) and exports never reveal.

Not covered: answers no field of the version describes (kept as they were stored) are not
recognised as sensitive; free text (an address, a note) is not scanned for numbers.
"""

import copy
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lightapps.audit.models import Outcome
from lightapps.audit.services import audit_record
from lightapps.definitions.dialect import fields_of
from lightapps.errors import DomainError
from lightapps.orgs.models import Person

from .models import Submission
from .selectors import may_reveal

SENSITIVE_KINDS = frozenset({"idcard", "mobile", "location"})
FULL_MASK = "****"
# Rounding a coordinate to 3 decimals moves it by at most ~55 m: the place within ~100 m.
LOCATION_DECIMALS = 3
LOCATION_ACCURACY_M = 100
REVEAL_ALL = "*"

_RESIDENT_ID = re.compile(r"^[0-9]{17}[0-9Xx]$")
_MOBILE = re.compile(r"^1[0-9]{10}$")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def mask_value(kind: str, value: Any) -> Any:
    """One answer of a sensitive kind, masked; an empty one as it is, a malformed one fully."""
    if _is_blank(value):
        return value
    if kind == "idcard":
        if isinstance(value, str) and _RESIDENT_ID.match(value):
            return value[:6] + "*" * 8 + value[14:]
        return FULL_MASK
    if kind == "mobile":
        if isinstance(value, str) and _MOBILE.match(value):
            return value[:3] + "****" + value[7:]
        return FULL_MASK
    if kind == "location":
        if not isinstance(value, dict):
            return FULL_MASK
        lat, lng, accuracy = value.get("lat"), value.get("lng"), value.get("accuracy")
        if not (_is_number(lat) and _is_number(lng)):
            return FULL_MASK
        return {
            "lat": round(lat, LOCATION_DECIMALS),
            "lng": round(lng, LOCATION_DECIMALS),
            "accuracy": max(LOCATION_ACCURACY_M, round(accuracy) if _is_number(accuracy) else 0),
            "masked": True,
        }
    return FULL_MASK  # not a kind this module knows: hide rather than guess


def _walk(fields: list[dict], prefix: str, found: dict[str, str]) -> None:
    for f in fields:
        path = f"{prefix}{f['name']}"
        if f["kind"] in SENSITIVE_KINDS:
            found[path] = f["kind"]
        elif f["kind"] == "group":
            _walk(f["fields"], f"{path}." if f.get("nested") else f"{path}[].", found)


def sensitive_fields_of(fields: list[dict]) -> dict[str, str]:
    """Path template -> kind of every sensitive field among field descriptors (`fields_of`)."""
    found: dict[str, str] = {}
    _walk(fields, "", found)
    return found


def sensitive_fields(schema: dict, ui: dict) -> dict[str, str]:
    """Path template -> kind of every sensitive field of a version, in form order."""
    return sensitive_fields_of(fields_of(schema or {}, ui or {}))


def _holds_sensitive(field: dict) -> bool:
    return bool(sensitive_fields_of(field["fields"]))


def _mask_in(obj: dict, fields: list[dict], prefix: str, reveal: frozenset) -> None:
    """Mask, in place, the sensitive answers of one object (the data, a group item)."""
    for f in fields:
        name = f["name"]
        if name not in obj:
            continue
        path = f"{prefix}{name}"
        value = obj[name]
        if f["kind"] in SENSITIVE_KINDS:
            if path not in reveal:
                obj[name] = mask_value(f["kind"], value)
        elif f["kind"] == "group" and _holds_sensitive(f):
            if _is_blank(value):
                continue
            if f.get("nested"):
                if isinstance(value, dict):
                    _mask_in(value, f["fields"], f"{path}.", reveal)
                else:
                    obj[name] = FULL_MASK
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        _mask_in(item, f["fields"], f"{path}[].", reveal)
                    elif not _is_blank(item):
                        value[i] = FULL_MASK
            else:
                obj[name] = FULL_MASK


def mask_answers(fields: list[dict], data: Any, *, reveal=frozenset()) -> Any:
    """A deep copy of data with every sensitive answer masked, except the paths in `reveal`."""
    out = copy.deepcopy(data)
    if isinstance(out, dict):
        _mask_in(out, fields, "", frozenset(reveal))
    return out


def answers_masked(schema: dict, ui: dict, data: Any, *, reveal=frozenset()) -> Any:
    """A deep copy of a submission's data with every idcard, mobile and location answer masked,
    except the fields named in `reveal` (path templates, see the module's docstring)."""
    return mask_answers(fields_of(schema or {}, ui or {}), data, reveal=reveal)


def masked_names(schema: dict, ui: dict, *, reveal=frozenset()) -> list[str]:
    """The sensitive fields of a version that stay masked under `reveal`."""
    return [name for name in sensitive_fields(schema, ui) if name not in reveal]


def reveal_parse(raw: str | None, names) -> frozenset:
    """`?reveal=a,b` or `?reveal=*` against a version's sensitive field names.

    Unknown names (or names of fields that are not masked) are refused with 400 `invalid`.
    """
    raw = (raw or "").strip()
    if not raw:
        return frozenset()
    asked = [part.strip() for part in raw.split(",") if part.strip()]
    if REVEAL_ALL in asked:
        return frozenset(names)
    unknown = [name for name in dict.fromkeys(asked) if name not in names]
    if unknown:
        raise DomainError(
            _("没有这些需要脱敏的字段：%s") % "、".join(unknown),
            code="invalid",
            fields={"reveal": [_("不是脱敏字段：%s") % ", ".join(unknown)]},
        )
    return frozenset(asked)


@dataclass(frozen=True)
class Reveal:
    """What a person gets to see of one submission: `fields` in clear (audited), the rest masked;
    `allowed` tells whether they may reveal at all (pages show 查看 buttons)."""

    fields: frozenset
    allowed: bool


def answers_reveal(*, person: Person, submission: Submission, requested: str | None) -> Reveal:
    """Authorise and audit a reveal of some of a submission's sensitive answers.

    Load the submission with select_related("version", "work_order__org_unit",
    "work_order__assignee_unit", "org_unit"). Nothing requested: nothing revealed, no audit row.
    Unknown names: 400 `invalid`. Not allowed: an audit row with outcome denied, then 403.
    """
    version = submission.version
    names = sensitive_fields(version.schema, version.ui)
    wanted = reveal_parse(requested, names)
    allowed = may_reveal(person, submission)
    if not wanted:
        return Reveal(fields=frozenset(), allowed=allowed)
    order = getattr(submission, "work_order", None)
    details = {
        "fields": sorted(wanted),
        "app": submission.app_id,
        "work_order": order.number if order else None,
    }
    if not allowed:
        audit_record(
            "data.reveal",
            actor=person,
            target=submission,
            outcome=Outcome.DENIED,
            details=details,
        )
        raise DomainError(
            _("您没有查看明文的权限：只有负责该区域的督办、派遣人员和管理员可以查看"),
            code="not_allowed",
            status=403,
        )
    audit_record("data.reveal", actor=person, target=submission, details=details)
    return Reveal(fields=wanted, allowed=True)
