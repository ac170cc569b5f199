"""What the order page shows beside its answers and timeline: the extension asked for (length,
reason, who), the photos before and after (上报 / 处置 / 核查), and the place on a small map with
its grid's boundary."""

from django.utils.translation import gettext as _

from lightapps.definitions.dialect import fields_of, photo_paths
from lightapps.submissions.display import photo_links
from lightapps.submissions.masking import mask_value, sensitive_fields
from lightapps.workorders.steps import EXTENSION_UNITS

# The steps whose photos show the work done (处置) and the check of it (核查 / 退回返工).
HANDLED_ACTIONS = {"handle"}
CHECKED_ACTIONS = {"verify", "rework"}


def extension_asked(order, events) -> dict | None:
    """延期申请 awaiting a decision: {"amount", "unit", "reason", "by", "at"} of the latest
    request, while the order is in 延期审批中."""
    if order.state != "extension_requested":
        return None
    asked = next((e for e in reversed(events) if e.action == "request_extension"), None)
    if asked is None:
        return None
    ext = (asked.data or {}).get("extension") or {}
    return {
        "amount": ext.get("amount"),
        "unit": str(dict(EXTENSION_UNITS).get(ext.get("unit"), ext.get("unit", ""))),
        "reason": asked.note,
        "by": asked.actor.display_name if asked.actor else _("系统"),
        "at": asked.created_at,
    }


def photo_stages(submission, events) -> list[dict]:
    """[{"label", "when", "photos"}] for 上报, the latest 处置 and the latest 核查 that carry
    photos — the before/after the supervisor compares; empty when only the report has photos."""
    version = submission.version
    reported = [
        pk
        for _path, ids in photo_paths(submission.data, fields_of(version.schema, version.ui))
        for pk in ids
    ]
    stages = [
        {"label": _("上报时"), "when": submission.received_at, "photos": photo_links(reported)}
    ]

    def latest(actions):
        for e in reversed(events):
            if e.action in actions and (e.data or {}).get("photos"):
                return e
        return None

    handled, checked = latest(HANDLED_ACTIONS), latest(CHECKED_ACTIONS)
    if handled:
        stages.append(
            {
                "label": _("处置后"),
                "when": handled.created_at,
                "photos": photo_links(handled.data["photos"]),
            }
        )
    if checked:
        label = _("核查时") if checked.action == "verify" else _("退回返工时")
        stages.append(
            {
                "label": label,
                "when": checked.created_at,
                "photos": photo_links(checked.data["photos"]),
            }
        )
    return stages if len(stages) > 1 else []


def place_map(order, *, reveal=frozenset()) -> dict | None:
    """{"point": [lat, lng], "accuracy", "boundary": GeoJSON | None, "grid": name} for the small
    map; None when the report carries no location. The point is masked like the location answer
    (to about 100 m) unless that answer was revealed (authorised and audited)."""
    submission = order.submission
    if submission.latitude is None or submission.longitude is None:
        return None
    where = {
        "lat": submission.latitude,
        "lng": submission.longitude,
        "accuracy": submission.accuracy,
    }
    version = submission.version
    locations = {
        p for p, kind in sensitive_fields(version.schema, version.ui).items() if kind == "location"
    }
    if not locations & set(reveal):
        where = mask_value("location", where)
    unit = order.org_unit
    return {
        "point": [where["lat"], where["lng"]],
        "accuracy": where["accuracy"],
        "boundary": unit.boundary if unit and unit.boundary else None,
        "grid": unit.name if unit else "",
    }
