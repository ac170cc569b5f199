"""`{% wecom_bridge %}`: the JS-SDK and our bridge, only inside WeCom and when it is configured."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from lightapps.web.middleware import is_wecom_browser
from lightapps.wecom.client import wecom_configured

register = template.Library()


@register.simple_tag(takes_context=True)
def wecom_bridge(context) -> str:
    request = context.get("request")
    if request is None or not wecom_configured() or not is_wecom_browser(request):
        return ""
    return format_html(
        '<meta name="wecom-config" data-corp-id="{}" data-agent-id="{}" data-signature-url="{}">'
        '<script src="{}" defer></script>',
        settings.WECOM_CORP_ID,
        settings.WECOM_AGENT_ID,
        reverse("wecom:jssdk_signature"),
        static("vendor/wecom/wecom.global.prod.js"),
    )
