"""The flows of the three demo light apps (their forms are in definitions/demo_apps.py).

The facade check shows both kinds of routing: a fallen facing (外墙饰面脱落) or a loose
signboard goes to a department by subject; everything else goes by place, to the street of the
grid the GPS point lies in (falling back to the reporter's street).
"""

DEMO_FLOWS = {
    "facade-hazard": {
        "template": "closed_loop",
        "open_when": {"field": "hazard_found", "equals": True},
        "routing": [
            {
                "by": "subject",
                "field": "hazards[].kind",
                "map": {"facing": "310106-D-FGJ", "signboard": "310106-D-CGZF"},
            },
            {"by": "place"},
        ],
        "time_limit_hours": 72,
        "time_limits": {
            "dispatched": {"amount": 3, "unit": "workday"},
            "handled": {"amount": 1, "unit": "workday"},
        },
        "duplicates": {"within_m": 50, "days": 7},
    },
    "small-site": {
        "template": "closed_loop",
        "open_when": {"field": "problems_found", "equals": True},
        "routing": [{"by": "place"}],
        "time_limit_hours": 120,
        "time_limits": {"dispatched": {"amount": 5, "unit": "workday"}},
        "duplicates": {"within_m": 50, "days": 7},
    },
    "flood-patrol": {
        "template": "closed_loop",
        "open_when": {"field": "danger_found", "equals": True},
        "routing": [{"by": "place"}],
        "time_limit_hours": 24,
        "time_limits": {"dispatched": {"amount": 24, "unit": "hour"}},
        "priority": "urgent",
        "duplicates": {"within_m": 100, "days": 1},
    },
}
