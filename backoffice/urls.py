"""The back office under /oficina/ (Spanish paths in both languages, like the portal's)."""

from django.urls import path

from .views import actions, auth, case, queue

app_name = "backoffice"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("entrar/", auth.signin_password, name="signin"),
    path("entrar/codigo/", auth.signin_code, name="signin_code"),
    path("entrar/alta/", auth.signin_enrol, name="signin_enrol"),
    path("salir/", auth.signout, name="signout"),
    path("salir/todas/", auth.signout_everywhere, name="signout_everywhere"),
    path("filtros/", queue.save_filter, name="save_filter"),
    path("filtros/<int:pk>/borrar/", queue.delete_filter, name="delete_filter"),
    path("lote/", queue.bulk, name="bulk"),
    path("casos/<str:number>/", case.case_detail, name="case"),
    path("casos/<str:number>/contacto/", case.show_contact, name="show_contact"),
    path("casos/<str:number>/<slug:action>/", actions.case_action, name="case_action"),
    path("adjuntos/<int:pk>/", case.attachment, name="attachment"),
]

# backoffice-desk (the agent console, supervisors, triage, audit) adds its include below.
from .urls_desk import urlpatterns as desk_urlpatterns  # noqa: E402
urlpatterns += desk_urlpatterns
