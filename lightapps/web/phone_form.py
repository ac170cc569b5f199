"""填报页面的呈现: what the phone form's template walks, built from a version's definition.

One function, `form_context`, for the real form (mobile.views.form) and the builder's preview of
a draft, so the preview shows exactly what a phone shows.
"""

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.selectors import org_unit_choices, person_choices
from lightapps.web.maps import map_tiles


def form_context(*, app, version, person) -> dict:
    """The template context of mobile/form.html for `version` of `app`, as `person` sees it."""
    fields = fields_of(version.schema, version.ui)
    _offer_choices(fields, person)
    return {
        "app": app,
        "version": version,
        "fields": fields,
        "nodes": _nodes(fields, "f-"),
        "submit_url": reverse("api-submissions", kwargs={"key": app.key}),
        "upload_url": reverse("api-attachments"),
        "submitted_url": reverse("mobile:submitted", args=["00000000-0000-0000-0000-000000000000"]),
        "texts": form_texts(),
        "map_tiles": map_tiles(),
    }


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _initial_items(field: dict) -> int:
    """A repeated group starts with minItems items, or one when it is required."""
    min_items = field["schema"].get("minItems", 0)
    return max(int(min_items), 1 if field["required"] else 0)


def _offer_choices(fields: list[dict], person) -> None:
    """Fill the org-unit and person pickers with what this person may pick (their street)."""
    for field in fields:
        if field["kind"] == "orgunit":
            field["choices"] = org_unit_choices(person=person, levels=field["levels"])
        elif field["kind"] == "person":
            field["choices"] = person_choices(person=person, roles=field["roles"])
        elif field["kind"] == "group":
            _offer_choices(field["fields"], person)


BLOCK_KINDS = {
    "textarea", "radio", "checkboxes", "location", "group", "rating", "files", "signature",
}  # fmt: skip


def _nodes(fields: list[dict], prefix: str) -> list[dict]:
    """What the form template walks: each field with a unique element id (and group items)."""
    nodes = []
    for field in fields:
        node_id = prefix + _UNSAFE.sub("_", field["name"])
        node = {
            "f": field,
            "id": node_id,
            "choices": list(enumerate(field.get("choices", []))),
            "min_length": field["schema"].get("minLength"),
            "max_length": field["schema"].get("maxLength"),
            "minimum": field["schema"].get("minimum"),
            "maximum": field["schema"].get("maximum"),
            "max_items": field["schema"].get("maxItems"),
            "block": field["kind"] in BLOCK_KINDS,
            "bare": field["kind"] in {"heading", "note"},
        }
        if field["kind"] == "group":
            count = 1 if field.get("nested") else _initial_items(field)
            node["min_items"] = count
            node["items"] = [
                {"number": i + 1, "nodes": _nodes(field["fields"], f"{node_id}-{i}-")}
                for i in range(count)
            ]
            # Cloned by the page for "添加一项"; __i__ becomes a fresh index.
            node["blank"] = _nodes(field["fields"], f"{node_id}-__i__-")
        nodes.append(node)
    return nodes


def form_texts() -> dict[str, str]:
    """The messages the form's JS shows, translated here so the JS carries no UI strings."""
    return {
        "required": _("请填写“%s”"),
        "required_choice": _("请选择“%s”"),
        "required_location": _("请获取“%s”"),
        "required_photos": _("请上传“%s”"),
        "photos_pending": _("照片还在上传，请稍候"),
        "photos_failed": _("有照片上传失败，请重试或删除"),
        "check_fields": _("请检查标红的项目"),
        "retrying": _("网络不畅，正在重试"),
        "queued_offline": _("没有网络：已存入发件箱，联网后自动发送"),
        "photo_queued": _("待上传"),
        "queued": _("已存入发件箱"),
        "retrying_in": _("网络不畅，%s 秒后重试"),
        "submitting": _("提交中…"),
        "submit": _("提交"),
        "submit_failed": _("提交失败，请稍后再试"),
        "resuming": _("上次提交未完成，正在重新提交"),
        "locating": _("定位中…"),
        "place_finding": _("正在查找所在网格…"),
        "place_in": _("%(street)s · %(grid)s"),
        "place_none": _("不在本区任何网格内，上报后由区城运中心分派"),
        "place_offline": _("离线：联网后显示所在网格（上报仍按位置派到网格）"),
        "place_failed": _("暂时查不到所在网格"),
        "location_inaccurate": _(
            "定位精度约 %(m)s 米，本应用要求 %(max)s 米以内：请到开阔处或窗边重新定位"
        ),
        "locate": _("获取定位"),
        "relocate": _("重新定位"),
        "not_located": _("未定位"),
        "location_value": _("纬度 %(lat)s，经度 %(lng)s"),
        "accuracy": _("精度约 %s 米"),
        "location_denied": _("无法定位：请允许使用位置信息"),
        "location_timeout": _("定位超时，请到开阔处重试"),
        "location_unavailable": _("暂时无法定位，请稍后重试"),
        "location_unsupported": _("此设备不支持定位"),
        "uploading": _("上传中"),
        "upload_failed": _("上传失败"),
        "retry": _("重试"),
        "remove": _("删除"),
        "photo_removed": _("已删除 1 张照片"),
        "undo": _("撤销"),
        "watermark_no_place": _("未获取定位"),
        "photo_limit": _("最多 %s 张照片"),
        "bad_photo": _("无法读取这张照片"),
        "draft_restored": _("已恢复上次未提交的内容"),
        "draft_old_version": _("已恢复按第 %s 版填写的草稿，仍按此版提交"),
        "draft_saved": _("草稿已保存在本机"),
        "discard_draft": _("清空重填"),
        "confirm_discard": _("确定清空已填写的内容？"),
        "confirm_remove_item": _("删除“%s”？这一项已填写的内容会一起删除。"),
        "item": _("第 %s 项"),
        "required_files": _("请上传“%s”"),
        "required_signature": _("请在“%s”签字并确认"),
        "signature_empty": _("请先签字"),
        "signature_saving": _("签名保存中…"),
        "signature_saved": _("已签字"),
        "signature_failed": _("签名保存失败，请重试"),
        "signature_hint": _("请在框内签字"),
        "files_pending": _("文件还在上传，请稍候"),
        "file_limit": _("最多 %s 个文件"),
        "rating_value": _("%(n)s 分（满分 %(max)s）"),
        "bad_mobile": _("“%s”应为 11 位手机号码"),
        "bad_idcard": _("“%s”应为有效的 18 位居民身份证号码"),
    }
