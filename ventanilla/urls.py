"""URL layout (DESIGN.md): public pages under i18n patterns (Spanish at /, English at /en/), machine
interfaces (Open311, REST API, health) outside them because clients do not negotiate a language by path."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

from ventanilla.health import healthz, readyz
from ventanilla.metrics import metrics_view


def administrators_only(request: HttpRequest) -> bool:
    # Staff of entities work in the back office (/oficina/); the Django admin is for administrators.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = administrators_only
admin.site.site_header = "Ventanilla"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("oficina/", include("backoffice.urls")),
    path("transparencia/", include("transparency.urls")),
    path("tramites/", include("catalog.urls")),
    path("", include("portal.journey_urls")),
    path("", include("portal.urls")),
    prefix_default_language=False,
)
