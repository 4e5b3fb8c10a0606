"""/alerta/: the citizen's fast path for an urgent alert, and its service worker."""

from django.urls import path

from .views import alerta

app_name = "alerta"
urlpatterns = [
    path("", alerta.alerta, name="alerta"),
    path("sw.js", alerta.service_worker, name="service_worker"),
]
