"""Every kind of field on the server: a valid answer is stored, a wrong one refused at its path
with a Chinese message naming the field."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lightapps.definitions.dialect import WIDGETS, definition_problems, fields_of
from lightapps.errors import DomainError
from lightapps.submissions.display import answers_for_display
from lightapps.submissions.models import Attachment, Submission
from lightapps.workorders.opening import report_submit
from tests.conftest import submit_as
from tests.fixtures.field_kinds import KINDS_FLOW, KINDS_SCHEMA, KINDS_UI, kinds_data


def _all(fields):
    out = []
    for f in fields:
        out.append(f)
        out += _all(f.get("fields", []))
    return out


def test_the_kinds_app_has_every_kind_and_publishes(db):
    # when
    fields = _all(fields_of(KINDS_SCHEMA, KINDS_UI))

    # then
    assert {f["kind"] for f in fields} == WIDGETS
    assert definition_problems(KINDS_SCHEMA, KINDS_UI, KINDS_FLOW) == []


@pytest.fixture
def answers(kinds_version, people, tree, make_photo, make_pdf):
    owner = people["owner"]

    def make(**extra):
        attachments = {
            "papers": [str(make_pdf(owner).pk)],
            "signature": str(make_photo(owner, "signature.png").pk),
        }
        return kinds_data(
            photo=str(make_photo(owner).pk),
            grid=tree["jny_grid1"].pk,
            handler=people["handler"].username,
            **{**attachments, **extra},
        )

    return make


def _submit(version, person, data):
    return report_submit(submission_id=uuid.uuid4(), version=version, reporter=person, data=data)


def test_a_valid_answer_of_every_kind_is_stored_with_its_attachments(
    kinds_version, people, answers
):
    # given
    data = answers()

    # when
    submission, created = _submit(kinds_version, people["owner"], data)

    # then
    assert created is True
    assert Submission.objects.get().data == data
    bound = set(Attachment.objects.filter(submission=submission).values_list("pk", flat=True))
    assert {str(pk) for pk in bound} == {data["photos"][0], data["papers"][0], data["signature"]}
    rows = {r["name"]: r for r in answers_for_display(KINDS_SCHEMA, KINDS_UI, data)}
    assert rows["grid"]["text"] == "江宁路第1网格"
    assert rows["handler"]["text"] == "陈处置"
    assert rows["id_number"]["text"] == "110105********002X"
    assert rows["score"]["text"] == "★★★★☆（4/5）"
    assert rows["papers"]["text"] == "告知书.pdf"
    assert rows["signature"]["photos"][0]["id"] == data["signature"]
    assert "intro" not in rows and "tip" not in rows


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "点"}, {"name": ["“名称”至少需要 2 个字"]}),
        ({"story": "长" * 201}, {"story": ["“经过”最多 200 个字"]}),
        ({"floors": 101}, {"floors": ["“层数”不能大于 100"]}),
        ({"floors": 2.5}, {"floors": ["“层数”应为整数"]}),
        ({"area": -1}, {"area": ["“面积”不能小于 0"]}),
        ({"area": "十二"}, {"area": ["“面积”应为数字"]}),
        ({"severity": "mid"}, {"severity": ["“程度”不符合任何一种允许的填法"]}),
        ({"category": "z"}, {"category": ["“类别”不是可选的选项"]}),
        ({"issues": ["noise", "noise"]}, {"issues": ["“问题”中有重复项"]}),
        ({"urgent": "是"}, {"urgent": ["“是否紧急”应为是或否"]}),
        ({"day": "2026-02-30"}, {"day": ["“日期”应为日期（如 2026-11-23）"]}),
        ({"clock": "25:00:00+08:00"}, {"clock": ["“时间”应为时间（如 09:30:00+08:00）"]}),
        (
            {"moment": "2026-11-23 09:30"},
            {"moment": ["“时刻”应为日期时间（如 2026-11-23T09:30:00+08:00）"]},
        ),
        ({"photos": []}, {"photos": ["“照片”至少需要 1 项"]}),
        ({"location": {"lng": 121.4}}, {"location.lat": ["请填写“lat”"]}),
        ({"address": "江宁"}, {"address": ["“地址”至少需要 4 个字"]}),
        ({"mobile": "12812345678"}, {"mobile": ["“手机”应为11 位手机号码"]}),
        (
            {"id_number": "110105194912310021"},
            {"id_number": ["“身份证号”应为有效的 18 位居民身份证号码"]},
        ),
        ({"score": 6}, {"score": ["“评分”不能大于 5"]}),
        ({"rooms": []}, {"rooms": ["“房间”至少需要 1 项"]}),
        ({"rooms": [{"people": 1}]}, {"rooms[0].room": ["请填写“房号”"]}),
        ({"rooms": [{"room": "1", "cat": 1}]}, {"rooms[0].cat": ["“cat”不是此表单的字段"]}),
        ({"intro": "x"}, {"intro": ["“基本情况”应为空值"]}),
        ({"noise_db": None}, {"noise_db": ["“噪声分贝”应为数字"]}),
    ],
)
def test_a_wrong_answer_of_each_kind_is_refused_at_its_path(
    kinds_version, people, answers, change, expected
):
    # given
    data = {**answers(), **change}

    # when
    with pytest.raises(DomainError) as caught:
        _submit(kinds_version, people["owner"], data)

    # then
    assert caught.value.code == "invalid_submission"
    assert caught.value.fields == expected
    assert Submission.objects.count() == 0
    assert not Attachment.objects.filter(submission__isnull=False).exists()


def test_a_condition_on_a_multiple_choice_requires_and_hides_its_field(
    kinds_version, people, answers
):
    # given: 噪声 chosen but no decibels; then 噪声 not chosen but decibels sent
    data = answers()
    missing = {k: v for k, v in data.items() if k != "noise_db"}
    hidden = {**data, "issues": ["dust"]}

    # when
    with pytest.raises(DomainError) as missing_error:
        _submit(kinds_version, people["owner"], missing)
    with pytest.raises(DomainError) as hidden_error:
        _submit(kinds_version, people["owner"], hidden)

    # then
    assert missing_error.value.fields == {"noise_db": ["请填写“噪声分贝”"]}
    assert hidden_error.value.fields == {"noise_db": ["按当前的选择，不应填写“噪声分贝”"]}
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("pick", "expected"),
    [
        (lambda tree, people: {"grid": tree["smr_grid1"].pk}, {"grid": ["“网格”不在可选范围内"]}),
        (lambda tree, people: {"grid": tree["jny"].pk}, {"grid": ["“网格”不在可选范围内"]}),
        (
            lambda tree, people: {"handler": people["outsider"].username},
            {"handler": ["“处置人”不在可选范围内"]},
        ),
        (
            lambda tree, people: {"handler": people["colleague"].username},
            {"handler": ["“处置人”不在可选范围内"]},
        ),
    ],
)
def test_pickers_take_only_what_the_person_was_offered(
    kinds_version, people, tree, answers, pick, expected
):
    # given: a grid of the next street, a street where a grid is asked, a person of the next
    # street, a colleague who is not a handler
    data = {**answers(), **pick(tree, people)}

    # when
    with pytest.raises(DomainError) as caught:
        _submit(kinds_version, people["owner"], data)

    # then
    assert caught.value.fields == expected
    assert Submission.objects.count() == 0


def test_attachments_must_be_the_reporters_own_and_of_the_right_kind(
    kinds_version, people, answers, make_photo, make_pdf
):
    # given: a signature that is a PDF, a file uploaded by the colleague
    data = answers(
        signature=str(make_pdf(people["owner"]).pk),
        papers=[str(make_pdf(people["colleague"]).pk)],
    )

    # when
    with pytest.raises(DomainError) as caught:
        _submit(kinds_version, people["owner"], data)

    # then
    assert caught.value.fields == {
        "papers": ["有文件未上传成功或已被使用，请重新上传"],
        "signature": ["签名未保存成功，请重新签字"],
    }
    assert not Attachment.objects.filter(submission__isnull=False).exists()


def test_a_document_is_stored_as_sent_and_a_disguised_one_refused(people, make_pdf):
    # when
    pdf = make_pdf(people["owner"])

    # then
    assert (pdf.extension, pdf.content_type, pdf.width) == ("pdf", "application/pdf", 0)
    with pytest.raises(DomainError) as caught:
        make_pdf(people["owner"], name="photo.jpg")
    assert caught.value.code == "bad_file"


def test_every_kind_reads_on_the_consoles_report_page(client, kinds_version, people, answers):
    # given
    data = answers()
    submission, _ = _submit(kinds_version, people["owner"], data)
    client.force_login(people["supervisor"])

    # when
    response = client.get(f"/console/submissions/{submission.pk}/")

    # then: files are links by name, pictures are pictures, an ID stays masked
    html = response.content.decode()
    assert response.status_code == 200
    paper = data["papers"][0]
    assert f'<a href="/attachments/{paper}/" target="_blank" rel="noopener">告知书.pdf</a>' in html
    assert f'<img src="/attachments/{data["signature"]}/"' in html
    assert f'<img src="/attachments/{data["photos"][0]}/"' in html
    assert "110105********002X" in html and data["id_number"] not in html
    for text in ["检查点", "6 层", "严重", "丙", "扬尘、噪声", "是", "2026-11-23 09:30", "陈处置"]:
        assert text in html


def test_a_file_answer_is_a_link_on_the_phones_work_order_page(
    client, people, answers, make_kinds_version
):
    # given: the kinds app with a flow, so that a report opens an order
    version = make_kinds_version(key="kinds-loop", flow={"template": "closed_loop"})
    data = answers()
    submission, _ = _submit(version, people["owner"], data)
    client.force_login(people["owner"])

    # when
    response = client.get(f"/m/work-orders/{submission.work_order.pk}/")

    # then
    html = response.content.decode()
    paper = data["papers"][0]
    assert f'<a href="/attachments/{paper}/" target="_blank" rel="noopener">告知书.pdf</a>' in html


def test_the_uploads_of_every_field_are_checked_in_one_query(
    kinds_version, people, make_photo, make_pdf, tree
):
    """Photos, files and a signature in three fields: one UPDATE checks and claims them all (a
    facade report has five such fields and groups of photos); no SELECT asks first."""
    owner = people["owner"]
    photo, signature, pdf = make_photo(owner), make_photo(owner, "sig.png"), make_pdf(owner)
    data = kinds_data(photo=str(photo.pk), grid=tree["jny_grid2"].pk, handler="handler")
    data.update({"papers": [str(pdf.pk)], "signature": str(signature.pk)})

    with CaptureQueriesContext(connection) as ctx:
        submit_as(kinds_version, owner, data)

    touching = [q["sql"] for q in ctx.captured_queries if "submissions_attachment" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("UPDATE"), touching
    claimed = Attachment.objects.filter(pk__in=[photo.pk, signature.pk, pdf.pk])
    assert {a.submission_id for a in claimed} == {Submission.objects.get().pk}


def test_a_signature_that_is_no_image_is_still_refused_beside_good_photos(
    kinds_version, people, make_photo, make_pdf, tree
):
    owner = people["owner"]
    photo, pdf = make_photo(owner), make_pdf(owner)
    data = kinds_data(photo=str(photo.pk), grid=tree["jny_grid2"].pk, handler="handler")
    data.update({"papers": [str(pdf.pk)], "signature": str(pdf.pk)})

    with pytest.raises(DomainError) as refused:
        submit_as(kinds_version, owner, data)

    assert refused.value.fields == {"signature": ["签名未保存成功，请重新签字"]}
