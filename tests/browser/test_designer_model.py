"""The designer's model (static/builder/model.js) in Chromium: the three templates read as the
server reads them, and edits that are undone in kind give back the very same JSON."""

import json

import pytest
from playwright.sync_api import expect

from lightapps.definitions.app_templates import app_template
from lightapps.definitions.dialect import fields_of
from lightapps.definitions.models import LightApp
from lightapps.definitions.services import light_app_new
from tests.browser.designer_helpers import designer_world, log_in, saved_after

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATES = ("facade-hazard", "small-site", "flood-patrol")

ROUND_TRIPS = """async ([schema, ui]) => {
  const M = await import("/static/builder/model.js");
  const { newField } = await import("/static/builder/kinds.js");
  const s0 = { schema, ui };
  const same = (s) => JSON.stringify(s.schema) === JSON.stringify(schema)
    && JSON.stringify(s.ui) === JSON.stringify(ui);
  const out = { kinds: [], failures: [] };
  for (const f of M.fieldTree(s0)) {
    out.kinds.push([f.name, f.kind]);
    for (const c of f.children || []) out.kinds.push([c.path, c.kind]);
  }
  for (const f of M.allFields(s0)) {
    const check = (what, s) => { if (!same(s)) out.failures.push(`${what} ${f.path}`); };
    check("title", M.setTitle(s0, f.path, f.title));
    check("rename", M.renameField(M.renameField(s0, f.path, "zz_tmp"), f.path.replace(/[^.]*$/, "zz_tmp")
      .replace(/^zz_tmp$/, "zz_tmp"), f.name));
    if (!f.required) check("required", M.setRequired(M.setRequired(s0, f.path, true), f.path, false));
    check("help", M.setUi(M.setUi(s0, f.path, "ui:help", "x"), f.path, "ui:help", f.ui["ui:help"]));
  }
  const top = M.namesIn(s0, null);
  for (let i = 0; i + 1 < top.length; i++) {
    const moved = M.moveField(s0, top[i], { group: null, index: i + 1 });
    if (same(moved)) out.failures.push(`move did nothing ${top[i]}`);
    if (!same(M.moveField(moved, top[i], { group: null, index: i }))) out.failures.push(`move ${top[i]}`);
  }
  const made = newField("photos", "新照片");
  const added = M.addField(s0, { name: "zz_new", prop: made.prop, ui: made.ui, index: 2 });
  if (same(added)) out.failures.push("add did nothing");
  if (!same(M.removeField(added, "zz_new"))) out.failures.push("add then remove");
  out.untouched = same(s0);
  return out;
}"""


def _kinds(schema, ui):
    kinds = []
    for f in fields_of(schema, ui):
        kinds.append([f["name"], f["kind"]])
        if f["kind"] == "group" and not f.get("nested"):
            kinds += [[f"{f['name']}[].{c['name']}", c["kind"]] for c in f["fields"]]
    return kinds


def test_the_model_reads_the_templates_as_the_server_and_round_trips_them(desktop, live_server):
    world = designer_world()
    log_in(desktop, world["people"]["designer"], live_server.url)
    desktop.goto(f"/builder/apps/{world['app'].key}/")
    expect(desktop.locator("#designer[data-ready]")).to_be_visible()

    for key in TEMPLATES:
        export = app_template(key)
        result = desktop.evaluate(ROUND_TRIPS, [export["schema"], export["ui"]])

        assert result["failures"] == [], key
        assert result["untouched"] is True
        assert result["kinds"] == _kinds(export["schema"], export["ui"]), key


def test_a_template_saved_through_the_designer_comes_back_byte_identical(desktop, live_server,
                                                                         shot):  # fmt: skip
    world = designer_world()
    app = light_app_new(name="外墙排查", template="facade-hazard", owner_unit=world["district"],
                        actor=world["people"]["designer"])  # fmt: skip
    before = (json.dumps(app.draft_schema, ensure_ascii=False), json.dumps(app.draft_ui))
    log_in(desktop, world["people"]["designer"], live_server.url)
    desktop.goto(f"/builder/apps/{app.key}/")
    expect(desktop.locator("#designer[data-ready]")).to_be_visible()
    start = int(desktop.locator("#designer").get_attribute("data-revision"))

    # when: a field of an old-style condition is opened, its title changed and changed back
    card = desktop.locator(".card-field[data-path=hazards]")
    expect(card.locator(".badge-legacy")).to_have_text("条件：当 是否发现隐患 为 是")
    card.locator(".card-title").first.click()
    desktop.fill("#prop-title", "隐患明细（改）")
    desktop.fill("#prop-title", "隐患明细")
    expect(desktop.locator("#prop-key")).to_have_value("hazards")  # never renamed from a title
    shot(desktop, "designer-4-template")
    saved_after(desktop, start)

    # then
    app = LightApp.objects.get(pk=app.pk)
    assert (json.dumps(app.draft_schema, ensure_ascii=False), json.dumps(app.draft_ui)) == before
