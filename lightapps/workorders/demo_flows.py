"""The flows of the three demo light apps (their forms are in definitions/demo_apps.py)."""

DEMO_FLOWS = {
    "facade-hazard": {
        "template": "closed_loop",
        "open_when": {"field": "hazard_found", "equals": True},
        "time_limit_hours": 72,
    },
    "small-site": {
        "template": "closed_loop",
        "open_when": {"field": "problems_found", "equals": True},
        "time_limit_hours": 120,
    },
    "flood-patrol": {
        "template": "closed_loop",
        "open_when": {"field": "danger_found", "equals": True},
        "time_limit_hours": 24,
        "priority": "urgent",
    },
}
