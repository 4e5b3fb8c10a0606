from django.urls import path  # noqa: F401

app_name = "backoffice"
urlpatterns: list = []
from .urls_desk import urlpatterns as desk_urlpatterns  # noqa: E402
urlpatterns += desk_urlpatterns
