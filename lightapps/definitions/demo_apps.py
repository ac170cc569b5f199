"""The three demo light apps (外墙高坠隐患排查、小型工地检查、防汛防台巡查) as plain data.

Each entry of `DEMO_APPS` holds what `light_app_create` takes (key, name, description, schema, ui,
flow) and a realistic valid `sample` submission. Photo answers in the samples are placeholder
UUIDs (`PHOTO_PLACEHOLDERS`); `sample_data(key, photo_ids)` swaps in real attachment ids.
"""

import copy

from lightapps.workorders.demo_flows import DEMO_FLOWS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Placeholder attachment ids used by the samples; each appears in at most one photos answer.
PHOTO_PLACEHOLDERS = [f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 13)]

# A phone number: mobile (13812345678) or landline with area code (021-62881234).
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"


def _location(title: str) -> dict:
    return {
        "type": "object",
        "title": title,
        "properties": {
            "lat": {"type": "number", "title": "纬度", "minimum": -90, "maximum": 90},
            "lng": {"type": "number", "title": "经度", "minimum": -180, "maximum": 180},
            "accuracy": {"type": "number", "title": "精度（米）", "minimum": 0},
        },
        "required": ["lat", "lng"],
        "additionalProperties": False,
    }


def _photos(title: str, *, min_items: int, max_items: int) -> dict:
    return {
        "type": "array",
        "title": title,
        "items": {"type": "string", "format": "uuid"},
        "minItems": min_items,
        "maxItems": max_items,
        "uniqueItems": True,
    }


def _text(title: str, *, min_length: int = 0, max_length: int) -> dict:
    prop = {"type": "string", "title": title, "maxLength": max_length}
    if min_length:
        prop["minLength"] = min_length
    return prop


def _choice(title: str, choices: list[tuple[str, str]]) -> dict:
    return {
        "type": "string",
        "title": title,
        "enum": [value for value, _label in choices],
        "enumNames": [label for _value, label in choices],
    }


def _files(title: str, *, max_items: int) -> dict:
    return {
        "type": "array",
        "title": title,
        "items": {"type": "string", "format": "uuid"},
        "maxItems": max_items,
        "uniqueItems": True,
    }


def _when_true(field: str, properties: dict, required: list[str]) -> dict:
    """An `allOf` item: these fields exist (and these are required) only while `field` is true."""
    return {
        "if": {"properties": {field: {"const": True}}, "required": [field]},
        "then": {"properties": properties, "required": required},
    }


# ---------------------------------------------------------------------------------------------
# 房屋外墙高坠隐患排查
# ---------------------------------------------------------------------------------------------

FACADE_HAZARD = {
    "key": "facade-hazard",
    "name": "房屋外墙高坠隐患排查",
    "description": "排查房屋外墙饰面、空调外机支架、窗户、招牌、阳台花架等高坠隐患，发现隐患即立案处置。",
    "schema": {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "title": "房屋外墙高坠隐患排查",
        "properties": {
            "address": _text("房屋地址", min_length=4, max_length=100),
            "building_name": _text("小区/楼宇名称", max_length=50),
            "building_type": _choice(
                "房屋类型",
                [
                    ("old_residential", "老旧住宅（售后公房）"),
                    ("residential", "商品住宅"),
                    ("office", "商务楼宇"),
                    ("street_shop", "沿街商铺"),
                    ("public", "公共建筑"),
                    ("historic", "优秀历史建筑"),
                    ("other", "其他"),
                ],
            ),
            "floors": {"type": "integer", "title": "地上层数", "minimum": 1, "maximum": 120},
            "built_year": {
                "type": "integer",
                "title": "建成年份",
                "minimum": 1840,
                "maximum": 2030,
            },
            "property_manager": _text("物业/管理单位", max_length=60),
            "grid": {"type": "integer", "title": "所在网格"},
            "inspected_on": {"type": "string", "format": "date", "title": "排查日期"},
            "started_at": {"type": "string", "format": "time", "title": "开始时间"},
            "inspector_mobile": {"type": "string", "format": "cn-mobile", "title": "排查人手机"},
            "location": _location("现场位置"),
            "overall_photos": _photos("外立面全景照片", min_items=1, max_items=6),
            "safety_note": {
                "type": "null",
                "readOnly": True,
                "title": "安全提示",
                "description": "请勿在可能坠落物下方停留；登高查看须两人以上并系好安全带。",
            },
            "facade_materials": {
                "type": "array",
                "title": "外墙饰面材料",
                "items": {
                    "type": "string",
                    "enum": ["tile", "stone", "paint", "glass", "metal"],
                    "enumNames": ["面砖", "石材", "涂料", "玻璃幕墙", "金属板"],
                },
                "uniqueItems": True,
            },
            "facade_condition": {
                "type": "integer",
                "title": "外墙整体状况",
                "minimum": 1,
                "maximum": 5,
            },
            "hazard_found": {"type": "boolean", "title": "是否发现隐患"},
            "remark": _text("备注", max_length=300),
        },
        "required": [
            "address",
            "building_type",
            "floors",
            "inspected_on",
            "location",
            "overall_photos",
            "hazard_found",
        ],
        "allOf": [
            _when_true(
                "hazard_found",
                {
                    "hazards": {
                        "type": "array",
                        "title": "隐患明细",
                        "minItems": 1,
                        "maxItems": 20,
                        "items": {
                            "type": "object",
                            "properties": {
                                "kind": _choice(
                                    "隐患类型",
                                    [
                                        ("facing", "外墙饰面脱落"),
                                        ("ac_bracket", "空调外机支架锈蚀"),
                                        ("window", "窗户松动"),
                                        ("signboard", "广告招牌"),
                                        ("balcony_rack", "阳台花架"),
                                        ("other", "其他"),
                                    ],
                                ),
                                "severity": _choice(
                                    "严重程度",
                                    [("general", "一般"), ("major", "较大"), ("critical", "重大")],
                                ),
                                "floor": {
                                    "type": "integer",
                                    "title": "所在楼层",
                                    "minimum": 1,
                                    "maximum": 120,
                                },
                                "position": _text("具体部位", max_length=50),
                                "area_m2": {
                                    "type": "number",
                                    "title": "涉及面积",
                                    "minimum": 0,
                                    "maximum": 10000,
                                },
                                "description": _text("情况描述", min_length=5, max_length=500),
                                "photos": _photos("隐患照片", min_items=1, max_items=6),
                            },
                            "required": ["kind", "severity", "floor", "description", "photos"],
                            "additionalProperties": False,
                        },
                    },
                    "measures_taken": {
                        "type": "array",
                        "title": "已采取的临时措施",
                        "items": {
                            "type": "string",
                            "enum": ["cordon", "warning_sign", "divert", "notify_owner", "removed"],
                            "enumNames": [
                                "拉设警戒线",
                                "设置警示标志",
                                "疏导行人车辆",
                                "通知业主/物业",
                                "现场已排除",
                            ],
                        },
                        "maxItems": 5,
                        "uniqueItems": True,
                    },
                    "endangers_passage": {"type": "boolean", "title": "是否危及行人通道"},
                    "owner_contact": _text("业主/物业联系人", max_length=20),
                    "owner_phone": {
                        "type": "string",
                        "title": "联系电话",
                        "pattern": PHONE_PATTERN,
                    },
                    "owner_id_number": {
                        "type": "string",
                        "format": "cn-resident-id",
                        "title": "业主身份证号",
                    },
                    "rectify_by": {"type": "string", "format": "date", "title": "整改期限"},
                    "reinspect_at": {
                        "type": "string",
                        "format": "date-time",
                        "title": "约定复查时间",
                    },
                    "suggested_handler": {"type": "string", "title": "建议处置人"},
                    "notice_files": _files("整改告知书", max_items=3),
                    "owner_signature": {
                        "type": "string",
                        "format": "uuid",
                        "title": "业主/物业签字",
                    },
                },
                ["hazards", "endangers_passage"],
            )
        ],
        "unevaluatedProperties": False,
    },
    "ui": {
        "ui:order": [
            "address",
            "building_name",
            "building_type",
            "floors",
            "built_year",
            "property_manager",
            "grid",
            "inspected_on",
            "started_at",
            "inspector_mobile",
            "location",
            "overall_photos",
            "safety_note",
            "facade_materials",
            "facade_condition",
            "hazard_found",
            "hazards",
            "measures_taken",
            "endangers_passage",
            "owner_contact",
            "owner_phone",
            "owner_id_number",
            "rectify_by",
            "reinspect_at",
            "suggested_handler",
            "notice_files",
            "owner_signature",
            "remark",
        ],
        "address": {
            "ui:widget": "address",
            "ui:placeholder": "如：江宁路 455 弄 12 号",
            "ui:options": {"section": "房屋信息"},
        },
        "building_name": {"ui:placeholder": "如：三和花园"},
        "building_type": {"ui:widget": "select"},
        "floors": {"ui:options": {"unit": "层"}},
        "built_year": {"ui:options": {"unit": "年"}, "ui:help": "不清楚可不填"},
        "property_manager": {"ui:placeholder": "物业公司或房管办名称"},
        "grid": {"ui:widget": "orgunit", "ui:options": {"levels": ["grid"]}},
        "inspected_on": {"ui:widget": "date"},
        "started_at": {"ui:widget": "time"},
        "inspector_mobile": {"ui:widget": "mobile", "ui:help": "处置人员需要时联系您"},
        "location": {
            "ui:widget": "location",
            "ui:help": "站在楼前定位，精度越小越准",
            "ui:options": {"section": "现场定位与照片"},
        },
        "overall_photos": {
            "ui:widget": "photos",
            "ui:help": "拍清楼栋全貌和门牌号，最多 6 张",
            "ui:options": {"capture": True},
        },
        "safety_note": {"ui:widget": "note", "ui:options": {"section": "外墙状况"}},
        "facade_materials": {"ui:widget": "checkboxes"},
        "facade_condition": {"ui:widget": "rating", "ui:help": "1 星很差，5 星完好"},
        "hazard_found": {
            "ui:help": "发现任一高坠隐患即选“是”，提交后自动立案",
            "ui:options": {"section": "排查结果"},
        },
        "hazards": {
            "ui:options": {"itemTitle": "隐患"},
            "items": {
                "kind": {"ui:widget": "select"},
                "severity": {
                    "ui:widget": "radio",
                    "ui:help": "重大：随时可能坠落，须立即拉设警戒",
                },
                "floor": {"ui:options": {"unit": "层"}},
                "position": {"ui:placeholder": "如：南立面 6 楼东侧窗下"},
                "area_m2": {"ui:options": {"unit": "平方米"}},
                "description": {
                    "ui:widget": "textarea",
                    "ui:placeholder": "说明隐患范围、松动或锈蚀程度",
                },
                "photos": {"ui:widget": "photos", "ui:help": "近景、远景各一张为宜"},
            },
        },
        "measures_taken": {"ui:widget": "checkboxes"},
        "owner_contact": {"ui:placeholder": "姓名"},
        "owner_phone": {"ui:placeholder": "手机或 021-xxxxxxxx"},
        "owner_id_number": {"ui:widget": "idcard", "ui:help": "个人产权房屋填写，用于送达整改告知"},
        "rectify_by": {"ui:widget": "date", "ui:options": {"section": "整改与告知"}},
        "reinspect_at": {"ui:widget": "datetime"},
        "suggested_handler": {"ui:widget": "person", "ui:options": {"roles": ["handler"]}},
        "notice_files": {"ui:widget": "files", "ui:help": "已送达的整改告知书（PDF 或照片）"},
        "owner_signature": {"ui:widget": "signature", "ui:help": "请业主或物业在手机上签字确认"},
        "remark": {"ui:widget": "textarea"},
    },
    "flow": DEMO_FLOWS["facade-hazard"],
    "sample": {
        "address": "江宁路 455 弄 12 号",
        "building_name": "三和花园",
        "building_type": "old_residential",
        "floors": 6,
        "built_year": 1986,
        "property_manager": "江宁路房管办",
        "inspected_on": "2026-11-23",
        "started_at": "09:30:00+08:00",
        "inspector_mobile": "13912345678",
        "location": {"lat": 31.2471, "lng": 121.4342, "accuracy": 8.5},
        "overall_photos": [PHOTO_PLACEHOLDERS[0]],
        "facade_materials": ["tile", "paint"],
        "facade_condition": 2,
        "hazard_found": True,
        "hazards": [
            {
                "kind": "ac_bracket",
                "severity": "major",
                "floor": 5,
                "position": "南立面 5 楼西侧",
                "area_m2": 1.5,
                "description": "空调外机支架严重锈蚀，一侧螺栓脱落，外机向外倾斜",
                "photos": [PHOTO_PLACEHOLDERS[2]],
            },
            {
                "kind": "facing",
                "severity": "general",
                "floor": 3,
                "description": "3 楼窗台下外墙面砖空鼓约 1 平方米",
                "photos": [PHOTO_PLACEHOLDERS[3]],
            },
        ],
        "measures_taken": ["cordon", "notify_owner"],
        "endangers_passage": True,
        "owner_contact": "张师傅",
        "owner_phone": "13812345678",
        "owner_id_number": "11010519491231002X",
        "rectify_by": "2026-11-30",
        "reinspect_at": "2026-12-01T10:00:00+08:00",
        "remark": "业主已知情，同意尽快请物业维修",
    },
}


# ---------------------------------------------------------------------------------------------
# 小型工地检查
# ---------------------------------------------------------------------------------------------

# Checklist items (field, title, help): each must be answered; "否" is what a problem looks like.
SITE_CHECKS = [
    ("fence_ok", "围挡完好", "围挡连续、牢固，无破损、倾斜"),
    ("dust_control", "扬尘控制到位", "裸土覆盖、洒水降尘、车辆冲洗"),
    ("helmets_worn", "安全帽佩戴", "现场人员均正确佩戴安全帽"),
    ("edge_protection", "临边洞口防护", "楼板边、洞口、基坑设防护栏杆或盖板"),
    ("scaffold_ok", "脚手架搭设规范", "立杆、连墙件、安全网齐全"),
    ("fire_safety", "动火审批及灭火器配置", "动火作业有审批，灭火器在有效期内"),
]

SMALL_SITE = {
    "key": "small-site",
    "name": "小型工地检查",
    "description": "检查限额以下小型工程、装修及外立面改造工地的围挡、扬尘和安全防护，问题限期整改。",
    "schema": {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "title": "小型工地检查",
        "properties": {
            "site_name": _text("工地名称", min_length=2, max_length=60),
            "address": _text("工地地址", min_length=4, max_length=100),
            "site_type": _choice(
                "工程类型",
                [
                    ("renovation", "住宅装修"),
                    ("facade", "外立面改造"),
                    ("small_build", "小型新建/改扩建"),
                    ("pipeline", "市政管线"),
                    ("demolition", "拆除工程"),
                    ("other", "其他"),
                ],
            ),
            "contractor": _text("施工单位", min_length=2, max_length=80),
            "permit_no": {
                "type": "string",
                "title": "施工许可证编号",
                "pattern": "^[0-9]{18}$",
            },
            "site_manager": _text("现场负责人", min_length=2, max_length=20),
            "manager_phone": {"type": "string", "title": "负责人电话", "pattern": PHONE_PATTERN},
            "workers_on_site": {
                "type": "integer",
                "title": "在场作业人数",
                "minimum": 0,
                "maximum": 500,
            },
            "location": _location("现场位置"),
            "site_photos": _photos("现场照片", min_items=1, max_items=9),
            **{field: {"type": "boolean", "title": title} for field, title, _help in SITE_CHECKS},
            "civility_score": {
                "type": "integer",
                "title": "文明施工评分",
                "minimum": 1,
                "maximum": 5,
            },
            "problems_found": {"type": "boolean", "title": "是否发现问题"},
        },
        "required": [
            "site_name",
            "address",
            "site_type",
            "contractor",
            "workers_on_site",
            "location",
            "site_photos",
            *[field for field, _title, _help in SITE_CHECKS],
            "problems_found",
        ],
        "allOf": [
            _when_true(
                "problems_found",
                {
                    "problems": {
                        "type": "array",
                        "title": "问题清单",
                        "minItems": 1,
                        "maxItems": 15,
                        "items": {
                            "type": "object",
                            "properties": {
                                "category": _choice(
                                    "问题类别",
                                    [
                                        ("fence", "围挡"),
                                        ("dust", "扬尘"),
                                        ("helmet", "安全帽"),
                                        ("edge", "临边防护"),
                                        ("scaffold", "脚手架"),
                                        ("fire", "消防"),
                                        ("muck", "渣土运输"),
                                        ("noise", "夜间施工扰民"),
                                        ("other", "其他"),
                                    ],
                                ),
                                "description": _text("问题描述", min_length=5, max_length=300),
                                "photos": _photos("问题照片", min_items=1, max_items=6),
                            },
                            "required": ["category", "description", "photos"],
                            "additionalProperties": False,
                        },
                    },
                    "rectify_by": {"type": "string", "format": "date", "title": "整改期限"},
                    "rectify_requirement": _text("整改要求", max_length=300),
                    "work_stopped": {"type": "boolean", "title": "是否责令停工"},
                    "rectify_notice": _files("整改通知书", max_items=3),
                    "manager_signature": {
                        "type": "string",
                        "format": "uuid",
                        "title": "现场负责人签字",
                    },
                },
                ["problems", "rectify_by", "work_stopped"],
            )
        ],
        "unevaluatedProperties": False,
    },
    "ui": {
        "ui:order": [
            "site_name",
            "address",
            "site_type",
            "contractor",
            "permit_no",
            "site_manager",
            "manager_phone",
            "workers_on_site",
            "location",
            "site_photos",
            *[field for field, _title, _help in SITE_CHECKS],
            "civility_score",
            "problems_found",
            "problems",
            "rectify_by",
            "rectify_requirement",
            "work_stopped",
            "rectify_notice",
            "manager_signature",
        ],
        "site_name": {
            "ui:placeholder": "如：昌平路 990 号外立面改造工程",
            "ui:options": {"section": "工地信息"},
        },
        "address": {"ui:placeholder": "如：昌平路 990 号"},
        "site_type": {"ui:widget": "select"},
        "contractor": {"ui:placeholder": "以工地公示牌为准"},
        "permit_no": {
            "ui:placeholder": "如：310106202611230101",
            "ui:help": "见工地公示牌，18 位数字；无需许可的小型工程可不填",
        },
        "manager_phone": {"ui:placeholder": "手机或 021-xxxxxxxx"},
        "civility_score": {"ui:widget": "rating", "ui:help": "综合围挡、扬尘、材料堆放打分"},
        "rectify_notice": {"ui:widget": "files", "ui:help": "已开具的整改通知书（PDF 或照片）"},
        "manager_signature": {"ui:widget": "signature"},
        "workers_on_site": {"ui:options": {"unit": "人"}},
        "location": {
            "ui:widget": "location",
            "ui:options": {"section": "现场定位与照片"},
        },
        "site_photos": {"ui:widget": "photos", "ui:help": "拍清工地公示牌和围挡全貌"},
        **{
            field: (
                {"ui:help": help_text, "ui:options": {"section": "检查项目"}}
                if i == 0
                else {"ui:help": help_text}
            )
            for i, (field, _title, help_text) in enumerate(SITE_CHECKS)
        },
        "problems_found": {
            "ui:help": "检查项目有“否”的，请选“是”并逐条列明",
            "ui:options": {"section": "问题与整改"},
        },
        "problems": {
            "ui:options": {"itemTitle": "问题"},
            "items": {
                "category": {"ui:widget": "select"},
                "description": {
                    "ui:widget": "textarea",
                    "ui:placeholder": "说明问题所在位置和情况",
                },
                "photos": {"ui:widget": "photos"},
            },
        },
        "rectify_by": {"ui:widget": "date", "ui:help": "一般问题 3 个工作日内，安全问题当日整改"},
        "rectify_requirement": {"ui:widget": "textarea"},
    },
    "flow": DEMO_FLOWS["small-site"],
    "sample": {
        "site_name": "昌平路 990 号外立面改造工程",
        "address": "昌平路 990 号",
        "site_type": "facade",
        "contractor": "上海静建建筑装饰工程有限公司",
        "permit_no": "310106202611230101",
        "site_manager": "刘建华",
        "manager_phone": "13916001234",
        "workers_on_site": 12,
        "location": {"lat": 31.2466, "lng": 121.4419, "accuracy": 15.0},
        "site_photos": [PHOTO_PLACEHOLDERS[4], PHOTO_PLACEHOLDERS[5]],
        "fence_ok": True,
        "dust_control": False,
        "helmets_worn": False,
        "edge_protection": True,
        "scaffold_ok": True,
        "fire_safety": True,
        "civility_score": 3,
        "problems_found": True,
        "problems": [
            {
                "category": "dust",
                "description": "东侧堆土未覆盖防尘网，未见洒水降尘",
                "photos": [PHOTO_PLACEHOLDERS[6]],
            },
            {
                "category": "helmet",
                "description": "脚手架上 2 名工人未佩戴安全帽",
                "photos": [PHOTO_PLACEHOLDERS[7]],
            },
        ],
        "rectify_by": "2026-11-26",
        "rectify_requirement": "当日完成堆土覆盖，作业人员全部佩戴安全帽后方可继续施工",
        "work_stopped": False,
    },
}


# ---------------------------------------------------------------------------------------------
# 防汛防台巡查
# ---------------------------------------------------------------------------------------------

FLOOD_PATROL = {
    "key": "flood-patrol",
    "name": "防汛防台巡查",
    "description": "汛期和台风期间巡查下立交、地下车库、低洼小区、在建工地和河道，发现险情立即上报。",
    "schema": {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "title": "防汛防台巡查",
        "properties": {
            "patrol_type": _choice(
                "巡查类型", [("daily", "日常"), ("pre_flood", "汛前"), ("typhoon", "台风期间")]
            ),
            "patrolled_at": {"type": "string", "format": "date-time", "title": "巡查时间"},
            "patrol_area": _text("巡查范围", min_length=2, max_length=100),
            "weather": _choice(
                "天气",
                [
                    ("sunny", "晴"),
                    ("cloudy", "阴"),
                    ("light_rain", "小雨"),
                    ("moderate_rain", "中雨"),
                    ("heavy_rain", "大雨"),
                    ("rainstorm", "暴雨"),
                    ("typhoon", "台风"),
                ],
            ),
            "warning_signal": _choice(
                "预警信号",
                [
                    ("none", "无"),
                    ("blue", "蓝色"),
                    ("yellow", "黄色"),
                    ("orange", "橙色"),
                    ("red", "红色"),
                ],
            ),
            "patrollers": {"type": "integer", "title": "巡查人数", "minimum": 1, "maximum": 50},
            "patrol_leader_mobile": {
                "type": "string",
                "format": "cn-mobile",
                "title": "带队人手机",
            },
            "community": {"type": "integer", "title": "所在居村"},
            "safety_note": {
                "type": "null",
                "readOnly": True,
                "title": "巡查安全",
                "description": "下立交积水超过 25 厘米不得涉水；台风期间远离广告牌、行道树和临时构筑物。",
            },
            "location": _location("巡查位置"),
            "points": {
                "type": "array",
                "title": "检查点位",
                "minItems": 1,
                "maxItems": 30,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": _text("点位名称", min_length=2, max_length=50),
                        "point_type": _choice(
                            "点位类型",
                            [
                                ("underpass", "下立交"),
                                ("garage", "地下车库"),
                                ("low_lying", "低洼小区"),
                                ("site", "在建工地"),
                                ("river", "河道"),
                            ],
                        ),
                        "water_depth_cm": {
                            "type": "number",
                            "title": "积水深度",
                            "minimum": 0,
                            "maximum": 300,
                        },
                        "status": _choice(
                            "状况",
                            [
                                ("normal", "正常"),
                                ("ponding", "有积水"),
                                ("drain_blocked", "排水不畅"),
                                ("danger", "险情"),
                            ],
                        ),
                        "note": _text("情况说明", max_length=200),
                        "photos": _photos("点位照片", min_items=0, max_items=3),
                    },
                    "required": ["name", "point_type", "water_depth_cm", "status"],
                    "additionalProperties": False,
                },
            },
            "scene_photos": _photos("现场照片", min_items=1, max_items=9),
            "danger_found": {"type": "boolean", "title": "是否发现险情"},
            "remark": _text("备注", max_length=300),
        },
        "required": [
            "patrol_type",
            "patrolled_at",
            "patrol_area",
            "weather",
            "location",
            "points",
            "scene_photos",
            "danger_found",
        ],
        "allOf": [
            _when_true(
                "danger_found",
                {
                    "danger_type": _choice(
                        "险情类型",
                        [
                            ("road_ponding", "道路积水"),
                            ("house_flooded", "房屋进水"),
                            ("tree_down", "树木倒伏"),
                            ("signboard_loose", "广告牌松动"),
                            ("river_overflow", "河道漫溢"),
                            ("other", "其他"),
                        ],
                    ),
                    "danger_description": _text("险情描述", min_length=10, max_length=500),
                    "people_evacuated": {
                        "type": "integer",
                        "title": "转移安置人数",
                        "minimum": 0,
                        "maximum": 10000,
                    },
                    "danger_photos": _photos("险情照片", min_items=1, max_items=9),
                    "measures": _text("已采取措施", max_length=300),
                    "need_support": {"type": "boolean", "title": "是否需要增援"},
                },
                [
                    "danger_type",
                    "danger_description",
                    "people_evacuated",
                    "danger_photos",
                    "need_support",
                ],
            )
        ],
        "unevaluatedProperties": False,
    },
    "ui": {
        "ui:order": [
            "patrol_type",
            "patrolled_at",
            "patrol_area",
            "weather",
            "warning_signal",
            "patrollers",
            "patrol_leader_mobile",
            "community",
            "safety_note",
            "location",
            "points",
            "scene_photos",
            "danger_found",
            "danger_type",
            "danger_description",
            "people_evacuated",
            "danger_photos",
            "measures",
            "need_support",
            "remark",
        ],
        "patrol_type": {"ui:widget": "radio", "ui:options": {"section": "巡查信息"}},
        "patrolled_at": {"ui:widget": "datetime"},
        "patrol_area": {"ui:placeholder": "如：共和新路下立交至广中路一线"},
        "weather": {"ui:widget": "select"},
        "warning_signal": {
            "ui:widget": "select",
            "ui:help": "以气象部门当前发布的暴雨/台风预警为准",
        },
        "patrollers": {"ui:options": {"unit": "人"}},
        "patrol_leader_mobile": {"ui:widget": "mobile"},
        "community": {"ui:widget": "orgunit", "ui:options": {"levels": ["community"]}},
        "safety_note": {"ui:widget": "note"},
        "location": {"ui:widget": "location"},
        "points": {
            "ui:options": {"itemTitle": "点位", "section": "点位检查"},
            "items": {
                "name": {"ui:placeholder": "如：中兴路下立交"},
                "point_type": {"ui:widget": "select"},
                "water_depth_cm": {
                    "ui:options": {"unit": "厘米"},
                    "ui:help": "无积水填 0；下立交积水超过 25 厘米应立即封闭",
                },
                "status": {"ui:widget": "radio"},
                "note": {"ui:widget": "textarea"},
                "photos": {"ui:widget": "photos"},
            },
        },
        "scene_photos": {"ui:widget": "photos"},
        "danger_found": {
            "ui:help": "发现险情选“是”，提交后按紧急工单立即派发",
            "ui:options": {"section": "险情"},
        },
        "danger_type": {"ui:widget": "select"},
        "danger_description": {
            "ui:widget": "textarea",
            "ui:placeholder": "险情位置、范围、发展趋势及影响人员情况",
        },
        "people_evacuated": {"ui:options": {"unit": "人"}, "ui:help": "未转移填 0"},
        "danger_photos": {"ui:widget": "photos", "ui:help": "必须拍照，最多 9 张"},
        "measures": {"ui:widget": "textarea", "ui:placeholder": "如：已设置警示、封闭通道"},
        "remark": {"ui:widget": "textarea"},
    },
    "flow": DEMO_FLOWS["flood-patrol"],
    "sample": {
        "patrol_type": "typhoon",
        "patrolled_at": "2026-09-14T21:30:00+08:00",
        "patrol_area": "西康路、昌平路沿线及苏州河江宁路桥段",
        "weather": "rainstorm",
        "warning_signal": "orange",
        "patrollers": 3,
        "patrol_leader_mobile": "13761234567",
        "location": {"lat": 31.2490, "lng": 121.4480, "accuracy": 20.0},
        "points": [
            {
                "name": "西康路 1068 弄低洼小区",
                "point_type": "low_lying",
                "water_depth_cm": 32.5,
                "status": "danger",
                "note": "积水漫入底层住户，排水口被落叶堵塞",
                "photos": [PHOTO_PLACEHOLDERS[8]],
            },
            {
                "name": "昌平路 990 弄地下车库",
                "point_type": "garage",
                "water_depth_cm": 0,
                "status": "normal",
            },
            {
                "name": "苏州河江宁路桥段",
                "point_type": "river",
                "water_depth_cm": 0,
                "status": "normal",
                "note": "防汛墙完好，水位低于警戒线",
            },
        ],
        "scene_photos": [PHOTO_PLACEHOLDERS[9]],
        "danger_found": True,
        "danger_type": "house_flooded",
        "danger_description": "西康路 1068 弄积水约 32 厘米并持续上涨，3 户底层住户进水",
        "people_evacuated": 6,
        "danger_photos": [PHOTO_PLACEHOLDERS[10], PHOTO_PLACEHOLDERS[11]],
        "measures": "已启用移动泵排水，底层老人转移至居委会活动室",
        "need_support": True,
    },
}

DEMO_APPS = [FACADE_HAZARD, SMALL_SITE, FLOOD_PATROL]
DEMO_APPS_BY_KEY = {app["key"]: app for app in DEMO_APPS}


def sample_data(key: str, photo_ids=None) -> dict:
    """A fresh copy of the app's valid sample; with photo_ids, real ids replace the placeholders.

    The n-th placeholder becomes photo_ids[n]; give at least as many ids as the sample holds
    placeholders (`len(sample_placeholders(key))`).
    """
    data = copy.deepcopy(DEMO_APPS_BY_KEY[key]["sample"])
    if photo_ids is None:
        return data
    used = sample_placeholders(key)
    if len(photo_ids) < len(used):
        raise ValueError(f"{key} sample needs {len(used)} photo ids, got {len(photo_ids)}")
    mapping = {placeholder: str(pid) for placeholder, pid in zip(used, photo_ids, strict=False)}
    return _replace(data, mapping)


def sample_placeholders(key: str) -> list[str]:
    """The placeholder photo ids the app's sample uses, in the order of PHOTO_PLACEHOLDERS."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value in PHOTO_PLACEHOLDERS:
            found.add(value)

    walk(DEMO_APPS_BY_KEY[key]["sample"])
    return [p for p in PHOTO_PLACEHOLDERS if p in found]


def _replace(value, mapping: dict):
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, mapping) for v in value]
    return mapping.get(value, value) if isinstance(value, str) else value
