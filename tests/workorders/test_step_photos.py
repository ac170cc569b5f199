"""Photos of a step (处置后、核查照片): where the flow takes them, whose they may be, who sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lightapps.errors import DomainError
from lightapps.submissions.models import Attachment
from lightapps.submissions.services import attachment_create
from lightapps.workorders.models import WorkOrderEvent
from lightapps.workorders.steps import MAX_STEP_PHOTOS
from tests.workorders.conftest import take


@pytest.fixture
def dispatched(make_order, people, walk):
    return walk(make_order(people["owner"]), "dispatched")


def _refused(order, action, actor, photos, code="bad_photos"):
    before = WorkOrderEvent.objects.filter(order=order).count()
    with pytest.raises(DomainError) as caught:
        take(order, action, actor, photos=photos)
    order.refresh_from_db()
    assert WorkOrderEvent.objects.filter(order=order).count() == before
    assert caught.value.code == code
    return caught.value


def test_handling_with_photos_keeps_them_on_the_step_and_with_the_report(
    dispatched, people, make_photo, client
):
    # given
    handler = people["handler"]
    photos = [make_photo(handler), make_photo(handler)]

    # when: the same photo sent twice counts once
    done = take(dispatched, "handle", handler, photos=[p.pk for p in photos] + [photos[0].pk])

    # then
    event = done.events.get(action="handle")
    assert event.data["photos"] == [str(p.pk) for p in photos]
    assert set(Attachment.objects.filter(submission=done.submission)) >= set(photos)
    # the street's supervisor may open them; the next street's may not
    client.force_login(people["supervisor"])
    assert client.get(f"/attachments/{photos[0].pk}/").status_code == 200
    client.force_login(people["smr_supervisor"])
    assert client.get(f"/attachments/{photos[0].pk}/").status_code == 404


def test_a_photo_is_refused_on_a_step_that_takes_none(make_order, people, make_photo):
    order = make_order(people["owner"])
    photo = make_photo(people["dispatcher"])

    error = _refused(order, "file", people["dispatcher"], [photo.pk])

    assert error.fields == {"photos": ["“立案”不需要上传照片"]}
    assert order.state == "reported"
    assert Attachment.objects.get(pk=photo.pk).submission is None


def test_someone_elses_photo_is_refused(dispatched, people, make_photo):
    photo = make_photo(people["colleague"])

    error = _refused(dispatched, "handle", people["handler"], [photo.pk])

    assert error.fields == {"photos": ["请重新上传照片"]}
    assert dispatched.state == "dispatched"


def test_a_photo_already_used_is_refused(dispatched, people, make_photo, walk):
    # given: the handler's photo went with the first handling
    photo = make_photo(people["handler"])
    handled = take(dispatched, "handle", people["handler"], photos=[photo.pk])
    back = take(handled, "rework", people["supervisor"])

    # when / then: the same photo again is not a new photo
    _refused(back, "handle", people["handler"], [photo.pk])


def test_a_document_is_not_a_photo(dispatched, people):
    pdf = attachment_create(
        uploader=people["handler"],
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )

    _refused(dispatched, "handle", people["handler"], [pdf.pk])


def test_a_malformed_photo_id_is_refused(dispatched, people):
    error = _refused(dispatched, "handle", people["handler"], ["not-a-uuid"])

    assert error.fields == {"photos": ["照片编号不正确"]}


def test_too_many_photos_are_refused(dispatched, people, make_photo):
    photos = [make_photo(people["handler"]).pk for _ in range(MAX_STEP_PHOTOS + 1)]

    error = _refused(dispatched, "handle", people["handler"], photos)

    assert error.fields == {"photos": [f"每次办理最多上传 {MAX_STEP_PHOTOS} 张照片"]}
