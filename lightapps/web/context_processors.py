"""What every template may ask: whether the development login and WeCom are on."""

from django.conf import settings


def current_person(request):
    return {"DEV_LOGIN": settings.DEV_LOGIN, "WECOM_CONFIGURED": settings.WECOM_CONFIGURED}
