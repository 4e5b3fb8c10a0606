from django.conf import settings
from django.http import HttpRequest

from ventanilla.layout import layout_context


def site(request: HttpRequest) -> dict:
    return {"SITE_URL": settings.SITE_URL, "DEBUG": settings.DEBUG, **layout_context(request)}
