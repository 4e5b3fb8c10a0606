"""What every API view shares: JSON in, JSON out, token or session authentication, documented errors."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import JSONRenderer

from ..authentication import StrictTokenAuthentication
from ..parsers import BoundedJSONParser
from ..serializers import ConflictSerializer, ErrorSerializer

ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT, description=_("Invalid input: each field named with its messages, nested like the input.")
    ),
    401: OpenApiResponse(ErrorSerializer, description=_("No valid token or session.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Signed in, but not allowed to do this.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such object among those you may see.")),
    409: OpenApiResponse(ConflictSerializer, description=_("The case's current state does not allow this action.")),
    415: OpenApiResponse(ErrorSerializer, description=_("The body must be JSON (`Content-Type: application/json`).")),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


class ClientLanguageMixin:
    def initial(self, request, *args, **kwargs):
        # LocaleMiddleware gives every unprefixed path the default language (the portal's rule); an API
        # client chooses with Accept-Language instead, so labels and errors come back in its language.
        translation.activate(translation.get_language_from_request(request))
        super().initial(request, *args, **kwargs)


class JsonApiMixin(ClientLanguageMixin):
    authentication_classes = [StrictTokenAuthentication, SessionAuthentication]
    # JSON only: the request fields are strictly typed, which form encoding cannot express, and errors
    # must never come back as an HTML page.
    parser_classes = [BoundedJSONParser]
    renderer_classes = [JSONRenderer]


class SchemaView(ClientLanguageMixin, SpectacularAPIView):
    pass


class DocsView(ClientLanguageMixin, SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from a URL, not inline: the CSP forbids inline scripts."""
