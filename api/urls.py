"""REST API v1 (mounted at /api/v1/ outside the language prefixes: clients choose a language with
Accept-Language). The OpenAPI schema and its Swagger UI page are generated from these views."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from .errors import not_found
from .schema import SCHEMA_SETTINGS
from .views.base import DocsView, SchemaView
from .views.cases import CaseViewSet
from .views.catalog import CategoryViewSet, EntityViewSet, ProcedureViewSet

app_name = "api"

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("categories", CategoryViewSet, basename="category")
router.register("entities", EntityViewSet, basename="entity")
router.register("procedures", ProcedureViewSet, basename="procedure")

urlpatterns = [
    path(
        "schema/",
        SchemaView.as_view(custom_settings=SCHEMA_SETTINGS),
        name="schema",
    ),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: every other address under /api/v1/ answers with a JSON 404 rather than the site's HTML page.
    re_path(r"^[\s\S]*\Z", not_found),
]
