"""Permissions-Policy: powerful browser features only on the pages that need them.

Every response denies geolocation, camera and the other features no page uses. The pages listed in
`PERMISSIONS_POLICY_PAGES` (URL names such as `report_form`, or path prefixes such as `/alerta/`, with
or without the language prefix) may use `PERMISSIONS_POLICY_FEATURES` (geolocation, camera) for their
own origin only. A page added by another app joins by adding its URL name or prefix to the setting.
"""

from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_supported_language_variant

# Features no page of ours uses: denied everywhere, whatever the page.
ALWAYS_DENIED = ("microphone", "payment", "usb", "serial", "bluetooth", "midi", "magnetometer", "gyroscope",
                 "accelerometer", "display-capture", "browsing-topics")


def strip_language_prefix(path: str) -> str:
    """`/en/reportar/x/` → `/reportar/x/`; other paths unchanged."""
    parts = path.split("/", 2)
    if len(parts) > 2 and parts[1]:
        try:
            if get_supported_language_variant(parts[1], strict=True) == parts[1]:
                return "/" + parts[2]
        except LookupError:
            pass
    return path


def page_may_use_features(request: HttpRequest) -> bool:
    pages = settings.PERMISSIONS_POLICY_PAGES
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.view_name in pages or match.url_name in pages):
        return True
    paths = {request.path_info, strip_language_prefix(request.path_info)}
    return any(page.startswith("/") and path.startswith(page) for page in pages for path in paths)


def permissions_policy(allowed: bool) -> str:
    granted = "(self)" if allowed else "()"
    features = [f"{feature}={granted}" for feature in settings.PERMISSIONS_POLICY_FEATURES]
    features += [f"{feature}=()" for feature in ALWAYS_DENIED if feature not in settings.PERMISSIONS_POLICY_FEATURES]
    return ", ".join(features)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy(page_may_use_features(request)))
        return response
