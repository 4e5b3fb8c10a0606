"""`/alerta/`: the fast phone path for an urgent alert — category, location (the phone's, or a map,
or a district), one photo, an optional phone number.

The phone makes an idempotency key for each alert and keeps the alert in a queue (IndexedDB, sent by
the page and by the service worker) until the server answers, so an alert written on a dead connection
is sent when the connection returns, and only once. Works without JavaScript too (the key is then
made by the server in the form, which still protects against a double submit).
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cases.attachments import validate_upload
from cases.models import Category, Channel
from cases.services import Actor
from cases.validation import NewCase
from entities.models import District

from ..models import AlertSource
from ..services import AlertDetails, file_alert_once, hash_client_key

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Field names of the shared validation, as this form calls them.
FORM_FIELDS = {"service_code": "category", "location": "location", "district": "location", "phone": "phone"}


def alert_categories():
    return Category.objects.listed().filter(urgent=True).order_by("name_es")


def context(request: HttpRequest, **extra) -> dict:
    return {
        "categories": alert_categories(),
        "districts": District.objects.select_related("province").order_by("name"),
        "client_key": secrets.token_urlsafe(24),
        "tile_url": settings.MAP_TILE_URL,
        "values": {},
        "errors": {},
        **extra,
    }


def read_alert(request: HttpRequest) -> tuple[NewCase, str, dict[str, str]]:
    post = request.POST
    errors: dict[str, str] = {}
    key = (post.get("client_key") or "").strip()
    if not _KEY.match(key):
        errors["client_key"] = _("Reload the page and send the alert again.")
    category = alert_categories().filter(code=(post.get("category") or "").strip()).first()
    description = (post.get("description") or "").strip() or (category.name if category else "")
    data = NewCase(
        category_code=category.code if category else "",
        description=description,
        channel=Channel.MOBILE if post.get("via") == "app" else Channel.WEB,
        lat=(post.get("lat") or "").strip() or None,
        lon=(post.get("lon") or "").strip() or None,
        district_code=(post.get("district") or "").strip() or None,
        contact_phone=(post.get("phone") or "").strip(),
        is_anonymous=False,
        language=(request.LANGUAGE_CODE or settings.LANGUAGE_CODE)[:2],
    )
    if data.lat is None and data.lon is None and not data.district_code:
        errors["location"] = _("Share your location, tap the map, or choose your district.")
    if category is None:
        errors["category"] = _("Choose what is happening.")
    return data, key, errors


def field_errors(error: ValidationError) -> dict[str, str]:
    result: dict[str, str] = {}
    problems_by_field = error.error_dict if hasattr(error, "error_dict") else {"category": [error]}
    for name, problems in problems_by_field.items():
        label = FORM_FIELDS.get(name, name)
        result.setdefault(label, " ".join(" ".join(p.messages) for p in problems))
    return result


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


STATIC_NAMES = {
    "__QUEUE_JS__": "operations/alerta-queue.js",
    "__PAGE_JS__": "operations/alerta.js",
    "__CSS__": "css/ventanilla.css",
    "__OPS_CSS__": "operations/operations.css",
}


# The queued alert may be sent by the service worker hours after the page was loaded, when the CSRF
# cookie may be gone; the form carries no session authority (the alert is filed as from the public),
# and the phone's idempotency key makes a replay harmless.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def alerta(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "operations/alerta.html", context(request))
    data, key, errors = read_alert(request)
    photo = None
    if request.FILES.get("photo") is not None:
        try:
            photo = validate_upload(request.FILES["photo"])
        except ValidationError as error:
            errors["photo"] = " ".join(error.messages)
    alert = created = None
    if not errors:
        details = AlertDetails(source=AlertSource.CITIZEN, client_key=hash_client_key(key))
        try:
            alert, created = file_alert_once(data, details, actor=Actor(channel=data.channel), photo=photo)
        except ValidationError as error:
            errors = field_errors(error)
    if errors:
        if wants_json(request):
            return JsonResponse({"errors": errors}, status=400)
        values = {name: request.POST.get(name, "") for name in ("category", "lat", "lon", "district", "description", "phone")}
        return render(request, "operations/alerta.html", context(request, errors=errors, values=values, client_key=key or secrets.token_urlsafe(24)), status=400)
    tracking = reverse("track", kwargs={"token": alert.case.tracking_token})
    if wants_json(request):
        return JsonResponse({"number": alert.case.number, "tracking_url": tracking, "created": created}, status=201 if created else 200)
    return render(request, "operations/alerta_sent.html", {"number": alert.case.number, "tracking_url": tracking})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /alerta/ so that its scope is the alert page."""
    path = finders.find("operations/alerta-sw.js")
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    # The worker names the files it keeps offline by their published (hashed, in production) URLs.
    for placeholder, name in STATIC_NAMES.items():
        body = body.replace(placeholder, static(name))
    body = body.replace("__PAGE__", request.path.rsplit("/", 1)[0] + "/")
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
