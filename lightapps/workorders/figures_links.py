"""The list of orders behind each figure: query parameters of the console's work-order list
(`work_order_filters_parse`) that select exactly the orders a number counts.

A figure that counts steps (处置数, 按期处置数, 返工数) links to the orders having such steps:
an order handled twice is one row there. 上报数 counts reports, which live in 上报数据, one app
at a time: it links there when an app is chosen.
"""

from urllib.parse import urlencode


def figure_links(unit, query) -> dict[str, str]:
    """figure name -> "/console/?…" (or "/console/data/?…" for reports) for the unit's figures
    over the query's period (since..until local days, both inclusive) and app."""
    since, until = query.since.isoformat(), query.until.isoformat()
    base = {"under": unit.pk}
    if query.app:
        base["app"] = query.app
    created = {**base, "created_since": since, "created_until": until}
    steps = {**base, "step_since": since, "step_until": until}
    params = {
        "opened": created,
        "due_cases": {**created, "outcome": "case"},
        "cases_done": {**created, "outcome": "done"},
        "deferred": {**created, "state": "suspended"},
        "closed": {**base, "closed_since": since, "closed_until": until},
        "handled": {**steps, "step": "handle"},
        "handled_on_time": {**steps, "step": "handle_on_time"},
        "reworked": {**steps, "step": "rework"},
        # still waiting for 处置, its deadline within the period and already passed
        "unhandled_late": {
            **base,
            "outcome": "waiting",
            "due_since": since,
            "due_until": until,
            "due": "overdue",
        },  # fmt: skip
        "overdue_now": {**base, "due": "overdue"},
    }
    links = {name: "/console/?" + urlencode(p) for name, p in params.items()}
    # a rate opens the list of its numerator
    links["on_time_rate"] = links["handled_on_time"]
    links["closure_rate"] = links["cases_done"]
    links["rework_rate"] = links["reworked"]
    if query.app:
        links["reports"] = "/console/data/?" + urlencode(
            {"app": query.app, "since": since, "until": until, "unit": unit.pk}
        )
    return links
