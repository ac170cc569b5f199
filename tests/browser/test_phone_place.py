"""On the phone after 获取定位: the grid by name and a small map of the point in that grid; a
clear word when the fix is coarser than the app asks; photos stamped with time and place when the
app asks for a watermark (issue 12, items 4 and 5)."""

import io

import pytest
from PIL import Image

from lightapps.definitions.services import light_app_create, light_app_publish
from lightapps.demo.seed import seed_demo
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Attachment
from tests.browser.conftest import login_as, off_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID_ITEMS = {"type": "string", "format": "uuid"}
SCHEMA = {
    "type": "object",
    "properties": {
        "where": {
            "type": "object",
            "title": "现场位置",
            "properties": {
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "lng": {"type": "number", "minimum": -180, "maximum": 180},
                "accuracy": {"type": "number", "minimum": 0, "maximum": 30},
            },
            "required": ["lat", "lng", "accuracy"],
            "additionalProperties": False,
        },
        "photos": {"type": "array", "title": "现场照片", "items": UUID_ITEMS, "maxItems": 3},
    },
    "required": ["where"],
}
UI = {
    "ui:order": ["where", "photos"],
    "where": {"ui:widget": "location"},
    "photos": {"ui:widget": "photos", "ui:options": {"capture": False, "watermark": True}},
}
URL = "/m/apps/patrol-place/"


def _app():
    seed_demo()
    app = light_app_create(
        key="patrol-place",
        name="定位巡查",
        owner_unit=OrgUnit.objects.get(code="310106"),
        schema=SCHEMA,
        ui=UI,
        flow={"template": "none"},
    )
    light_app_publish(app=app, actor=Person.objects.get(username="jingan_designer"))


def _form_on(browser, live_server, **context_options):
    """The grid worker's form in a phone-sized context of its own (its own geolocation)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        base_url=live_server.url,
        locale="zh-CN",
        **context_options,
    )
    page = context.new_page()
    login_as(page, "jny_grid", URL)
    page.locator("#m-form[data-ready='1']").wait_for()
    return context, page


def _grey_photo(tmp_path):
    path = tmp_path / "wall.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 200, 200)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_the_worker_sees_the_grid_and_a_map_and_photos_carry_time_and_place(
    phone, tmp_path, settings, shot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(_app)
    login_as(phone, "jny_grid", URL)
    phone.locator("#m-form[data-ready='1']").wait_for()
    field = phone.locator("[data-field=where]")

    # when: 获取定位 (the phone stands at 31.2363, 121.4512, accurate to 15 m)
    phone.click("#f-where")

    # then: the street and grid by name (the grid routing will send the report to), the
    # accuracy, and a small map of the point in that grid, drawn without tiles
    place = field.locator("[data-location-place]")
    place.filter(has_text="石门二路第2网格").wait_for()
    assert place.inner_text() == "石门二路街道 · 石门二路第2网格"
    assert "精度约 15 米" in field.inner_text()
    phone.locator("[data-location-map][data-ready='1']").wait_for()
    map_box = phone.locator("[data-location-map]").bounding_box()
    assert map_box["width"] > 300 and map_box["height"] > 150
    assert phone.locator("[data-location-map] path.leaflet-interactive").count() >= 1  # the grid
    assert phone.locator("[data-location-map] .leaflet-tile").count() == 0
    assert not field.locator(".m-error").is_visible()
    shot(phone, "phone-place")

    # when: a photo is added (the app asks for a watermark)
    phone.set_input_files("#f-photos", str(_grey_photo(tmp_path)))
    phone.locator("[data-field=photos] li.m-photo:not(.weui-uploader__file_status)").wait_for()

    # then: the stored photo carries a dark band with the text at its bottom; the top is untouched
    stored = Attachment.objects.get()
    with stored.file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read())).convert("L")
    width, height = image.size
    top = image.crop((0, 0, width, height // 4))
    band = image.crop((0, height - height // 12, width, height))
    assert abs(sum(top.getdata()) / (top.width * top.height) - 200) < 6
    band_mean = sum(band.getdata()) / (band.width * band.height)
    assert band_mean < 140, band_mean
    assert max(band.getdata()) > 230  # white text on it
    assert phone.locator("[data-field=where]").get_attribute("data-place") == (
        "石门二路街道 · 石门二路第2网格 (31.23630, 121.45120)"
    )


def test_a_fix_coarser_than_the_app_asks_is_said_plainly(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(_app)
    context, page = _form_on(
        browser,
        live_server,
        geolocation={"latitude": 31.2363, "longitude": 121.4512, "accuracy": 80},
        permissions=["geolocation"],
    )
    try:
        page.click("#f-where")

        error = page.locator("[data-field=where] .m-error")
        error.wait_for(state="visible")
        assert "精度约 80 米" in error.inner_text() and "30 米以内" in error.inner_text()
        assert "重新定位" in page.locator("#f-where").inner_text()
    finally:
        context.close()


def test_a_location_denied_says_how_to_allow_it(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    off_loop(_app)
    context, page = _form_on(browser, live_server)  # no permission: location denied
    try:
        page.click("#f-where")

        error = page.locator("[data-field=where] .m-error")
        error.wait_for(state="visible")
        assert "请允许使用位置信息" in error.inner_text()
        assert page.locator("[data-location-map]").is_hidden()
    finally:
        context.close()
