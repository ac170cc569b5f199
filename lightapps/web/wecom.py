"""WeCom faces: the OAuth login, JS-SDK signatures and the callback endpoint."""

from __future__ import annotations

import logging
from urllib.parse import urlparse

import xmltodict
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

from lightapps.wecom.client import wecom_configured
from lightapps.wecom.jssdk import page_signatures
from lightapps.wecom.services import (
    WeComLoginError,
    contact_change_apply,
    oauth_authorize_url,
    oauth_state_make,
    oauth_state_read,
    person_from_oauth_code,
    qr_login_page_url,
)

logger = logging.getLogger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _problems() -> dict[str, tuple[str, str]]:
    return {
        "not_member": (
            _("您不在本单位通讯录中"),
            _("请联系管理员把您加入企业微信通讯录后再打开。"),
        ),
        "disabled": (_("您的账号已停用"), _("如需继续使用，请联系管理员。")),
        "bad_state": (_("登录链接无效"), _("请回到企业微信，重新打开应用。")),
        "state_expired": (_("登录已超时"), _("请回到企业微信，重新打开应用。")),
        "bad_code": (_("登录凭证已失效"), _("登录凭证只能使用一次且很快过期。请重新打开应用。")),
        "not_configured": (_("未配置企业微信"), _("本系统尚未配置企业微信登录。")),
        "unavailable": (_("企业微信暂时无法连接"), _("请稍后重试。")),
    }


def _problem(request, code: str, status: int):
    title, hint = _problems()[code]
    context = {"code": code, "title": title, "hint": hint, "retry_url": reverse("wecom:start")}
    return render(request, "wecom/problem.html", context, status=status)


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@require_GET
def oauth_start(request):
    """Off to WeCom's authorize page with a signed state that carries where to come back."""
    if not wecom_configured():
        return _problem(request, "not_configured", 404)
    state = oauth_state_make(next_url=_safe_next(request, request.GET.get("next", "")))
    redirect_uri = request.build_absolute_uri(reverse("wecom:callback_oauth"))
    return redirect(oauth_authorize_url(redirect_uri=redirect_uri, state=state))


@require_GET
def qr_start(request):
    """企业微信扫码登录 from a desktop browser: WeCom's QR page, back through the same callback."""
    if not wecom_configured():
        return _problem(request, "not_configured", 404)
    state = oauth_state_make(next_url=_safe_next(request, request.GET.get("next", "")))
    redirect_uri = request.build_absolute_uri(reverse("wecom:callback_oauth"))
    return redirect(qr_login_page_url(redirect_uri=redirect_uri, state=state))


@require_GET
def oauth_callback(request):
    """code → person → session, then back to the page asked for."""
    if not wecom_configured():
        return _problem(request, "not_configured", 404)
    try:
        next_url = oauth_state_read(request.GET.get("state", ""))
        code = request.GET.get("code", "")
        if not code:
            raise WeComLoginError("bad_code")
        person = person_from_oauth_code(code=code)
    except WeComLoginError as exc:
        logger.info("WeCom login refused: %s", exc.code)
        return _problem(request, exc.code, 403 if exc.code in {"not_member", "disabled"} else 400)
    except Exception:
        logger.exception("WeCom login failed")
        return _problem(request, "unavailable", 502)
    request.login_method = "wecom"
    login(request, person, backend=MODEL_BACKEND)
    return redirect(_safe_next(request, next_url))


@require_GET
def jssdk_signature(request):
    """Signatures of a page of ours for `ww.register` (config and agentConfig)."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "not_authenticated", "message": _("请先登录"), "fields": {}},
                            status=401)  # fmt: skip
    if not wecom_configured():
        return JsonResponse(
            {"code": "not_configured", "message": _("未配置企业微信"), "fields": {}}, status=404
        )
    url = request.GET.get("url", "")
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}
    ):
        return JsonResponse(
            {
                "code": "invalid",
                "message": _("只能为本站页面签名"),
                "fields": {"url": [_("请提供本站页面的完整地址")]},
            },
            status=400,
        )
    try:
        return JsonResponse(page_signatures(url=url))
    except Exception:
        logger.exception("JS-SDK signature failed")
        return JsonResponse(
            {"code": "unavailable", "message": _("企业微信暂时无法连接"), "fields": {}}, status=502
        )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request):
    """企业微信回调: URL verification (GET echostr) and encrypted events (POST)."""
    if not (wecom_configured() and settings.WECOM_TOKEN and settings.WECOM_AES_KEY):
        return HttpResponse(status=404)
    crypto = WeChatCrypto(settings.WECOM_TOKEN, settings.WECOM_AES_KEY, settings.WECOM_CORP_ID)
    signature = request.GET.get("msg_signature", "")
    timestamp = request.GET.get("timestamp", "")
    nonce = request.GET.get("nonce", "")
    try:
        if request.method == "GET":
            echo = crypto.check_signature(
                signature, timestamp, nonce, request.GET.get("echostr", "")
            )
            return HttpResponse(echo, content_type="text/plain")
        plain = crypto.decrypt_message(request.body, signature, timestamp, nonce)
    except (InvalidSignatureException, InvalidCorpIdException, KeyError, ValueError) as exc:
        logger.warning(
            "WeCom callback refused (%s) from %s",
            type(exc).__name__,
            request.META.get("REMOTE_ADDR"),
        )
        return HttpResponseForbidden("invalid signature")
    message = xmltodict.parse(plain)["xml"]
    if message.get("MsgType") == "event" and message.get("Event") == "change_contact":
        try:
            logger.info("WeCom contact change: %s", contact_change_apply(message=message))
        except Exception:
            # Answer WeCom anyway (it would resend for hours); the nightly sync repairs it.
            logger.exception("WeCom contact change failed: %s", message.get("ChangeType"))
    return HttpResponse("success", content_type="text/plain")
