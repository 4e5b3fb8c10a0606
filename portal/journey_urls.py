"""Report, track and survey pages (the 311 journey), and anonymous complaints. Paths are Spanish in
both languages (/reportar/ and /en/reportar/): a link on a printed receipt works whatever the reader's
language."""

from django.urls import path

from portal.journey import complaint, views

urlpatterns = [
    path("reportar/", views.report_category, name="report_category"),
    path("reportar/recibido/", views.report_received, name="report_received"),
    path("reportar/recibido/comprobante/", views.report_receipt, name="report_receipt"),
    path("reportar/recibido/comprobante.txt", views.report_receipt_text, name="report_receipt_text"),
    path("reportar/recibido/anonimo/", complaint.complaint_received, name="anonymous_report_received"),
    path("reportar/<str:code>/", views.report_form, name="report_form"),
    path("seguimiento/", views.track_lookup, name="track_lookup"),
    path("seguimiento/caso/<str:number>/", views.track_public, name="track_public"),
    path("seguimiento/<str:token>/", views.track, name="track"),
    path("seguimiento/<str:token>/responder/", views.track_reply, name="track_reply"),
    path("seguimiento/<str:token>/reabrir/", views.track_reopen, name="track_reopen"),
    path("seguimiento/<str:token>/resuelto/", views.track_confirm, name="track_confirm"),
    path("encuesta/<str:token>/", views.survey, name="survey"),
    path("encuesta/<str:token>/reabrir/", views.survey_reopen, name="survey_reopen"),
    path("encuesta/<str:token>/valoracion/", views.survey_rating, name="survey_rating"),
    path("denuncia/", complaint.complaint, name="complaint"),
    path("denuncia/recibida/", complaint.complaint_received, name="complaint_received"),
    path("adjuntos/<int:pk>/", views.attachment_public, name="attachment_public"),
]
