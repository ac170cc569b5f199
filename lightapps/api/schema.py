"""The OpenAPI declares the error responses of every operation, all in the one error shape."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "每个错误的同一形状：code（机器可读）、message（中文）、fields（按路径的字段错误）",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "请检查填写的内容"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

# Status -> what it means here; every operation may answer these (413 and 415 only with a body).
ERRORS = {
    "400": "请求有误（invalid、parse_error、too_deep、bad_text、invalid_filter…）",
    "401": "未登录或令牌无效（not_authenticated、authentication_failed、token_expired）",
    "403": "无权执行（not_allowed、csrf_failed）",
    "404": "不存在或无权查看（not_found）",
    # e.g. a path parameter of "." that a client's URL normalisation folds into another path
    "405": "该地址不接受这种请求方法（method_not_allowed）",
    "429": "请求太频繁（throttled、too_many_failures），见 Retry-After",
    "500": "服务器错误（server_error）",
}
BODY_ERRORS = {
    "413": "提交的内容太大（too_large、file_too_large、too_many_pixels）",
    "415": "不支持的请求内容类型（unsupported_media_type）",
}
# The operations that refuse a request that came second (the 409s of lightapps.errors.Conflict).
CONFLICTS = {
    "apps_submissions_create": "编号已被另一份内容不同的上报使用（id_taken），或应用已停用（app_disabled）",
    "apps_draft_update": "草稿在您载入后已被他人保存（draft_conflict），附 revision、saved_by、saved_at",
    "apps_rollback_create": "草稿在您载入后已被他人保存（draft_conflict）",
    "work_orders_actions_create": "工单已有新的办理或状态已变化（stale_state）",
}


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the Error component and the error responses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERRORS)
            if method in {"post", "put", "patch"} and "requestBody" in operation:
                errors.update(BODY_ERRORS)
            if operation.get("operationId") in CONFLICTS:
                errors["409"] = CONFLICTS[operation["operationId"]]
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": ref}
                )
    return result
