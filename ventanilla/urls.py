"""URL layout (DESIGN.md): public pages under i18n patterns (Spanish at /, English at /en/), machine
interfaces (Open311, REST API, health) outside them because clients do not negotiate a language by path."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.utils.translation import gettext_lazy as _


from backoffice.access import admin_context, admin_login, administrators_only
from notifications.views import inbound_message

from ventanilla.health import healthz, readyz
from ventanilla.metrics import metrics_view


# Staff of entities work in the back office (/oficina/); the Django admin is for administrators whose
# session passed the second factor, and it signs in through the back office's page (backoffice/access.py).
admin.site.has_permission = administrators_only
admin.site.login = admin_login
admin.site.site_header = "Ventanilla"
admin.site.site_title = _("Ventanilla administration")
admin.site.index_title = _("Administration")
admin.site.each_context = admin_context(admin.site.each_context)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include("api.urls")),
    # CAP 1.2 intake and feed, sensors' webhook: machines, no language prefix (operations/).
    path("operaciones/", include("operations.machine_urls")),
    # The SMS/WhatsApp gateway's webhook: a machine interface, no language prefix.
    path("mensajes/entrante/", inbound_message, name="inbound_message"),
]

urlpatterns += i18n_patterns(
    # The admin follows the site's language like every page for people: /admin/ in Spanish (the address
    # administrators know), /en/admin/ in English (docs/decisions.md).
    path("admin/", admin.site.urls),
    path("oficina/", include("backoffice.urls")),
    path("transparencia/", include("transparency.urls")),
    path("tramites/", include("catalog.urls")),
    path("mensajes/", include("notifications.urls")),
    path("operaciones/", include("operations.urls")),
    path("alerta/", include("operations.alerta_urls")),
    path("", include("portal.journey_urls")),
    path("", include("portal.urls")),
    prefix_default_language=False,
)

# Refusals and failures in the caller's format: JSON under /api/, GeoReport errors under /open311/.
handler400 = "ventanilla.refusals.bad_request"
handler500 = "ventanilla.refusals.server_error"
