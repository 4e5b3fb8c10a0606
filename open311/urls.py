"""GeoReport v2 at /open311/v2/ (mounted outside the language prefixes by ventanilla/urls.py)."""

from django.urls import path, re_path, register_converter

from . import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "format")

app_name = "open311"
urlpatterns = [
    path("discovery.<format:format>", views.discovery, name="discovery"),
    path("services.<format:format>", views.service_list, name="services"),
    path("services/<str:service_code>.<format:format>", views.service_definition, name="service"),
    path("requests.<format:format>", views.requests, name="requests"),
    path("requests/<str:service_request_id>.<format:format>", views.single_request, name="request"),
    path("tokens/<str:token>.<format:format>", views.token, name="token"),
    path("media/<int:pk>/", views.media, name="media"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
