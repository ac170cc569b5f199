"""演示组织: the shape of Shanghai's 静安区 ("1+14+85+266") and its demo people.

Every unit has a stable code and every person a stable username, so seeding can run any number
of times: the second run finds everything in place and changes nothing.

Codes: district "310106"; street "310106-01"; grid "310106-01-G03"; community
"310106-01-G03-C02"; department "310106-D-FGJ".
"""

from lightapps.orgs.models import OrgUnit, Person, Role
from lightapps.orgs.services import membership_grant, org_unit_upsert, person_upsert

DISTRICT_CODE = "310106"
DISTRICT_NAME = "静安区"

# (name, grids, communities) in the district's usual order; street codes 310106-01 … 310106-14.
# 85 grids and 266 communities in all.
STREETS = [
    ("江宁路街道", 6, 17),
    ("石门二路街道", 4, 10),
    ("南京西路街道", 6, 13),
    ("静安寺街道", 5, 10),
    ("曹家渡街道", 5, 19),
    ("天目西路街道", 5, 14),
    ("北站街道", 5, 15),
    ("宝山路街道", 6, 19),
    ("芷江西路街道", 6, 18),
    ("共和新路街道", 7, 22),
    ("大宁路街道", 7, 24),
    ("彭浦新村街道", 8, 26),
    ("临汾路街道", 6, 20),
    ("彭浦镇", 9, 39),
]

# The streets from south to north: each is one row of the district's bounding box.
ROWS_SOUTH_TO_NORTH = [
    "静安寺街道",
    "南京西路街道",
    "石门二路街道",
    "江宁路街道",
    "曹家渡街道",
    "天目西路街道",
    "北站街道",
    "宝山路街道",
    "芷江西路街道",
    "共和新路街道",
    "大宁路街道",
    "临汾路街道",
    "彭浦新村街道",
    "彭浦镇",
]

# A simplified bounding box of the district (WGS84); grids tile it without gaps or overlaps.
BBOX = {"south": 31.22, "north": 31.33, "west": 121.43, "east": 121.48}

# (code suffix, name) of the functional departments (委办局) under the district.
DEPARTMENTS = [
    ("FGJ", "房管局"),
    ("CGZF", "城管执法局"),
    ("JGW", "建管委"),
    ("YJJ", "应急局"),
    ("SCJG", "市场监管局"),
]

# Community names are "<stem><suffix>居民区"; 42 stems x 7 suffixes give 294 distinct names.
COMMUNITY_STEMS = [
    "景华", "安康", "春晖", "和平", "永和", "锦绣", "明德", "瑞金", "嘉安", "福寿",
    "泰和", "怡康", "宁康", "新闸", "延平", "昌平", "武定", "康定", "胶州", "余姚",
    "西康", "常德", "淮安", "恒丰", "汉中", "天潼", "芷江", "柳营", "中兴", "宝昌",
    "沪太", "广中", "洛川", "阳曲", "平型关", "闻喜", "临汾", "共和", "长寿", "万荣",
    "岭南", "三泉",
]  # fmt: skip
COMMUNITY_SUFFIXES = ["", "新村", "花园", "小区", "苑", "坊", "里"]

# The demo accounts (wecom_userid = username). `unit` is an org unit code.
DEMO_PEOPLE = [
    {"username": "jny_grid", "name": "王立群", "unit": "310106-01-G01", "roles": [Role.REPORTER]},
    {"username": "jny_grid2", "name": "李慧敏", "unit": "310106-01-G02", "roles": [Role.REPORTER]},
    {"username": "jny_handler", "name": "陈建国", "unit": "310106-01", "roles": [Role.HANDLER]},
    {
        "username": "jny_dispatcher",
        "name": "周晓燕",
        "unit": "310106-01",
        "roles": [Role.DISPATCHER],
    },
    {
        "username": "jny_supervisor",
        "name": "吴志强",
        "unit": "310106-01",
        "roles": [Role.SUPERVISOR],
    },
    {"username": "smr_grid", "name": "赵嘉怡", "unit": "310106-02-G01", "roles": [Role.REPORTER]},
    {"username": "smr_handler", "name": "孙伟", "unit": "310106-02", "roles": [Role.HANDLER]},
    {
        "username": "smr_dispatcher",
        "name": "钱丽华",
        "unit": "310106-02",
        "roles": [Role.DISPATCHER],
    },
    {
        "username": "smr_supervisor",
        "name": "郑国平",
        "unit": "310106-02",
        "roles": [Role.SUPERVISOR],
    },
    {
        "username": "jingan_designer",
        "name": "林思远",
        "unit": DISTRICT_CODE,
        "roles": [Role.DESIGNER],
    },
    {"username": "jingan_admin", "name": "黄海涛", "unit": DISTRICT_CODE, "roles": [Role.ADMIN]},
    {
        "username": "jingan_supervisor",
        "name": "徐文静",
        "unit": DISTRICT_CODE,
        "roles": [Role.SUPERVISOR],
    },
    {"username": "fgj_handler", "name": "马振华", "unit": "310106-D-FGJ", "roles": [Role.HANDLER]},
]

# The staff of the demo's history (`seed_demo --records`, lightapps.demo.history): four more
# streets with a grid worker, dispatcher, handler and supervisor each, and 城管执法局's handler,
# so that months of work orders spread over six streets and the departments routing sends to.
HISTORY_PEOPLE = [
    {"username": f"{prefix}_{role}", "name": name, "unit": unit, "roles": [kind]}
    for prefix, street, names in [
        ("njxl", "310106-03", ("蒋丽娟", "沈志明", "韩涛", "杨秀英")),
        ("jas", "310106-04", ("朱晓峰", "秦玉兰", "许建华", "何静")),
        ("cjd", "310106-05", ("吕明", "施丽萍", "张永康", "孔德胜")),
        ("tmxl", "310106-06", ("曹颖", "严俊", "华国强", "金美玲")),
    ]
    for (role, kind, unit), name in zip(
        [
            ("grid", Role.REPORTER, f"{street}-G01"),
            ("dispatcher", Role.DISPATCHER, street),
            ("handler", Role.HANDLER, street),
            ("supervisor", Role.SUPERVISOR, street),
        ],
        names,
        strict=True,
    )
] + [
    {"username": "cgzf_handler", "name": "冯立新", "unit": "310106-D-CGZF", "roles": [Role.HANDLER]}
]

# Demo people who may use the Django admin, only when asked (`seed_demo --superuser`): with an
# unusable password they log in through WeCom, or the development login with DEV_LOGIN_SUPERUSER=1.
DEMO_SUPERUSERS = {"jingan_admin"}

# Who publishes the demo apps.
DEMO_DESIGNER = "jingan_designer"


def street_code(index: int) -> str:
    return f"{DISTRICT_CODE}-{index:02d}"


def grid_code(street_index: int, grid_number: int) -> str:
    return f"{street_code(street_index)}-G{grid_number:02d}"


def community_code(street_index: int, grid_number: int, community_number: int) -> str:
    return f"{grid_code(street_index, grid_number)}-C{community_number:02d}"


def department_code(abbr: str) -> str:
    return f"{DISTRICT_CODE}-D-{abbr}"


def grid_prefix(street_name: str) -> str:
    """江宁路街道 -> 江宁路 (so "江宁路第1网格"); a town keeps its name (彭浦镇第1网格)."""
    return street_name.removesuffix("街道")


def _edge(start: float, end: float, i: int, n: int) -> float:
    # One formula for every edge, so neighbouring tiles share exactly the same coordinate.
    return round(start + (end - start) * i / n, 6)


def grid_boundary(row: int, col: int, cols: int) -> dict:
    """GeoJSON Polygon of a grid: column `col` of `cols` in row `row` of the district box."""
    rows = len(ROWS_SOUTH_TO_NORTH)
    south = _edge(BBOX["south"], BBOX["north"], row, rows)
    north = _edge(BBOX["south"], BBOX["north"], row + 1, rows)
    west = _edge(BBOX["west"], BBOX["east"], col, cols)
    east = _edge(BBOX["west"], BBOX["east"], col + 1, cols)
    # RFC 7946: [lng, lat], exterior ring counter-clockwise, first position repeated last.
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _split(total: int, parts: int) -> list[int]:
    """total spread over parts as evenly as possible, the larger shares first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _community_name(n: int) -> str:
    stems, suffixes = COMMUNITY_STEMS, COMMUNITY_SUFFIXES
    return f"{stems[n % len(stems)]}{suffixes[(n // len(stems)) % len(suffixes)]}居民区"


def demo_org_units() -> list[dict]:
    """Every demo unit as upsert arguments, parents before children."""
    units = [
        {
            "code": DISTRICT_CODE,
            "name": DISTRICT_NAME,
            "kind": OrgUnit.Kind.DISTRICT,
            "parent": None,
            "boundary": None,
            "sort": 0,
        }
    ]
    community_count = 0
    for s, (street_name, grids, communities) in enumerate(STREETS, start=1):
        row = ROWS_SOUTH_TO_NORTH.index(street_name)
        units.append(
            {
                "code": street_code(s),
                "name": street_name,
                "kind": OrgUnit.Kind.STREET,
                "parent": DISTRICT_CODE,
                "boundary": None,
                "sort": s,
            }
        )
        for g, per_grid in enumerate(_split(communities, grids), start=1):
            units.append(
                {
                    "code": grid_code(s, g),
                    "name": f"{grid_prefix(street_name)}第{g}网格",
                    "kind": OrgUnit.Kind.GRID,
                    "parent": street_code(s),
                    "boundary": grid_boundary(row, g - 1, grids),
                    "sort": g,
                }
            )
            for c in range(1, per_grid + 1):
                units.append(
                    {
                        "code": community_code(s, g, c),
                        "name": _community_name(community_count),
                        "kind": OrgUnit.Kind.COMMUNITY,
                        "parent": grid_code(s, g),
                        "boundary": None,
                        "sort": c,
                    }
                )
                community_count += 1
    for d, (abbr, name) in enumerate(DEPARTMENTS, start=1):
        units.append(
            {
                "code": department_code(abbr),
                "name": name,
                "kind": OrgUnit.Kind.DEPARTMENT,
                "parent": DISTRICT_CODE,
                "boundary": None,
                "sort": 100 + d,
            }
        )
    return units


def seed_org_units() -> dict[str, OrgUnit]:
    """Upsert every demo unit; returns them by code."""
    by_code: dict[str, OrgUnit] = {}
    for spec in demo_org_units():
        by_code[spec["code"]] = org_unit_upsert(
            code=spec["code"],
            name=spec["name"],
            kind=spec["kind"],
            parent=by_code[spec["parent"]] if spec["parent"] else None,
            boundary=spec["boundary"],
            sort=spec["sort"],
        )
    return by_code


def seed_people(
    *, units: dict[str, OrgUnit], superusers: bool = False, people_specs=None
) -> dict[str, Person]:
    """Upsert the demo people (or the given specs, e.g. HISTORY_PEOPLE) and grant their roles
    (DEMO_SUPERUSERS become superusers only when asked); returns them by username."""
    people: dict[str, Person] = {}
    for spec in DEMO_PEOPLE if people_specs is None else people_specs:
        person = person_upsert(
            username=spec["username"], name=spec["name"], wecom_userid=spec["username"]
        )
        for role in spec["roles"]:
            membership_grant(person=person, org_unit=units[spec["unit"]], role=role)
        if (
            superusers
            and spec["username"] in DEMO_SUPERUSERS
            and not (person.is_staff and person.is_superuser)
        ):
            person.is_staff = person.is_superuser = True
            person.save(update_fields=["is_staff", "is_superuser"])
        people[spec["username"]] = person
    return people
