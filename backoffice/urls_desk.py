"""The desk pages (agent console, triage, supervisors, oversight, audit), relative to `/oficina/`.
Included from `backoffice/urls.py`, namespace `backoffice`."""

from django.urls import path

from .views.desk import agent, answers, audit, catalog, oversight, team, triage

urlpatterns = [
    path("agente/", agent.console, name="desk_console"),
    path("agente/casos/", agent.file_case, name="desk_file_case"),
    path("agente/informacion/", agent.record_information, name="desk_information"),
    path("triaje/", triage.queue, name="desk_triage"),
    path("triaje/<str:number>/", triage.route, name="desk_triage_case"),
    path("supervision/", team.workload, name="desk_supervision"),
    path("supervision/vencidos/", team.overdue, name="desk_overdue"),
    path("supervision/categorias/", team.categories, name="desk_categories"),
    path("supervision/categorias/<str:code>/", team.category_settings, name="desk_category"),
    path("supervision/categorias/<str:code>/respuestas/", answers.answer_templates, name="desk_answer_templates"),
    path("supervision/categorias/<str:code>/respuestas/<int:pk>/", answers.answer_template, name="desk_answer_template"),
    path(
        "supervision/categorias/<str:code>/respuestas/<int:pk>/borrar/",
        answers.delete_answer_template,
        name="desk_delete_answer_template",
    ),
    path("supervision/desactualizados/", team.outdated, name="desk_outdated"),
    path("supervision/tramites/", catalog.procedures, name="desk_procedures"),
    path("supervision/tramites/<slug:slug>/", catalog.edit_procedure, name="desk_procedure"),
    path("fiscalizacion/", oversight.cases, name="desk_oversight"),
    path("fiscalizacion/<str:number>/", oversight.case, name="desk_oversight_case"),
    path("fiscalizacion/<str:number>/contacto/", oversight.contact, name="desk_oversight_contact"),
    path("fiscalizacion/<str:number>/adjuntos/<int:pk>/", oversight.attachment, name="desk_oversight_attachment"),
    path("auditoria/", audit.history, name="desk_history"),
    path("auditoria/accesos/", audit.contact_log, name="desk_contact_log"),
]
