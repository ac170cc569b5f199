import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.submissions.services import attachment_create
from tests.fixtures.field_kinds import KINDS_FLOW, KINDS_SCHEMA, KINDS_UI


@pytest.fixture
def make_kinds_version(tree, people):
    """A published app with one field of every kind, under a given flow (records only)."""

    def make(*, key="kinds", flow=KINDS_FLOW):
        app = light_app_create(
            key=key,
            name="字段类型演示",
            owner_unit=tree["district"],
            schema=KINDS_SCHEMA,
            ui=KINDS_UI,
            flow=flow,
        )
        return light_app_publish(app=app, actor=people["designer"])

    return make


@pytest.fixture
def kinds_version(make_kinds_version):
    return make_kinds_version()


@pytest.fixture
def make_pdf(make_photo):
    def make(person, name="告知书.pdf"):
        body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        return attachment_create(
            uploader=person, upload=SimpleUploadedFile(name, body, "application/pdf")
        )

    return make
