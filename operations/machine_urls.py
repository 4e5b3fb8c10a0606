"""CAP 1.2 intake and feed, the sensors' webhook: machine interfaces, outside the language prefixes."""

from django.urls import path

from .views import machines

app_name = "operations_machines"
urlpatterns = [
    path("cap/", machines.cap_intake, name="cap"),
    path("cap/feed.atom", machines.cap_feed, name="cap_feed"),
    path("cap/<str:number>.xml", machines.cap_alert, name="cap_alert"),
    path("sensores/", machines.sensor_intake, name="sensors"),
]
