"""Intake: photo uploads and idempotent submits."""

import hashlib
import io
import json
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import router, transaction
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from lightapps.definitions.dialect import (
    answer_paths,
    attachment_paths,
    logic_filled,
    submission_check,
)
from lightapps.definitions.models import LightAppVersion
from lightapps.definitions.selectors import org_unit_choices, person_choices, version_fields
from lightapps.errors import Conflict, DomainError, Forbidden
from lightapps.orgs.models import Person
from lightapps.orgs.selectors import home_unit_of

from .models import Attachment, Submission

PHOTO_MAX_SIDE = 2560
# A photo's pixels are counted from its header before anything is decoded: a 236 KB PNG of 81
# megapixels would cost ~880 MiB to decode. 50 MP holds an 8000×6000 phone photo. Pillow's own
# bomb check (which only warns below twice its limit) is set to the same count as a second line.
PHOTO_MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS


# Fields whose uploads must be images.
IMAGE_KINDS = frozenset({"photos", "signature"})


class InvalidSubmission(DomainError):
    code = "invalid_submission"


def attachment_create(*, uploader: Person, upload) -> Attachment:
    """附件: sniff the bytes (not the name), re-encode as JPEG without metadata, store."""
    unit = home_unit_of(uploader)
    if unit is None:
        raise Forbidden(_("您不属于任何组织，不能上传照片"), code="no_org_unit")
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise DomainError(
            _("照片太大：不能超过 %d MB") % (settings.PHOTO_MAX_BYTES // (1024 * 1024)),
            code="file_too_large",
            status=413,
        )
    raw = upload.read()
    document = _document_type(raw)
    name = (getattr(upload, "name", "") or "").lower()
    # A document is taken when its bytes and its name agree (a ".jpg" holding a PDF is refused as
    # a bad photo); it is stored as sent, since documents are not re-encoded.
    if document is not None and name.rsplit(".", 1)[-1] == document[0]:
        return _document_create(uploader, unit, upload, raw, *document)
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # reads the header only
            _pixels_check(probe)
            probe.verify()
        image = Image.open(io.BytesIO(raw))
        if image.format not in {"JPEG", "PNG", "WEBP", "HEIF", "GIF", "BMP"}:
            raise UnidentifiedImageError(image.format)
        if image.format == "JPEG":  # decode at the smallest scale that still fills the box
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DomainError(_("文件不是可识别的照片"), code="bad_file") from exc
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    body = out.getvalue()
    attachment = Attachment(
        uploader=uploader,
        org_unit=unit,
        extension="jpg",
        content_type="image/jpeg",
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        width=image.width,
        height=image.height,
        original_name=(getattr(upload, "name", "") or "")[:200],
        created_at=timezone.now(),
    )
    attachment.file.save(f"{attachment.id}.jpg", ContentFile(body), save=False)
    attachment.save()
    return attachment


def _pixels_check(image) -> None:
    width, height = image.size
    if width * height > PHOTO_MAX_PIXELS:
        raise DomainError(
            _("照片像素太多：不能超过 %d 万像素") % (PHOTO_MAX_PIXELS // 10_000),
            code="too_many_pixels",
            fields={"file": [_("%(w)d×%(h)d 像素的照片太大") % {"w": width, "h": height}]},
            status=413,
        )


# Documents a "files" field takes besides photos, recognised by their first bytes (not the name).
_DOCUMENTS = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"PK\x03\x04", "zip", "application/zip"),  # .docx/.xlsx; refined below
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "application/octet-stream"),  # .doc/.xls
]
_OFFICE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}


def _document_type(raw: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a PDF or Office document, None for anything else."""
    for magic, ext, content_type in _DOCUMENTS:
        if raw.startswith(magic):
            if ext == "zip":
                if b"word/" in raw:
                    return "docx", _OFFICE["docx"]
                if b"xl/" in raw:
                    return "xlsx", _OFFICE["xlsx"]
                return None  # some other zip: refused
            if ext == "ole":
                return (
                    ("xls", _OFFICE["xls"])
                    if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in raw
                    else ("doc", _OFFICE["doc"])
                )
            return ext, content_type
    return None


def _document_create(uploader: Person, unit, upload, raw: bytes, ext: str, content_type: str):
    """A document is stored as sent (documents are not re-encoded), with its hash."""
    attachment = Attachment(
        uploader=uploader,
        org_unit=unit,
        extension=ext,
        content_type=content_type,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        width=0,
        height=0,
        original_name=(getattr(upload, "name", "") or "")[:200],
        created_at=timezone.now(),
    )
    attachment.file.save(f"{attachment.id}.{ext}", ContentFile(raw), save=False)
    attachment.save()
    return attachment


def _location_of(data: dict, fields: list[dict]) -> tuple[float | None, float | None, float | None]:
    for f in fields:
        value = data.get(f["name"])
        if f["kind"] == "location" and isinstance(value, dict):
            return value.get("lat"), value.get("lng"), value.get("accuracy")
    return None, None, None


def submission_store(
    *,
    submission_id: uuid.UUID,
    version: LightAppVersion,
    reporter: Person,
    data: dict,
    device_time: datetime | None = None,
    placed: Callable[[Submission], None] | None = None,
) -> tuple[Submission, bool]:
    """Validate and store a submission (faces call workorders.opening.report_submit, which
    also opens its work order in the same transaction).

    The report lies in the reporter's unit (place_path) unless `placed`, called with the valid
    submission just before its insert, puts it elsewhere: report_submit gives it the scope of
    the work order it opens there.

    Returns (submission, created). The id is the phone's, and a resend is judged the way ODK
    Central judges one: the same id with the same payload returns the stored submission
    (created False), also while the first send is still committing; the same id with another
    payload raises Conflict `id_taken` naming what differs (`_replay_differences`), also when
    this send would be refused for itself, so invalid data under a stored id is a 409, not a 400.

    A report that passes costs two statements here: the insert, which is the resend check too
    (ON CONFLICT DO NOTHING), and one UPDATE that checks and claims its uploads; the stored row
    is read only when the id was taken or something is refused.
    """
    # Computed answers the client left out are the server's (the stored data holds them), filled
    # before a resend is compared, so a resend without them is the same report.
    data = logic_filled(version.schema, version.ui, data)

    def refused(error: DomainError) -> tuple[Submission, bool]:
        # A refusal is first checked against a stored submission of this id (rare, so asked
        # only here): a resend of a stored report is answered as one, whatever changed since.
        existing = Submission.objects.filter(pk=submission_id).first()
        if existing is not None:
            return _replayed(existing, version=version, reporter=reporter, data=data), False
        raise error

    if version.app.disabled_at is not None:
        return refused(
            Conflict(_("“%s”已停用，不再接收上报") % version.app.name, code="app_disabled")
        )
    unit = home_unit_of(reporter)
    if unit is None:
        return refused(Forbidden(_("您不属于任何组织，不能上报"), code="no_org_unit"))
    checked = submission_check(version, data)
    fields = version_fields(version)
    wanted, errors = _attachments_wanted(data, fields)
    errors |= checked.fields
    if not errors:
        errors |= _picker_errors(data, fields, reporter)
    if errors:
        # A computed answer not the server's is named so by its own code.
        code = "computed_mismatch" if checked.forged else InvalidSubmission.code
        return refused(InvalidSubmission(_("请检查标红的项目"), code=code, fields=errors))
    lat, lng, accuracy = _location_of(data, fields)
    submission = Submission(
        id=submission_id,
        app=version.app,
        version=version,
        reporter=reporter,
        org_unit=unit,
        data=data,
        latitude=lat,
        longitude=lng,
        accuracy=accuracy,
        device_time=device_time,
        place_path=unit.path,
    )
    if placed is not None:
        placed(submission)
    # No savepoint of its own: inside report_submit's transaction a refusal below rolls the
    # insert back with the rest; called alone, this is the transaction.
    with transaction.atomic(savepoint=False):
        if not _insert_new(submission):
            # The id is stored (a resend; on PostgreSQL a racing first send was waited for until
            # it committed): judge this send against what is stored.
            existing = Submission.objects.get(pk=submission_id)
            return _replayed(existing, version=version, reporter=reporter, data=data), False
        if wanted and not _attachments_claimed(submission, wanted, reporter):
            errors = _attachment_errors(data, fields, reporter, submission_id)
            raise InvalidSubmission(_("请检查标红的项目"), fields=errors or _attachments_gone())
    return submission, True


def _insert_new(submission: Submission) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: the resend check and the insert in one statement, with
    no savepoint. True when this call stored the row, False when the id was taken."""
    fields = [f for f in Submission._meta.concrete_fields]
    query = InsertQuery(Submission, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [submission])
    compiler = query.get_compiler(using=router.db_for_write(Submission))
    with compiler.connection.cursor() as cursor:
        for sql, params in compiler.as_sql():
            cursor.execute(sql, params)
        stored = cursor.rowcount == 1
    submission._state.adding = False
    submission._state.db = compiler.using
    return stored


def _attachments_wanted(data: dict, fields: list[dict]) -> tuple[dict, dict]:
    """The uploads the answers name ({id: images only}) and the paths whose ids are malformed."""
    wanted: dict[uuid.UUID, bool] = {}
    errors: dict[str, list[str]] = {}
    for path, kind, ids in attachment_paths(data, fields):
        try:
            parsed = {uuid.UUID(str(i)) for i in ids}
        except ValueError:
            errors[path] = [_("附件编号不正确，请重新上传")]
            continue
        for pk in parsed:
            wanted[pk] = wanted.get(pk, False) or kind in IMAGE_KINDS
    return wanted, errors


def _attachments_claimed(submission: Submission, wanted: dict, reporter: Person) -> bool:
    """Claim the uploads for the submission in one UPDATE: each must be the reporter's, not yet
    used, and an image where the field takes images. True when every one was claimed; on
    PostgreSQL a concurrent claim of the same upload waits and then finds it taken."""
    images = [pk for pk, image_only in wanted.items() if image_only]
    others = [pk for pk, image_only in wanted.items() if not image_only]
    kind_ok = Q(pk__in=others) | Q(pk__in=images, content_type__startswith="image/")
    claimed = (
        Attachment.objects.filter(kind_ok, uploader=reporter, submission__isnull=True)
        .filter(pk__in=list(wanted))
        .update(submission=submission)
    )
    return claimed == len(wanted)


def _attachments_gone() -> dict:
    # The uploads were there when checked and taken a moment later (a racing claim).
    return {"attachments": [_("有照片或文件已被另一份上报使用，请重新上传")]}


def _canonical(data) -> object:
    """The payload as the database gives it back: JSON round-tripped, so tuples are lists and
    key order does not matter (PostgreSQL's jsonb reorders keys; dicts compare unordered)."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def _replay_differences(
    existing: Submission, *, version: LightAppVersion, reporter: Person, data: dict
) -> dict[str, list[str]]:
    """What a resend changes against the stored submission, as field errors; empty = identical.

    Compared: the app, the person, the form version number and the answers (`data`, each
    top-level answer on its own, in canonical JSON form). Not compared: `device_time` (the phone
    stamps it on every press, so an honest resend after reopening the page carries a new one).
    Another app or another person is named alone: their answers are not compared, so a 409
    says nothing about someone else's report.
    """
    if existing.app_id != version.app_id:
        return {"app": [_("该编号已用于另一个应用的上报")]}
    if existing.reporter_id != reporter.pk:
        return {"reporter": [_("该编号已用于另一个人的上报")]}
    differences: dict[str, list[str]] = {}
    if existing.version_id != version.pk:
        differences["version"] = [_("已收到的上报填写的是第 %d 版") % existing.version.number]
    stored, sent = existing.data or {}, _canonical(data)
    for name in sorted(set(stored) | set(sent)):
        if stored.get(name) != sent.get(name) or (name in stored) != (name in sent):
            differences[f"data.{name}"] = [_("与已收到的上报不同")]
    return differences


def _replayed(
    existing: Submission, *, version: LightAppVersion, reporter: Person, data: dict
) -> Submission:
    differences = _replay_differences(existing, version=version, reporter=reporter, data=data)
    if differences:
        raise Conflict(
            _(
                "这份上报的编号已被另一份内容不同的上报使用，未重复保存；"
                "如需再报，请重新提交为一份新的上报"
            ),
            code="id_taken",
            fields=differences,
        )
    return existing


def _attachment_errors(
    data: dict, fields: list[dict], reporter: Person, submission_id: uuid.UUID
) -> dict:
    """Photos, files and signatures must be the reporter's own uploads, not used by another
    submission (a resend racing its first send finds them claimed by this very id); photos and
    signatures must be images."""
    errors: dict[str, list[str]] = {}
    wanted_by_path = []
    for path, kind, ids in attachment_paths(data, fields):
        try:
            wanted_by_path.append((path, kind, {uuid.UUID(str(i)) for i in ids}))
        except ValueError:
            errors[path] = [_("附件编号不正确，请重新上传")]
    # Every path's uploads in one query, however many photo fields and groups the form has.
    every = set().union(*(w for _p, _k, w in wanted_by_path)) if wanted_by_path else set()
    usable = dict(
        Attachment.objects.filter(pk__in=every, uploader=reporter)
        .filter(Q(submission__isnull=True) | Q(submission_id=submission_id))
        .values_list("pk", "content_type")
        if every
        else []
    )
    for path, kind, wanted in wanted_by_path:
        images_only = kind in IMAGE_KINDS
        ok = all(
            pk in usable and (not images_only or usable[pk].startswith("image/")) for pk in wanted
        )
        if not ok:
            errors[path] = [
                _("有照片未上传成功或已被使用，请重新上传")
                if kind == "photos"
                else _("签名未保存成功，请重新签字")
                if kind == "signature"
                else _("有文件未上传成功或已被使用，请重新上传")
            ]
    return errors


def _picker_errors(data: dict, fields: list[dict], reporter: Person) -> dict:
    """An org unit or a person picked must be one the reporter was offered (their street)."""
    errors: dict[str, list[str]] = {}
    offered: dict[str, set] = {}
    for path, field, value in answer_paths(data, fields, {"orgunit", "person"}):
        key = f"{field['kind']}:{field.get('levels')}:{field.get('roles')}"
        if key not in offered:
            choices = (
                org_unit_choices(person=reporter, levels=field["levels"])
                if field["kind"] == "orgunit"
                else person_choices(person=reporter, roles=field["roles"])
            )
            offered[key] = {c["value"] for c in choices}
        if value not in offered[key]:
            errors[path] = [_("“%s”不在可选范围内") % field["title"]]
    return errors
