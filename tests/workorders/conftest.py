"""Fixtures of the flow tests: grid boundaries on the shared tree, apps with a chosen flow,
people of every role in the next street, and a helper that walks an order to a state."""

import uuid

import pytest

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.orgs.models import Role
from lightapps.workorders.opening import report_submit
from lightapps.workorders.services import work_order_transition
from tests.conftest import _person
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data


def box(west, south, east, north) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# 江宁路 grid 1 | grid 2 side by side (shared edge at lng 121.45); 石门二路 grid 1 north of both.
GRID_BOXES = {
    "jny_grid1": box(121.44, 31.23, 121.45, 31.24),
    "jny_grid2": box(121.45, 31.23, 121.46, 31.24),
    "smr_grid1": box(121.44, 31.24, 121.46, 31.25),
}
INSIDE_JNY_GRID2 = (31.2363, 121.4512)  # the fixtures' usual point
ON_SHARED_EDGE = (31.235, 121.45)
INSIDE_SMR_GRID1 = (31.245, 121.45)
OUTSIDE_ALL = (31.30, 121.50)


@pytest.fixture
def grids(tree):
    for key, polygon in GRID_BOXES.items():
        tree[key].boundary = polygon
        tree[key].save(update_fields=["boundary"])
    return tree


@pytest.fixture
def smr_people(tree):
    """The next street's handler, dispatcher and supervisor: the wrong place for 江宁路's orders."""
    return {
        "smr_handler": _person("smr_handler", "孙处置", tree["smr"], Role.HANDLER),
        "smr_dispatcher": _person("smr_dispatcher", "钱派遣", tree["smr"], Role.DISPATCHER),
    }


@pytest.fixture
def fgj_handler(tree):
    return _person("fgj_handler", "马房管", tree["fgj"], Role.HANDLER)


@pytest.fixture
def flow_version(tree, people):
    """A published version of the small form with the given flow (a new app each call)."""
    made = []

    def make(flow=None, *, key=None):
        app = light_app_create(
            key=key or f"flow-test-{len(made) + 1}",
            name="外墙检查",
            owner_unit=tree["district"],
            schema=SMALL_SCHEMA,
            ui=SMALL_UI,
            flow=flow if flow is not None else SMALL_FLOW,
        )
        version = light_app_publish(app=app, actor=people["designer"])
        made.append(version)
        return version

    return make


@pytest.fixture
def submit(make_photo, django_capture_on_commit_callbacks):
    """Submit the small form as `person` at a point; returns the submission."""

    def do(person, version, *, at=INSIDE_JNY_GRID2, kind="tile", hazard=True):
        photo = make_photo(person)
        data = valid_data([photo.pk], hazard=hazard)
        if at is None:
            data.pop("location")
        else:
            data["location"] = {"lat": at[0], "lng": at[1], "accuracy": 5.0}
        if hazard:
            data["hazards"][0]["kind"] = kind
        with django_capture_on_commit_callbacks(execute=True):
            submission, _ = report_submit(
                submission_id=uuid.uuid4(), version=version, reporter=person, data=data
            )
        return submission

    return do


# How to bring a closed-loop order to each state: (action, who) from 待立案.
PATHS = {
    "reported": [],
    "filed": [("file", "dispatcher")],
    "dispatched": [("file", "dispatcher"), ("dispatch", "dispatcher")],
    "extension_requested": [
        ("file", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("request_extension", "handler"),
    ],
    "suspended": [("file", "dispatcher"), ("dispatch", "dispatcher"), ("suspend", "supervisor")],
    "handled": [("file", "dispatcher"), ("dispatch", "dispatcher"), ("handle", "handler")],
    "verified": [
        ("file", "dispatcher"),
        ("dispatch", "dispatcher"),
        ("handle", "handler"),
        ("verify", "supervisor"),
    ],
}

EXTENSION = {"amount": 2, "unit": "workday"}


def take(order, action, actor, **extra):
    """One step with whatever the step requires filled in sensibly."""
    extra.setdefault("note", f"{action} 说明")
    if action == "request_extension":
        extra.setdefault("extension", EXTENSION)
    return work_order_transition(order=order, action=action, actor=actor, **extra)


@pytest.fixture
def walk(people):
    def do(order, state):
        for action, who in PATHS[state]:
            order = take(order, action, people[who])
        return order

    return do


# The hand-counted world of the figures (figures_fixture.py).
from tests.workorders.figures_fixture import figures_world  # noqa: E402, F401
