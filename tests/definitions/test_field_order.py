"""The order a designer wrote the fields in survives storage (PostgreSQL's jsonb reorders keys)."""

import json

from lightapps.definitions.dialect import fields_of, ui_order_kept
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.definitions.services import (
    light_app_create,
    light_app_publish,
    light_app_save_draft,
)

SCHEMA = {
    "type": "object",
    "properties": {
        "description": {"type": "string", "title": "情况描述"},
        "kind": {"type": "string", "title": "类型"},
        "witnesses": {
            "type": "array",
            "title": "证人",
            "items": {
                "type": "object",
                "properties": {
                    "surname_and_name": {"type": "string", "title": "姓名"},
                    "id": {"type": "string", "title": "编号"},
                },
            },
        },
        "owner": {
            "type": "object",
            "title": "业主",
            "properties": {
                "telephone": {"type": "string", "title": "电话"},
                "nm": {"type": "string", "title": "称呼"},
            },
        },
        "location": {
            "type": "object",
            "title": "位置",
            "properties": {"lat": {"type": "number"}, "lng": {"type": "number"}},
        },
    },
    "allOf": [
        {
            "if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
            "then": {"properties": {"z_extra_note": {"type": "string", "title": "补充"}}},
        }
    ],
}


def _names(fields):
    return [(f["name"], _names(f.get("fields", []))) for f in fields]


def test_the_order_as_written_is_kept_at_every_level_after_a_round_trip(tree):
    # when the app is stored and read back (on PostgreSQL the keys come back shortest first)
    app = light_app_create(
        key="order-test", name="顺序", owner_unit=tree["district"], schema=SCHEMA, ui={}, flow={}
    )
    light_app_save_draft(app=app, schema=SCHEMA, ui={"kind": {"ui:widget": "radio"}}, flow={})
    stored = LightApp.objects.get(pk=app.pk)

    # then
    assert _names(fields_of(stored.draft_schema, stored.draft_ui)) == [
        ("description", []),
        ("kind", []),
        ("witnesses", [("surname_and_name", []), ("id", [])]),
        ("owner", [("telephone", []), ("nm", [])]),
        ("location", []),
        ("z_extra_note", []),
    ]
    assert stored.draft_ui["kind"]["ui:widget"] == "radio"


def test_the_stored_documents_come_back_byte_for_byte_draft_and_version(tree):
    # given: keys a jsonb column would sort shortest first ("kind" before "description")
    ui = {"witnesses": {"ui:options": {"addLabel": "加一位"}}, "kind": {"ui:help": "看门牌"}}
    flow = {"sla": {"dispatch": 4, "accept": 1}, "auto_case": True}
    app = light_app_create(
        key="bytes-test", name="原样", owner_unit=tree["district"], schema=SCHEMA, ui=ui, flow=flow
    )

    # when: saved, published and read back from the database
    light_app_publish(app=app, actor=None, note="v1")
    stored = LightApp.objects.get(pk=app.pk)
    version = LightAppVersion.objects.get(app=app, number=1)

    # then: every object's keys are in the order written, at every depth
    for document in (stored.draft_schema, version.schema):
        assert json.dumps(document, ensure_ascii=False) == json.dumps(SCHEMA, ensure_ascii=False)
    for document in (stored.draft_flow, version.flow):
        assert list(document) == ["sla", "auto_case"]
        assert list(document["sla"]) == ["dispatch", "accept"]
    assert list(version.ui)[:2] == ["witnesses", "kind"]  # then what ui_order_kept adds


def test_an_order_the_designer_gave_is_left_alone():
    ui = {"ui:order": ["kind", "*"], "witnesses": {"items": {"ui:order": ["id", "*"]}}}
    kept = ui_order_kept(SCHEMA, ui)
    assert kept["ui:order"] == ["kind", "*"]
    assert kept["witnesses"]["items"]["ui:order"] == ["id", "*"]
    assert kept["owner"]["ui:order"] == ["telephone", "nm"]
    assert "ui:order" not in kept.get("location", {})


def test_odd_shapes_pass_through():
    assert ui_order_kept([], {}) == {}
    assert ui_order_kept({"properties": "x"}, {"a": 1}) == {"a": 1}
    assert ui_order_kept({"properties": {"a": 5}}, {}) == {"ui:order": ["a"]}
    assert ui_order_kept(SCHEMA, "nope") == "nope"
