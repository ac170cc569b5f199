"""The answers of the demo history's reports (演示历史的上报内容), photos and step notes.

Each report is its app's valid sample (samples.py) with its own place, time, subject and two
photos (what the forms require: an overall picture and one of the problem), so the history's
reports read like a street's and still pass the app's schema through the real submit.
"""

import functools
import io
import random
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.services import attachment_create

NOTES = {
    "reject": ("经现场核实不属于隐患", "重复上报，已有工单在办", "属物业自行维修范围，已告知物业"),
    "send_back": ("不属于本单位职责，请重新派遣", "经查属街道管理范围"),
    "reassign": ("涉及违法广告设施，改派城管执法", "属房屋修缮范围，改派房管部门"),
    "request_extension": ("需协调业主搭设脚手架，申请延期", "材料采购需要时间，申请延期两个工作日"),
    "reject_extension": ("时限内可以完成，请抓紧处置",),
    "suspend": ("业主出国，待其回国后配合入户", "涉及诉讼，待法院裁定"),
    "rework": ("复查发现仍有松动，请重新加固", "现场未清理干净，请返工", "整改不彻底，请重新处置"),
}
HANDLE_NOTES = {
    "facade-hazard": ("已拆除松动饰面并设置防护网", "已加固空调支架并更换螺栓", "已督促业主完成修缮"),
    "small-site": ("已责令施工单位整改，现场复查合格", "已覆盖裸土并落实洒水降尘", "作业人员已全部佩戴安全帽"),
    "flood-patrol": ("已调泵排水，积水已退", "已清理排水口，险情排除", "倒伏树木已清理，道路恢复通行"),
}  # fmt: skip
COLOURS = [(168, 160, 150), (120, 134, 150), (150, 120, 100), (110, 140, 110)]


@functools.cache
def _picture(n: int) -> bytes:
    """A small plain picture of a building front (the history holds hundreds of them)."""
    image = Image.new("RGB", (320, 240), COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    for row in range(3):
        for col in range(4):
            x, y = 30 + col * 75, 25 + row * 70
            draw.rectangle([x, y, x + 45, y + 50], fill=(225, 230, 235), outline=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def photo(person: Person, n: int) -> str:
    """Upload one picture as `person`, through the same check as a phone's; returns its id."""
    picture = _picture(n % len(COLOURS))
    upload = SimpleUploadedFile(f"history-{n}.jpg", picture, "image/jpeg")
    return str(attachment_create(uploader=person, upload=upload).pk)


def _mobile(r: random.Random) -> str:
    return f"1{r.choice('3589')}{r.randrange(10**9):09d}"


def point_in(grid: OrgUnit, r: random.Random) -> dict:
    """A GPS answer somewhere inside the grid (not at one spot, so reports are no duplicates)."""
    ring = grid.boundary["coordinates"][0]
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    lat = min(lats) + (max(lats) - min(lats)) * r.uniform(0.1, 0.9)
    lng = min(lngs) + (max(lngs) - min(lngs)) * r.uniform(0.1, 0.9)
    return {"lat": round(lat, 6), "lng": round(lng, 6), "accuracy": round(r.uniform(5, 30), 1)}


def _facade(data: dict, r: random.Random, at: datetime, address: str, photos: list) -> dict:
    day = at.date()
    kind = r.choices(
        ["facing", "signboard", "ac_bracket", "window", "balcony_rack", "other"],
        [35, 15, 20, 15, 10, 5],
    )[0]
    floors = r.randint(3, 24)
    what = {
        "facing": "外墙面砖空鼓开裂，有脱落危险",
        "signboard": "店招广告牌固定件锈蚀松动",
        "ac_bracket": "空调外机支架锈蚀，螺栓缺失",
        "window": "窗框松动，玻璃有坠落危险",
        "balcony_rack": "阳台花架外挑，花盆未固定",
        "other": "外墙附着物松动，存在坠落隐患",
    }[kind]
    data.update(
        address=address,
        building_name=r.choice(["三和花园", "安康苑", "景华新村", "恒丰大楼", "和平公寓"]),
        building_type=r.choice(["old_residential", "residential", "office", "street_shop"]),
        floors=floors,
        built_year=r.randint(1960, 2012),
        inspected_on=day.isoformat(),
        started_at=f"{max(at.hour - 1, 0):02d}:{r.randrange(60):02d}:00+08:00",
        inspector_mobile=_mobile(r),
        overall_photos=[photos[0]],
        facade_condition=r.randint(1, 3),
        hazards=[
            {
                "kind": kind,
                "severity": r.choices(["general", "major", "critical"], [6, 3, 1])[0],
                "floor": r.randint(2, floors),
                "description": what,
                "photos": [photos[1]],
            }
        ],
        endangers_passage=r.random() < 0.5,
        rectify_by=(day + timedelta(days=7)).isoformat(),
        reinspect_at=f"{day + timedelta(days=8)}T10:00:00+08:00",
    )
    return data


def _site(data: dict, r: random.Random, at: datetime, address: str, photos: list) -> dict:
    day = at.date()
    category, flag, what = r.choice(
        [
            ("dust", "dust_control", "裸土未覆盖防尘网，未见洒水降尘"),
            ("helmet", "helmets_worn", "作业人员未佩戴安全帽"),
            ("fence", "fence_ok", "围挡破损，施工区域与人行道未隔离"),
            ("edge", "edge_protection", "楼层临边未设防护栏杆"),
            ("fire", "fire_safety", "动火作业未办审批，现场无灭火器"),
            ("muck", None, "渣土车未密闭，沿途洒落"),
        ]
    )
    data.update(
        site_name=f"{address}装修工程",
        address=address,
        site_type=r.choice(["renovation", "facade", "small_build", "pipeline"]),
        permit_no=f"310106{day:%Y%m%d}{r.randrange(10000):04d}",
        manager_phone=_mobile(r),
        workers_on_site=r.randint(2, 30),
        site_photos=[photos[0]],
        fence_ok=True,
        dust_control=True,
        helmets_worn=True,
        edge_protection=True,
        scaffold_ok=True,
        fire_safety=True,
        civility_score=r.randint(2, 4),
        problems=[{"category": category, "description": what, "photos": [photos[1]]}],
        rectify_by=(day + timedelta(days=3)).isoformat(),
        work_stopped=r.random() < 0.15,
    )
    if flag:
        data[flag] = False
    return data


def _patrol(data: dict, r: random.Random, at: datetime, road: str, photos: list) -> dict:
    season = at.month in (6, 7, 8, 9)
    danger, what = r.choice(
        [
            ("road_ponding", f"{road}低洼路段积水约 25 厘米，车辆通行困难"),
            ("house_flooded", f"{road}沿线老旧小区底层住户进水"),
            ("tree_down", f"{road}行道树倒伏，压住人行道"),
            ("signboard_loose", f"{road}沿街店招被风吹松，随时可能坠落"),
        ]
    )
    data.update(
        patrol_type=r.choice(["typhoon", "pre_flood"]) if season else "daily",
        patrolled_at=at.isoformat(timespec="seconds"),
        patrol_area=f"{road}沿线",
        weather=r.choice(["heavy_rain", "rainstorm", "typhoon"] if season else ["moderate_rain"]),
        warning_signal=r.choice(["yellow", "orange"]) if season else "blue",
        patrollers=r.randint(2, 6),
        patrol_leader_mobile=_mobile(r),
        points=[
            {
                "name": f"{road}{r.randint(100, 1500)}弄",
                "point_type": "low_lying",
                "water_depth_cm": round(r.uniform(10, 40), 1),
                "status": "danger",
            }
        ],
        scene_photos=[photos[0]],
        danger_type=danger,
        danger_description=what,
        people_evacuated=r.randint(0, 8) if danger == "house_flooded" else 0,
        danger_photos=[photos[1]],
        need_support=r.random() < 0.3,
    )
    return data


# The answers of each app, filled into its sample: (data, rng, local time, address or road, photos).
ANSWERS = {"facade-hazard": _facade, "small-site": _site, "flood-patrol": _patrol}
