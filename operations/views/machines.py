"""Machine endpoints (outside the language prefixes): CAP 1.2 intake and feed, the sensors' webhook.

CAP senders are answered in XML, sensors in JSON; errors too, with nothing stored."""

from __future__ import annotations

import json
import logging
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from lxml import etree

from open311.models import ApiKey

from .. import cap, feed, sensors


logger = logging.getLogger(__name__)


def negotiated(view):
    """Machines have no language prefix: answer in their Accept-Language (Spanish by default)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return wrapper


def request_key(request: HttpRequest) -> ApiKey | None:
    """The sensor key from `Authorization: Bearer`, `X-Api-Key` or `?api_key=` (Open311's habit)."""
    header = request.headers.get("Authorization", "")
    raw = header[7:] if header.lower().startswith("bearer ") else request.headers.get("X-Api-Key") or request.GET.get("api_key")
    return ApiKey.objects.authenticate(raw)


def key_problem(key: ApiKey | None) -> tuple[int, str] | None:
    if key is None:
        return 401, _("A valid api_key is required.")
    if key.channel != ApiKey.Channel.SENSOR:
        return 403, _("This api_key is not a sensor key.")
    return None


def xml_response(root: etree._Element, status: int = 200) -> HttpResponse:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, status=status, content_type="application/xml; charset=utf-8")


def xml_error(status: int, message: str) -> HttpResponse:
    root = etree.Element("errors")
    error = etree.SubElement(root, "error")
    etree.SubElement(error, "code").text = str(status)
    etree.SubElement(error, "description").text = message
    return xml_response(root, status)


@csrf_exempt
@negotiated
def cap_intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = xml_error(405, _("Send CAP 1.2 messages with POST."))
        response["Allow"] = "POST"
        return response
    key = request_key(request)
    problem = key_problem(key)
    if problem:
        return xml_error(*problem)
    try:
        intake = cap.ingest(request.body, key)
    except cap.CapError as error:
        logger.info("CAP message refused (%s)", error.status)
        return xml_error(error.status, str(error))
    # status: created (a new alert), updated or cancelled (an Update or Cancel applied to the alert it
    # references), duplicate (a message seen before: nothing was done again).
    root = etree.Element("response")
    etree.SubElement(root, "status").text = intake.status
    etree.SubElement(root, "service_request_id").text = intake.alert.case.number
    return xml_response(root, 201 if intake.created else 200)


@csrf_exempt
@negotiated
def sensor_intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"errors": {"method": _("Send readings with POST.")}}, status=405, headers={"Allow": "POST"})
    problem = key_problem(request_key(request))
    if problem:
        return JsonResponse({"errors": {"api_key": problem[1]}}, status=problem[0])
    if len(request.body) > settings.OPERATIONS_CAP_MAX_BYTES:
        return JsonResponse({"errors": {"body": _("The reading is too large.")}}, status=413)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": {"body": _("The body is not valid JSON.")}}, status=400)
    try:
        intake = sensors.ingest_reading(request_key(request), body)
    except sensors.SensorError as error:
        return JsonResponse({"errors": error.errors}, status=error.status)
    return JsonResponse(
        {"service_request_id": intake.alert.case.number, "status": "created" if intake.created else "duplicate"},
        status=201 if intake.created else 200,
    )


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def cap_feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(feed.atom_feed(base_url(request)), content_type="application/atom+xml; charset=utf-8")


@require_GET
def cap_alert(request: HttpRequest, number: str) -> HttpResponse:
    alert = feed.published_alerts().filter(case__number=number).first()
    if alert is None:
        raise Http404
    return HttpResponse(feed.cap_document(alert), content_type="application/cap+xml; charset=utf-8")



