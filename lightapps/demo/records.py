"""演示上报: a few reports of each demo app, with photos (`seed_demo --records`, as `make run`).

So that the console's work orders and 上报数据 have something to show on a fresh machine. Each
report is the app's sample with its own address, from a demo grid worker standing inside their
own grid (so routing by place sends it to their street) — except one, taken by a 江宁路 worker
standing in 石门二路's first grid, which is placed in 石门二路 and shows that the street where a
report lies sees it, photos included. The facade sample reports fallen facing, so facade orders
go to 房管局 by subject. Ids are derived from the app and a number, so running it again stores
nothing twice.
"""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import latest_version
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import home_unit_of
from lightapps.submissions.models import Submission
from lightapps.submissions.services import attachment_create
from lightapps.workorders.opening import report_submit

from .samples import sample_data, sample_placeholders

NAMESPACE = uuid.UUID("5b2f7e55-8a77-4c1e-9d0c-2b1b6f0c3e11")

# (app key, number, reporter, address-like field, its value[, code of the grid stood in])
DEMO_REPORTS = [
    ("facade-hazard", 1, "jny_grid", "address", "江宁路 455 弄 12 号"),
    ("facade-hazard", 2, "jny_grid2", "address", "康定路 1021 号"),
    ("facade-hazard", 3, "smr_grid", "address", "石门二路 333 弄 5 号"),
    ("small-site", 1, "jny_grid", "address", "昌平路 990 号"),
    ("small-site", 2, "smr_grid", "address", "新闸路 1124 号"),
    ("flood-patrol", 1, "jny_grid2", "patrol_area", "西康路、昌平路沿线及苏州河江宁路桥段"),
    ("flood-patrol", 2, "smr_grid", "patrol_area", "石门二路、新闸路沿线"),
    ("small-site", 3, "jny_grid", "address", "南京西路 1788 号", "310106-02-G01"),
]
COLOURS = [(168, 160, 150), (120, 134, 150), (150, 120, 100), (110, 140, 110)]


def _photo(person: Person, n: int):
    """A plain picture of a building front: enough for the pages and the export to show."""
    image = Image.new("RGB", (800, 600), COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    for row in range(4):
        for col in range(5):
            x, y = 80 + col * 130, 60 + row * 130
            draw.rectangle([x, y, x + 80, y + 90], fill=(225, 230, 235), outline=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    upload = SimpleUploadedFile(f"demo-{n}.jpg", out.getvalue(), "image/jpeg")
    return attachment_create(uploader=person, upload=upload)


def _standing_in(grid: OrgUnit | None, data: dict, *, visiting: bool = False) -> None:
    """The report's location: a point inside the grid (the reporter's own unless told).

    A visitor stands elsewhere in the grid than its own workers, so that the report is not a
    duplicate candidate of theirs (those are within 50 m).
    """
    if grid is None or not grid.boundary or not isinstance(data.get("location"), dict):
        return
    area = shape(grid.boundary)
    point = area.representative_point()
    if visiting:
        west, south, east, north = area.bounds
        corner = Point(west + (east - west) / 4, south + (north - south) / 4)
        point = corner if area.contains(corner) else point
    data["location"] = {"lat": round(point.y, 6), "lng": round(point.x, 6), "accuracy": 12.0}


def seed_demo_records() -> int:
    """Store the demo reports not stored yet; returns how many were new."""
    created = 0
    people = {
        p.username: p for p in Person.objects.filter(username__in={r[2] for r in DEMO_REPORTS})
    }
    apps = {a.key: a for a in LightApp.objects.filter(key__in={r[0] for r in DEMO_REPORTS})}
    for key, number, username, text_field, text, *stood_in in DEMO_REPORTS:
        submission_id = uuid.uuid5(NAMESPACE, f"{key}/{number}")
        person, app = people.get(username), apps.get(key)
        if person is None or app is None or Submission.objects.filter(pk=submission_id).exists():
            continue
        version = latest_version(app)
        photos = [_photo(person, i).pk for i in range(len(sample_placeholders(key)))]
        data = sample_data(key, photos)
        data[text_field] = text
        grid = OrgUnit.objects.filter(code=stood_in[0]).first() if stood_in else None
        _standing_in(grid or home_unit_of(person), data, visiting=grid is not None)
        _submission, new = report_submit(
            submission_id=submission_id, version=version, reporter=person, data=data
        )
        created += int(new)
    return created
