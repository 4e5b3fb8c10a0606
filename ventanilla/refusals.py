"""Requests the framework refuses before any view runs, answered in the caller's format.

Django refuses a body that is too large, has too many fields or files, or is broken multipart, by raising
while the request is read; left alone that becomes Django's HTML "Bad Request" page, or a server error for
broken multipart. An integration talking to the REST API must get JSON, an Open311 client its GeoReport
error document (XML or JSON, by the URL's suffix), and a citizen an HTML page in the site's layout.

`RequestLimitsMiddleware` reads form bodies early, inside a `try`, so every such refusal is answered here:

* a declared `Content-Length` above the limit (`DATA_UPLOAD_MAX_MEMORY_SIZE` for bodies without files,
  `REQUEST_MAX_BODY_BYTES` for multipart) is refused before a byte is read: 413;
* too many fields or files, broken multipart: 400;
* a form body that is not valid UTF-8 (form-encoded bodies must be UTF-8; multipart may declare another
  charset): 400, instead of text silently stored with replacement characters (Django decodes with
  errors="replace").

The handlers at the end (`bad_request`, `server_error`) give the same treatment to the refusals Django
raises elsewhere (a SuspiciousOperation in a view, an unexpected error under /api/).
"""

from __future__ import annotations

import codecs
import logging
from typing import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Refusal(Exception):
    """A request refused before its view; `code` is machine-readable, the message for a reader."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message
        super().__init__(message)


def caller_format(request: HttpRequest) -> str:
    """"json" for the REST API, "open311-json"/"open311-xml" for GeoReport, else "html"."""
    path = request.path_info
    if path.startswith("/api/"):
        return "json"
    if path.startswith("/open311/"):
        return "open311-json" if path.rstrip("/").endswith(".json") else "open311-xml"
    return "html"


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    fmt = caller_format(request)
    if fmt == "json":
        return JsonResponse({"detail": refusal.message, "code": refusal.code}, status=refusal.status)
    if fmt.startswith("open311-"):
        from open311.renderers import error_response

        return error_response(fmt.removeprefix("open311-"), refusal.status, [refusal.message])
    html = render_to_string("request_refused.html", {"message": refusal.message, "status": refusal.status}, request)
    return HttpResponse(html, status=refusal.status)


def too_large() -> Refusal:
    return Refusal(413, "too_large", _("The request is too large. Send fewer or smaller files, or shorter text."))


def malformed() -> Refusal:
    return Refusal(400, "malformed", _("The request could not be read: its body is malformed."))


def too_many_fields() -> Refusal:
    return Refusal(400, "too_many_fields", _("The request has too many fields or files."))


def bad_encoding(charset: str) -> Refusal:
    return Refusal(
        400,
        "invalid_encoding",
        _("The request body is not valid %(charset)s text. Send it as UTF-8.")
        % {"charset": charset.upper()},
    )


def null_character() -> Refusal:
    return Refusal(400, "null_character", _("The request contains a NUL character, which no text may contain."))


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


def as_refusal(error: BaseException) -> Refusal:
    if isinstance(error, RequestDataTooBig):
        return too_large()
    if isinstance(error, (TooManyFieldsSent, TooManyFilesSent)):
        return too_many_fields()
    return malformed()


def _content_length(request: HttpRequest) -> int:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise malformed() from None
    if length < 0:
        raise malformed()
    return length


def check_body(request: HttpRequest) -> None:
    """Raise Refusal if the body must be refused; otherwise the form (if any) is parsed and cached."""
    # PostgreSQL cannot store or even compare text with NUL; no address, argument or field has one.
    if "\x00" in request.path or _has_nul(request.GET):
        raise null_character()
    if request.method not in BODY_METHODS:
        return
    content_type = request.content_type or ""
    length = _content_length(request)
    multipart = content_type == "multipart/form-data"
    limit = settings.REQUEST_MAX_BODY_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise too_large()
    if content_type not in FORM_TYPES or caller_format(request) == "json":
        # The REST API takes JSON only and answers a form body with its own 415; parsing the form
        # here would leave DRF an exhausted stream.
        return
    # Django ignores a charset it does not know and reads UTF-8; the client meant something else.
    charset = request.content_params.get("charset") or request.encoding or settings.DEFAULT_CHARSET
    try:
        codecs.lookup(charset)
    except LookupError:
        raise bad_encoding(charset) from None
    if not multipart:
        if codecs.lookup(charset).name != "utf-8":
            # Django reads form-encoded bodies as UTF-8 only (HTML's rule for this content type).
            raise bad_encoding("UTF-8")
        _check_urlencoded(request.body, charset)
    if multipart and 0 < length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        # Keep the raw bytes of a small multipart body: a view that checks a signature over the body
        # (the SMS gateway's webhook) can still read it after the form is parsed. Large uploads stream.
        request.body  # noqa: B018
    try:
        post = request.POST
        request.FILES  # noqa: B018 - parsing here is the point: errors surface now, not in a view
    except (SuspiciousOperation, MultiPartParserError, BadRequest) as error:
        raise as_refusal(error) from None
    if _has_nul(post):
        raise null_character()
    if multipart and any("\ufffd" in value for values in post.lists() for value in values[1]):
        # Django decodes multipart fields with errors="replace"; a replacement character means the
        # client's bytes were not text in the declared charset.
        raise bad_encoding(charset)


def _check_urlencoded(body: bytes, charset: str) -> None:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise bad_encoding(charset) from None
    for pair in text.split("&"):
        try:
            unquote_to_bytes(pair.replace("+", " ")).decode(charset)
        except UnicodeDecodeError:
            raise bad_encoding(charset) from None


class RequestLimitsMiddleware:
    """Refuse, in the caller's format, bodies the framework would refuse with an HTML page or a 500.
    Placed before the CSRF check, which reads POST itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_body(request)
        except Refusal as refusal:
            # The path is not logged: it may carry a tracking token (see ventanilla/serverlog.py).
            logger.info("Request refused before its view: %s (%d)", refusal.code, refusal.status)
            return refusal_response(request, refusal)
        except (SuspiciousOperation, BadRequest) as error:
            return refusal_response(request, as_refusal(error))
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a SuspiciousOperation raised anywhere, answered in the caller's format."""
    if exception is None:
        return refusal_response(request, malformed())
    return refusal_response(request, as_refusal(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: machine interfaces answer JSON or GeoReport errors even when something broke."""
    fmt = caller_format(request)
    if fmt == "html":
        return defaults.server_error(request)
    message = _("Something went wrong on our side. Try again later.")
    return refusal_response(request, Refusal(500, "server_error", message))
