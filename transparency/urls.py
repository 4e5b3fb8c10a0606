"""/transparencia/ (mounted under i18n patterns in ventanilla/urls.py)."""

from django.urls import path, re_path

from . import views, views_data

app_name = "transparency"
YM = r"(?P<year>\d{4})/(?P<month>\d{2})"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^{YM}/$", views.month, name="month"),
    re_path(rf"^{YM}\.csv$", views.month_csv, name="month_csv"),
    re_path(rf"^{YM}\.json$", views.month_json, name="month_json"),
    path("entidades/<slug:code>/", views.entity, name="entity"),
    path("metodologia/", views.methodology, name="methodology"),
    path("observatorio/", views_data.observatory_page, name="observatory"),
    re_path(r"^observatorio/(?P<chart>[a-z-]+)\.csv$", views_data.observatory_csv, name="observatory_csv"),
    path("datos/", views_data.data_index, name="data"),
    path("datos/casos.csv", views_data.cases_csv, name="cases_csv"),
    re_path(rf"^datos/{YM}/casos\.(?P<fmt>csv|json|geojson)$", views_data.month_cases, name="month_cases"),
    path("datos/catalogo.jsonld", views_data.catalog_jsonld, name="catalog"),
]
