"""The catalog under /tramites/ (and /en/tramites/). Paths are Spanish in both languages, like the rest of
the public site, so a printed or shared link works whatever the reader's language."""

from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("tema/<slug:code>/", views.theme, name="theme"),
    path("entidad/<slug:code>/", views.entity, name="entity"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/informacion-desactualizada/", views.report_outdated, name="report_outdated"),
    path("<slug:slug>/informacion-desactualizada/enviado/", views.report_outdated_sent, name="report_outdated_sent"),
]
