"""Masked by default, revealed on purpose: the rules, and every output for three people.

The people: the street supervisor (may see and reveal), the street handler and a grid colleague
(may see, may not reveal), the reporter (sees their own report masked) and outsiders of the next
street (see nothing).
"""

import copy
import io
import uuid

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lightapps.audit.models import AuditEntry
from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.errors import DomainError
from lightapps.submissions.masking import (
    FULL_MASK,
    answers_masked,
    mask_value,
    reveal_parse,
    sensitive_fields,
)
from lightapps.submissions.selectors import may_reveal
from lightapps.workorders.messages import message_body
from lightapps.workorders.opening import report_submit
from tests.fixtures.definitions import SMALL_FLOW, SMALL_SCHEMA, SMALL_UI, valid_data

ID = "11010519491231002X"
ID_MASKED = "110105********002X"
MOBILE = "13812345678"
MOBILE_MASKED = "138****5678"
WITNESS_ID = "310106199001011236"
WITNESS_PHONE = "13900001111"
LAT, LNG = 31.236345, 121.451234


def personal_definition():
    """The small app with the owner's ID and mobile, and witnesses (a repeated group) with theirs;
    the ID comes first in the form, so a title could only pick it if it ignored kinds."""
    schema = copy.deepcopy(SMALL_SCHEMA)
    schema["properties"]["owner_id"] = {
        "type": "string",
        "format": "cn-resident-id",
        "title": "业主身份证号",
    }
    schema["properties"]["owner_mobile"] = {
        "type": "string",
        "format": "cn-mobile",
        "title": "业主手机",
    }
    schema["properties"]["witnesses"] = {
        "type": "array",
        "title": "证人",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "title": "姓名"},
                "id_number": {"type": "string", "format": "cn-resident-id", "title": "身份证号"},
                "phone": {"type": "string", "format": "cn-mobile", "title": "电话"},
            },
            "required": ["name"],
            "additionalProperties": False,
        },
    }
    ui = copy.deepcopy(SMALL_UI)
    ui["ui:order"] = ["owner_id", "owner_mobile", *ui["ui:order"], "witnesses"]
    ui["owner_id"] = {"ui:widget": "idcard"}
    ui["owner_mobile"] = {"ui:widget": "mobile"}
    return schema, ui


def personal_data(photo_ids) -> dict:
    data = valid_data(photo_ids)
    data["location"] = {"lat": LAT, "lng": LNG, "accuracy": 8.0}
    data["owner_id"] = ID
    data["owner_mobile"] = MOBILE
    data["witnesses"] = [
        {"name": "钱证人", "id_number": WITNESS_ID, "phone": WITNESS_PHONE},
        {"name": "孙证人"},
    ]
    return data


CLEAR = [ID, MOBILE, WITNESS_ID, WITNESS_PHONE, "31.236345", "121.451234"]


def assert_no_clear(text: str, *, but=()):
    for value in CLEAR:
        if value not in but:
            assert value not in text, value


# ---------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("idcard", ID, ID_MASKED),
        ("idcard", "310106199001011234", "310106********1234"),
        ("idcard", "12345", FULL_MASK),
        ("idcard", "1101051949123100", FULL_MASK),
        ("idcard", "11010519491231002XX", FULL_MASK),
        ("idcard", "ABCDEFGHIJKLMNOPQR", FULL_MASK),
        ("idcard", 110105194912310021, FULL_MASK),
        ("idcard", [ID], FULL_MASK),
        ("idcard", {"id": ID}, FULL_MASK),
        ("mobile", MOBILE, MOBILE_MASKED),
        ("mobile", "1381234567", FULL_MASK),
        ("mobile", "+8613812345678", FULL_MASK),
        ("mobile", 13812345678, FULL_MASK),
        ("mobile", True, FULL_MASK),
        ("location", {"lat": "31.2", "lng": 121.4}, FULL_MASK),
        ("location", {"lat": True, "lng": 121.4}, FULL_MASK),
        ("location", {"lng": 121.4}, FULL_MASK),
        ("location", [31.2363, 121.4512], FULL_MASK),
        ("location", "31.2363,121.4512", FULL_MASK),
        ("idcard", None, None),
        ("mobile", "", ""),
        ("location", {}, {}),
    ],
)
def test_mask_value(kind, value, masked):
    assert mask_value(kind, value) == masked


def test_a_location_is_rounded_to_about_100_m_and_says_so():
    # when
    masked = mask_value("location", {"lat": LAT, "lng": LNG, "accuracy": 8.0, "addr": "x"})

    # then
    assert masked == {"lat": 31.236, "lng": 121.451, "accuracy": 100, "masked": True}
    assert mask_value("location", {"lat": LAT, "lng": LNG})["accuracy"] == 100
    assert mask_value("location", {"lat": LAT, "lng": LNG, "accuracy": 350.4})["accuracy"] == 350


def test_sensitive_fields_are_found_by_kind_in_groups_too():
    schema, ui = personal_definition()
    assert sensitive_fields(schema, ui) == {
        "owner_id": "idcard",
        "owner_mobile": "mobile",
        "location": "location",
        "witnesses[].id_number": "idcard",
        "witnesses[].phone": "mobile",
    }


def test_answers_masked_masks_a_deep_copy_inside_repeated_groups():
    # given
    schema, ui = personal_definition()
    data = personal_data(["00000000-0000-0000-0000-000000000001"])
    before = copy.deepcopy(data)

    # when
    masked = answers_masked(schema, ui, data)

    # then
    assert data == before  # the stored answers are never touched
    assert masked["owner_id"] == ID_MASKED
    assert masked["owner_mobile"] == MOBILE_MASKED
    assert masked["location"]["masked"] is True
    assert masked["witnesses"][0] == {
        "name": "钱证人",
        "id_number": "310106********1236",
        "phone": "139****1111",
    }
    assert masked["witnesses"][1] == {"name": "孙证人"}
    assert masked["address"] == data["address"]
    assert masked["hazards"] == data["hazards"]
    assert_no_clear(str(masked))


def test_answers_masked_reveals_only_the_fields_named():
    schema, ui = personal_definition()
    data = personal_data([])

    masked = answers_masked(schema, ui, data, reveal={"owner_id", "witnesses[].phone"})

    assert masked["owner_id"] == ID
    assert masked["owner_mobile"] == MOBILE_MASKED
    assert masked["witnesses"][0]["phone"] == WITNESS_PHONE
    assert masked["witnesses"][0]["id_number"] == "310106********1236"
    assert masked["location"]["lat"] == 31.236


def test_a_malformed_group_holding_personal_data_is_masked_fully():
    schema, ui = personal_definition()

    masked = answers_masked(schema, ui, {"witnesses": {"id_number": ID}})
    assert masked["witnesses"] == FULL_MASK
    masked = answers_masked(schema, ui, {"witnesses": [ID, {"id_number": ID}]})
    assert masked["witnesses"] == [FULL_MASK, {"id_number": ID_MASKED}]


def test_reveal_names_are_checked():
    names = {"owner_id": "idcard", "witnesses[].phone": "mobile"}
    assert reveal_parse("", names) == frozenset()
    assert reveal_parse(" owner_id , witnesses[].phone ", names) == set(names)
    assert reveal_parse("*", names) == set(names)
    with pytest.raises(DomainError) as refused:
        reveal_parse("owner_id,address,nope", names)
    assert refused.value.code == "invalid"
    assert "address" in refused.value.fields["reveal"][0]
    assert "nope" in refused.value.fields["reveal"][0]


# ---------------------------------------------------------------------------------------------
# Every output, for the people of the tree
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def personal(tree, people, make_photo, django_capture_on_commit_callbacks):
    """A published app with personal data and one report of the owner's, with its work order."""
    schema, ui = personal_definition()
    app = light_app_create(
        key="personal-test",
        name="住户登记",
        owner_unit=tree["district"],
        schema=schema,
        ui=ui,
        flow=SMALL_FLOW,
    )
    version = light_app_publish(app=app, actor=people["designer"])
    photo = make_photo(people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        submission, _created = report_submit(
            submission_id=uuid.uuid4(),
            version=version,
            reporter=people["owner"],
            data=personal_data([photo.pk]),
        )
    return {
        "app": app,
        "version": version,
        "submission": submission,
        "order": submission.work_order,
    }


def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def reveals():
    return AuditEntry.objects.filter(action="data.reveal")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("supervisor", True),
        ("dispatcher", True),
        ("handler", False),
        ("colleague", False),
        ("owner", False),
        ("designer", False),
        ("outsider", False),
        ("smr_supervisor", False),
    ],
)
def test_who_may_reveal(personal, people, who, allowed):
    assert may_reveal(people[who], personal["submission"]) is allowed


@pytest.mark.parametrize("who", ["supervisor", "handler", "colleague", "owner"])
def test_api_lists_masked_for_everyone(personal, people, who):
    # when
    response = api(people[who]).get("/api/apps/personal-test/submissions/")

    # then
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["data"]["owner_id"] == ID_MASKED
    assert row["data"]["witnesses"][0]["phone"] == "139****1111"
    assert "owner_id" in row["masked"]
    assert_no_clear(response.content.decode())


def test_api_list_never_reveals(personal, people):
    response = api(people["supervisor"]).get("/api/apps/personal-test/submissions/?reveal=*")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "reveal" in response.json()["fields"]
    assert not reveals().exists()


def test_api_list_shows_an_outsider_nothing(personal, people):
    response = api(people["outsider"]).get("/api/apps/personal-test/submissions/")
    assert response.status_code == 200  # the district's app is published to them too
    assert response.json()["results"] == []
    assert_no_clear(response.content.decode())


@pytest.mark.parametrize("who", ["supervisor", "handler", "owner"])
def test_api_work_order_detail_is_masked_by_default(personal, people, who):
    response = api(people[who]).get(f"/api/work-orders/{personal['order'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["owner_id"] == ID_MASKED
    assert body["data"]["location"] == {
        "lat": 31.236,
        "lng": 121.451,
        "accuracy": 100,
        "masked": True,
    }
    # (as a set: PostgreSQL's jsonb keeps a group's properties in its own key order)
    assert sorted(body["masked"]) == sorted(sensitive_fields(*personal_definition()))
    assert_no_clear(response.content.decode())
    assert not reveals().exists()


def test_api_reveal_by_the_supervisor_is_audited(personal, people):
    # when
    order = personal["order"]
    response = api(people["supervisor"]).get(
        f"/api/work-orders/{order.pk}/?reveal=owner_id,witnesses[].phone"
    )

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["owner_id"] == ID
    assert body["data"]["witnesses"][0]["phone"] == WITNESS_PHONE
    assert body["data"]["owner_mobile"] == MOBILE_MASKED
    assert "owner_id" not in body["masked"]
    (entry,) = reveals()
    assert entry.outcome == "success"
    assert entry.actor_username == "supervisor"
    assert entry.object_id == str(personal["submission"].pk)
    assert entry.details["fields"] == ["owner_id", "witnesses[].phone"]
    assert entry.details["work_order"] == order.number


def test_api_reveal_of_everything_on_the_submission_detail(personal, people):
    submission = personal["submission"]
    response = api(people["supervisor"]).get(
        f"/api/apps/personal-test/submissions/{submission.pk}/?reveal=*"
    )
    assert response.status_code == 200
    assert response.json()["data"]["location"] == personal_data([])["location"]
    assert response.json()["masked"] == []
    assert reveals().get().details["fields"] == sorted(sensitive_fields(*personal_definition()))


def test_api_submission_detail_is_masked_by_default(personal, people):
    submission = personal["submission"]
    response = api(people["handler"]).get(f"/api/apps/personal-test/submissions/{submission.pk}/")
    assert response.status_code == 200
    assert_no_clear(response.content.decode())


def test_api_reveal_of_an_unknown_field_is_400(personal, people):
    response = api(people["supervisor"]).get(
        f"/api/work-orders/{personal['order'].pk}/?reveal=address"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "address" in response.json()["fields"]["reveal"][0]
    assert not reveals().exists()


@pytest.mark.parametrize("who", ["handler", "colleague", "owner"])
def test_api_refused_reveal_is_403_audited_and_leaks_nothing(personal, people, who):
    # when
    response = api(people[who]).get(f"/api/work-orders/{personal['order'].pk}/?reveal=*")

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert_no_clear(response.content.decode())
    (entry,) = reveals()
    assert entry.outcome == "denied"
    assert entry.actor_username == who


@pytest.mark.parametrize("who", ["outsider", "smr_supervisor"])
def test_api_outsiders_get_404_with_or_without_reveal(personal, people, who):
    client = api(people[who])
    submission = personal["submission"]
    for url in [
        f"/api/work-orders/{personal['order'].pk}/",
        f"/api/work-orders/{personal['order'].pk}/?reveal=*",
        f"/api/apps/personal-test/submissions/{submission.pk}/?reveal=owner_id",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert_no_clear(response.content.decode())


def test_api_action_answer_is_masked(personal, people):
    response = api(people["dispatcher"]).post(
        f"/api/work-orders/{personal['order'].pk}/actions/",
        {"action": "file", "note": "立案"},
        format="json",
    )
    assert response.status_code == 200
    assert_no_clear(response.content.decode())


def test_the_openapi_document_describes_reveal():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ["/api/work-orders/{id}/", "/api/apps/{key}/submissions/{id}/"]:
        params = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert "data.reveal" in params["reveal"]["description"]


# The pages


def console_order(order):
    return f"/console/work-orders/{order.pk}/"


def test_console_work_order_page_masks_and_offers_reveal_to_the_supervisor(
    client, personal, people
):
    client.force_login(people["supervisor"])
    response = client.get(console_order(personal["order"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ID_MASKED in html and MOBILE_MASKED in html
    assert "精确位置已隐去" in html
    assert 'href="?reveal=owner_id"' in html
    assert 'href="?reveal=witnesses%5B%5D.phone"' in html
    assert_no_clear(html)
    assert not reveals().exists()


def test_console_reveal_shows_the_answer_and_writes_an_audit_row(client, personal, people):
    client.force_login(people["supervisor"])
    response = client.get(console_order(personal["order"]), {"reveal": "owner_id"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ID in html
    assert_no_clear(html, but=[ID])
    (entry,) = reveals()
    assert entry.outcome == "success" and entry.details["fields"] == ["owner_id"]


@pytest.mark.parametrize("who", ["handler", "dispatcher"])
def test_console_submission_page(client, personal, people, who):
    client.force_login(people[who])
    url = f"/console/submissions/{personal['submission'].pk}/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert ID_MASKED in html
    assert_no_clear(html)
    assert ('href="?reveal=owner_id"' in html) is (who == "dispatcher")
    revealed = client.get(url, {"reveal": "witnesses[].id_number"})
    if who == "dispatcher":
        assert revealed.status_code == 200
        assert WITNESS_ID in revealed.content.decode()
    else:
        assert revealed.status_code == 403
        assert_no_clear(revealed.content.decode())
        assert reveals().get().outcome == "denied"


def test_console_handler_sees_masked_without_reveal_and_is_refused(client, personal, people):
    client.force_login(people["handler"])
    page = client.get(console_order(personal["order"])).content.decode()
    assert ID_MASKED in page
    assert "?reveal=" not in page
    assert_no_clear(page)

    refused = client.get(console_order(personal["order"]), {"reveal": "owner_id"})
    assert refused.status_code == 403
    html = refused.content.decode()
    assert 'id="reveal-error"' in html
    assert_no_clear(html)
    (entry,) = reveals()
    assert entry.outcome == "denied" and entry.actor_username == "handler"


@pytest.mark.parametrize("who", ["smr_supervisor"])
def test_console_outsider_gets_404(client, personal, people, who):
    client.force_login(people[who])
    response = client.get(console_order(personal["order"]), {"reveal": "owner_id"})
    assert response.status_code == 404
    assert_no_clear(response.content.decode())
    assert not reveals().exists()


def test_console_data_table_is_masked(client, personal, people):
    client.force_login(people["supervisor"])
    response = client.get("/console/data/", {"app": "personal-test"})
    html = response.content.decode()
    assert response.status_code == 200
    assert ID_MASKED in html and MOBILE_MASKED in html
    assert_no_clear(html)


def phone_order(order):
    return f"/m/work-orders/{order.pk}/"


def test_phone_page_masks_for_the_reporter_and_the_handler(client, personal, people):
    for who in ["owner", "handler"]:
        client.force_login(people[who])
        html = client.get(phone_order(personal["order"])).content.decode()
        assert ID_MASKED in html
        assert "?reveal=" not in html
        assert_no_clear(html)


def test_phone_page_reveal_by_the_supervisor(client, personal, people):
    client.force_login(people["supervisor"])
    html = client.get(phone_order(personal["order"])).content.decode()
    assert 'href="?reveal=owner_mobile"' in html
    assert_no_clear(html)
    revealed = client.get(phone_order(personal["order"]), {"reveal": "owner_mobile"})
    assert revealed.status_code == 200
    assert MOBILE in revealed.content.decode()
    assert reveals().get().details["fields"] == ["owner_mobile"]


def test_phone_page_refuses_the_reporter(client, personal, people):
    client.force_login(people["owner"])
    response = client.get(phone_order(personal["order"]), {"reveal": "owner_id"})
    assert response.status_code == 403
    assert_no_clear(response.content.decode())
    assert reveals().get().outcome == "denied"


def test_phone_page_outsider_gets_404(client, personal, people):
    client.force_login(people["outsider"])
    assert client.get(phone_order(personal["order"]), {"reveal": "*"}).status_code == 404
    assert not reveals().exists()


# Exports, admin, WeCom


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


def test_excel_export_is_masked_even_for_the_supervisor(client, personal, people):
    client.force_login(people["supervisor"])
    response = client.get("/console/data/export/", {"app": "personal-test", "reveal": "*"})
    assert response.status_code == 200
    text = _workbook_text(b"".join(response.streaming_content))
    assert ID_MASKED in text and "310106********1236" in text and "139****1111" in text
    assert "31.236" in text
    assert_no_clear(text)
    assert not reveals().exists()


def test_api_excel_export_is_masked(personal, people):
    response = api(people["supervisor"]).get("/api/apps/personal-test/submissions/export/")
    assert response.status_code == 200
    assert_no_clear(_workbook_text(b"".join(response.streaming_content)))


def test_admin_shows_the_answers_masked(client, personal, people):
    admin = people["supervisor"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.get(
        f"/admin/submissions/submission/{personal['submission'].pk}/change/", follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ID_MASKED in html
    assert_no_clear(html)
    assert "31.2363" not in html  # the GPS point the phone sent, stored beside the answers


def test_wecom_message_carries_no_personal_data(personal):
    event = personal["order"].events.get(action="report")
    body = message_body(event)
    assert "江宁路 100 号" in body["textcard"]["description"]  # the title: first text field
    assert_no_clear(str(body))
    assert ID_MASKED not in str(body)
