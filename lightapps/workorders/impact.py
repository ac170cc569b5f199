"""发布影响: what publishing the draft changes for data already collected — for every field the
draft removes or changes against the latest version, how many reports answered it and how many
of their work orders are still open. Counted in the database, two queries whatever the number of
fields."""

import re

from django.db.models import Count, Q

from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import latest_version, version_diff
from lightapps.submissions.models import Submission

from .models import WorkOrder

# A field path's top-level answer: `hazards[].kind` and `site.name` are stored under `hazards`
# and `site`.
_TOP = re.compile(r"^[^.\[]+")


def draft_impact(app: LightApp) -> dict:
    """{"against": N | None, "reports": total, "open_orders": total, "fields": [{path, title,
    change: "removed"|"changed", reports, open_orders}]} for the draft against version N."""
    latest = latest_version(app)
    if latest is None:
        return {"against": None, "reports": 0, "open_orders": 0, "fields": []}
    diff = version_diff(app, old=str(latest.number), new="draft") or {}
    touched = [("removed", f) for f in diff.get("removed", [])] + [
        ("changed", f) for f in diff.get("changed", [])
    ]
    tops = sorted({_TOP.match(f["path"]).group(0) for _c, f in touched})
    reports = Submission.objects.filter(app=app)
    orders = WorkOrder.objects.filter(submission__app=app, closed_at__isnull=True)
    names = {top: f"f{i}" for i, top in enumerate(tops)}
    report_counts = reports.aggregate(
        all=Count("pk"), **{n: Count("pk", filter=Q(data__has_key=t)) for t, n in names.items()}
    )
    order_counts = orders.aggregate(
        all=Count("pk"),
        **{n: Count("pk", filter=Q(submission__data__has_key=t)) for t, n in names.items()},
    )
    fields = []
    for change, field in touched:
        name = names[_TOP.match(field["path"]).group(0)]
        fields.append(
            {
                "path": field["path"],
                "title": field["title"],
                "change": change,
                "reports": report_counts[name],
                "open_orders": order_counts[name],
            }
        )
    return {
        "against": latest.number,
        "reports": report_counts["all"],
        "open_orders": order_counts["all"],
        "fields": fields,
    }
