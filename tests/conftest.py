"""Shared fixtures: a small org tree with the three people of every permission test.

District 静安区 with two streets. In 江宁路街道: the owner (a grid worker), a colleague in another
grid of the same street, and the street's handler, dispatcher and supervisor. In 石门二路街道:
the outsider (a grid worker) and that street's supervisor.
"""

import copy
import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lightapps.definitions.services import (
    light_app_create,
    light_app_publish,
    light_app_save_draft,
)
from lightapps.orgs.models import OrgUnit, Role
from lightapps.orgs.services import membership_grant, org_unit_create, person_upsert
from lightapps.submissions.services import attachment_create
from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data


def pytest_configure(config):
    """Each xdist worker keeps its own cache keys (throttle counters, locks) in a shared Redis."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    for cache in settings.CACHES.values():
        cache["KEY_PREFIX"] = f"test-{worker}"
    # and its own channel-layer groups: unit ids repeat across the workers' test databases.
    for layer in settings.CHANNEL_LAYERS.values():
        if "CONFIG" in layer:
            layer["CONFIG"]["prefix"] = f"test-{worker}"
    # Passwords are hashed for real in production; tests need speed, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _api_limits_out_of_the_way(settings):
    """The API's rate limits count across tests in one cache; tests of the limits lower them."""
    settings.API_THROTTLE_RATE = "100000/min"
    settings.API_AUTH_FAILURE_LIMIT = 100000


@pytest.fixture
def tree(db):
    district = org_unit_create(name="静安区", kind=OrgUnit.Kind.DISTRICT, code="T310106")
    jny = org_unit_create(name="江宁路街道", kind="street", code="T-JNY", parent=district)
    smr = org_unit_create(name="石门二路街道", kind="street", code="T-SMR", parent=district)
    return {
        "district": district,
        "jny": jny,
        "smr": smr,
        "jny_grid1": org_unit_create(
            name="江宁路第1网格", kind="grid", code="T-JNY-G1", parent=jny
        ),
        "jny_grid2": org_unit_create(
            name="江宁路第2网格", kind="grid", code="T-JNY-G2", parent=jny
        ),
        "smr_grid1": org_unit_create(
            name="石门二路第1网格", kind="grid", code="T-SMR-G1", parent=smr
        ),
        "fgj": org_unit_create(name="房管局", kind="department", code="T-FGJ", parent=district),
    }


def _person(username, name, unit, *roles):
    person = person_upsert(username=username, name=name, wecom_userid=username)
    for role in roles:
        membership_grant(person=person, org_unit=unit, role=role)
    return person


@pytest.fixture
def people(tree):
    return {
        "owner": _person("owner", "王网格", tree["jny_grid1"], Role.REPORTER),
        "colleague": _person("colleague", "李网格", tree["jny_grid2"], Role.REPORTER),
        "outsider": _person("outsider", "赵网格", tree["smr_grid1"], Role.REPORTER),
        "handler": _person("handler", "陈处置", tree["jny"], Role.HANDLER),
        "dispatcher": _person("dispatcher", "周派遣", tree["jny"], Role.DISPATCHER),
        "supervisor": _person("supervisor", "吴督办", tree["jny"], Role.SUPERVISOR),
        "smr_supervisor": _person("smr_supervisor", "郑督办", tree["smr"], Role.SUPERVISOR),
        "designer": _person("designer", "孙设计", tree["district"], Role.DESIGNER),
    }


@pytest.fixture
def api():
    """An API client signed in as the given person (force_authenticate), one per call."""
    from rest_framework.test import APIClient

    def make(person):
        client = APIClient()
        client.force_authenticate(person)
        return client

    return make


@pytest.fixture
def app_version(tree, people):
    app = light_app_create(
        key="facade-test",
        name="外墙检查",
        owner_unit=tree["district"],
        schema=SMALL_SCHEMA,
        ui=SMALL_UI,
        flow=SMALL_FLOW,
    )
    return light_app_publish(app=app, actor=people["designer"])


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def make_photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def make(person, name="p.jpg"):
        return attachment_create(
            uploader=person, upload=SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")
        )

    return make


@pytest.fixture
def make_order(app_version, make_photo, django_capture_on_commit_callbacks):
    """A work order reported by `person` (the owner by default), in state 待立案."""

    def make(person):
        photo = make_photo(person)
        with django_capture_on_commit_callbacks(execute=True):
            submission, _ = report_submit(
                submission_id=uuid.uuid4(),
                version=app_version,
                reporter=person,
                data=valid_data([photo.pk]),
            )
        return submission.work_order

    return make


@pytest.fixture
def eager_tasks(settings):
    """Celery tasks run in this process, as on the embedded default, also in the Redis lane.

    Celery reads its configuration once, so overriding the Django setting alone is not enough.
    """
    from lightapps.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


# Two versions of the small app and submissions of both (data views and exports).


def v2_definition():
    """v2 of the small app: drops 检查日期 and the hazards' 严重程度, adds 天气, relabels a kind."""
    schema = copy.deepcopy(SMALL_SCHEMA)
    del schema["properties"]["checked_on"]
    schema["properties"]["weather"] = {
        "type": "string",
        "title": "天气",
        "enum": ["sun", "rain"],
        "enumNames": ["晴", "雨"],
    }
    hazard = schema["allOf"][0]["then"]["properties"]["hazards"]["items"]
    del hazard["properties"]["severity"]
    hazard["required"] = ["kind"]
    hazard["properties"]["kind"]["enumNames"] = ["饰面脱落", "窗户松动", "空调外机"]
    ui = copy.deepcopy(SMALL_UI)
    ui["ui:order"] = [n for n in ui["ui:order"] if n != "checked_on"] + ["weather"]
    return schema, ui


@pytest.fixture
def two_versions(app_version, people):
    """The small app at v1 and v2 (v2 removed fields; v1 submissions keep their answers)."""
    schema, ui = v2_definition()
    app = app_version.app
    light_app_save_draft(app=app, schema=schema, ui=ui, flow=SMALL_FLOW)
    v2 = light_app_publish(app=app, actor=people["designer"])
    return app_version, v2


def submit_as(version, person, data):
    submission, _ = report_submit(
        submission_id=uuid.uuid4(), version=version, reporter=person, data=data
    )
    return submission


@pytest.fixture
def filled(two_versions, people, make_photo):
    """One v1 submission (two hazards) and one v2 submission, both by the owner."""
    v1, v2 = two_versions
    photo1, photo2 = make_photo(people["owner"]), make_photo(people["owner"])
    old = valid_data([photo1.pk])
    old["hazards"] = [{"kind": "tile", "severity": "high"}, {"kind": "ac", "severity": "low"}]
    s1 = submit_as(v1, people["owner"], old)
    new = valid_data([photo2.pk])
    del new["checked_on"]
    new["hazards"] = [{"kind": "tile"}]
    new["weather"] = "rain"
    new["address"] = '=HYPERLINK("http://evil")'
    s2 = submit_as(v2, people["owner"], new)
    return {"v1": v1, "v2": v2, "old": s1, "new": s2, "photos": [photo1, photo2]}
