from django.urls import path

from . import views

app_name = "notifications"

# Under the language prefixes (ventanilla/urls.py): a person reads this page.
urlpatterns = [
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
