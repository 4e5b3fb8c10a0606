"""Open311 GeoReport v2 endpoints. Each view reads its arguments, calls documents/services, renders.

Every answer, errors included, comes in the format the URL asked for (`.json` or `.xml`).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cases.models import Attachment, Case

from . import documents, services
from .models import ApiKey
from .renderers import Document, error_response, respond


def request_language(request: HttpRequest, params) -> str:
    """`locale` if the client sent one (a common Open311 extension), else its Accept-Language.

    The site's LocaleMiddleware gives every unprefixed URL the default language; an API has no
    language prefix, so it negotiates here instead.
    """
    try:
        return translation.get_supported_language_variant((params.get("locale") or "").strip().replace("_", "-").lower())
    except LookupError:
        return translation.get_language_from_request(request)


def open311_endpoint(*methods: str):
    """Check the method and jurisdiction_id, and turn Open311Error into a GeoReport error in the
    caller's format (so that even a wrong method or jurisdiction is answered in XML or JSON)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, format: str, **kwargs) -> HttpResponse:
            try:
                params = request.POST if request.method == "POST" else request.GET
            except (SuspiciousOperation, MultiPartParserError):
                # Too large, too many fields or broken multipart: Django would answer with an HTML page.
                return error_response(format, 400, [_("The request body is too large or malformed.")])
            with translation.override(request_language(request, params)):
                try:
                    if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                        raise documents.Open311Error(
                            405,
                            _("Method %(method)s is not allowed here; use %(allowed)s.")
                            % {"method": request.method, "allowed": ", ".join(methods)},
                            headers={"Allow": ", ".join(methods)},
                        )
                    jurisdiction = (params.get("jurisdiction_id") or "").strip()
                    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
                        raise documents.Open311Error(404, _("jurisdiction_id %(id)s not found.") % {"id": jurisdiction})
                    return view(request, *args, format=format, **kwargs)
                except documents.Open311Error as error:
                    response = error_response(format, error.status, error.descriptions)
                    for header, value in error.headers.items():
                        response[header] = value
                    return response

        return wrapper

    return decorator


def absolute_builder(request: HttpRequest):
    return request.build_absolute_uri


@open311_endpoint("GET")
def discovery(request: HttpRequest, format: str) -> HttpResponse:
    return respond(Document("discovery", documents.discovery(absolute_builder(request))), format)


@open311_endpoint("GET")
def service_list(request: HttpRequest, format: str) -> HttpResponse:
    return respond(Document("services", documents.service_list()), format)


@open311_endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, format: str) -> HttpResponse:
    return respond(Document("service_definition", documents.service_definition(service_code)), format)


@csrf_exempt  # API clients authenticate with api_key, not with a session cookie.
@open311_endpoint("GET", "POST")
def requests(request: HttpRequest, format: str) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, format)
    filters = documents.parse_filters(request.GET)
    cases = documents.filter_requests(filters)
    body = documents.request_list(cases, absolute_builder(request), extensions=filters.extensions)
    return respond(Document("service_requests", body), format)


def create_request(request: HttpRequest, format: str) -> HttpResponse:
    api_key = ApiKey.objects.authenticate(request.POST.get("api_key"))
    if api_key is None:
        raise documents.Open311Error(403, _("Missing, invalid or revoked api_key: cannot create the request."))
    services.check_rate(api_key)
    form = services.read_form(request.POST, request.FILES)
    key = services.idempotency_key(request.headers.get("Idempotency-Key"), form)
    receipt = services.submit_request(api_key, form, key)
    response = respond(Document("service_requests", services.receipt_document(receipt)), format)
    if receipt.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@open311_endpoint("GET")
def single_request(request: HttpRequest, service_request_id: str, format: str) -> HttpResponse:
    extensions = (request.GET.get("extensions") or "").strip().lower() == "true"
    body = documents.single_request(service_request_id, absolute_builder(request), extensions=extensions)
    return respond(Document("service_requests", body), format)


@open311_endpoint("GET")
def token(request: HttpRequest, token: str, format: str) -> HttpResponse:
    return respond(Document("service_requests", documents.token_lookup(token)), format)


@csrf_exempt  # a client POSTing to a wrong URL should hear "not found", not a CSRF page
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /open311/v2/: a GeoReport 404 (JSON if the path asked for it, else XML)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return error_response(fmt, 404, [_("No such Open311 resource: %(path)s") % {"path": path}])


@require_GET
def media(request: HttpRequest, pk: int) -> FileResponse:
    """A public photo of a public case: what media_url points at. Nothing else is served here."""
    attachment = get_object_or_404(
        Attachment.objects.filter(public=True, content_type__startswith="image/", case__in=Case.objects.public()),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="{pk}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response
