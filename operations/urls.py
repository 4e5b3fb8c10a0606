"""The operations board (under the language prefixes: it is a page people read)."""

from django.urls import path

from .views import board, staff_alert

app_name = "operations"
urlpatterns = [
    path("", board.board, name="board"),
    path("turno/", board.shift, name="shift"),
    path("nueva/", staff_alert.staff_alert, name="new_alert"),
    path("alertas/<str:number>/<slug:action>/", board.act, name="act"),
]
