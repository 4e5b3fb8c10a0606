"""The supervisors' answer-template pages (`/oficina/supervision/categorias/<code>/respuestas/`): list,
add, edit, delete with confirmation, preview; only the supervisors of the entity that owns the category;
bad input comes back on the form with nothing stored; Spanish and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.answer_templates import EXAMPLE_NUMBER, save_template, version_of
from backoffice.models import AnswerTemplate
from entities.models import Membership
from ventanilla.testing import make_category, make_user, new_case

from .helpers import login

pytestmark = pytest.mark.django_db


def list_url(category) -> str:
    return f"/oficina/supervision/categorias/{category.code}/respuestas/"


def edit_url(template) -> str:
    return f"{list_url(template.category)}{template.pk}/"


def delete_url(template) -> str:
    return f"{edit_url(template)}borrar/"


def fields(**overrides) -> dict:
    data = {"title": "Poda realizada", "language": "es", "state": "", "body": "Su caso {numero} fue atendido por {entidad}."}
    data.update(overrides)
    return data


def stored(category=None) -> list[tuple]:
    rows = AnswerTemplate.objects.order_by("pk")
    if category is not None:
        rows = rows.filter(category=category)
    return list(rows.values_list("pk", "title", "language", "state", "body"))


@pytest.fixture
def template(world, pruning):
    return save_template(
        category=pruning, title="Árbol podado", body="El caso {numero} ({categoria}) quedó resuelto.", language="es",
        actor=world.supervisor,
    )


def test_the_urls_are_under_the_categories_page(pruning, template):
    assert reverse("backoffice:desk_answer_templates", args=[pruning.code]) == list_url(pruning)
    assert reverse("backoffice:desk_answer_template", args=[pruning.code, template.pk]) == edit_url(template)
    assert reverse("backoffice:desk_delete_answer_template", args=[pruning.code, template.pk]) == delete_url(template)


def test_the_categories_page_links_each_owned_category_to_its_templates(client, world, pruning, template):
    body = login(client, world.supervisor).get(reverse("backoffice:desk_categories")).content.decode()
    assert f'href="{list_url(pruning)}"' in body
    assert "Plantillas de respuesta (1)" in body


def test_the_list_shows_title_language_state_a_preview_and_who_changed_it(client, world, pruning, template):
    save_template(category=pruning, title="Tree pruned", body="Case {case_number}: {category}, {entity}.", language="en",
                  state="in_progress", actor=world.supervisor)
    response = login(client, world.supervisor).get(list_url(pruning))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(t.title, t.language) for t, _example, _change in rows] == [("Árbol podado", "es"), ("Tree pruned", "en")]
    assert rows[0][1] == f"El caso {EXAMPLE_NUMBER} (Poda de árboles) quedó resuelto."
    assert rows[1][1] == f"Case {EXAMPLE_NUMBER}: Tree pruning, Municipio de San Miguelito."  # the category in the template's language
    assert rows[0][2].history_user == world.supervisor
    body = response.content.decode()
    assert "Árbol podado" in body and "Cualquier estado" in body and "En proceso" in body and "Inglés" in body
    # The placeholders, both names, with an example rendering.
    for name in ("{numero}", "{case_number}", "{entidad}", "{entity}", "{categoria}", "{category}"):
        assert name in body
    assert f"Su caso {EXAMPLE_NUMBER} (Poda de árboles) fue atendido por Municipio de San Miguelito." in body


def test_a_supervisor_adds_a_template_and_a_member_finds_it_on_the_case_page(client, world, pruning):
    login(client, world.supervisor)
    response = client.post(list_url(pruning), fields(state="in_progress"))
    assert response.status_code == 302 and response["Location"] == list_url(pruning)
    created = AnswerTemplate.objects.get()
    assert (created.category, created.title, created.state, created.language) == (pruning, "Poda realizada", "in_progress", "es")
    record = created.history.get()
    assert (record.history_type, record.history_user) == ("+", world.supervisor)
    assert "Plantilla agregada: Poda realizada." in client.get(list_url(pruning)).content.decode()

    case = new_case(world, pruning)
    from cases.services import Actor, transition

    transition(case, "assign", Actor(world.supervisor), assignee=world.alice)
    transition(case, "start", Actor(world.alice))
    page = login(client, world.alice).get(f"/oficina/casos/{case.number}/", {"plantilla": created.pk})
    assert page.context["forms"]["resolve"].initial["message"] == f"Su caso {case.number} fue atendido por Municipio de San Miguelito."


def test_a_supervisor_edits_a_template_and_the_history_keeps_both_texts(client, world, pruning, template):
    login(client, world.supervisor)
    page = client.get(edit_url(template))
    assert page.status_code == 200
    assert page.context["form"]["title"].value() == "Árbol podado"
    assert page.context["preview"] == f"El caso {EXAMPLE_NUMBER} (Poda de árboles) quedó resuelto."
    version = page.context["form"]["version"].value()
    response = client.post(edit_url(template), fields(title="Árbol podado", body="Listo: {numero}.", version=version))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Listo: {numero}."
    latest = template.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.prev_record.body) == ("~", world.supervisor, "El caso {numero} ({categoria}) quedó resuelto.")


def test_preview_shows_the_rendering_and_stores_nothing(client, world, pruning, template):
    login(client, world.supervisor)
    response = client.post(list_url(pruning), fields(title="Nueva", body="Caso {numero} de {entidad}", vista_previa="1"))
    assert response.status_code == 200
    assert response.context["preview"] == f"Caso {EXAMPLE_NUMBER} de Municipio de San Miguelito"
    response = client.post(edit_url(template), fields(body="Otro {numero}", vista_previa="1", version=version_of(template)))
    assert response.status_code == 200 and response.context["preview"] == f"Otro {EXAMPLE_NUMBER}"
    assert stored() == [(template.pk, "Árbol podado", "es", "", "El caso {numero} ({categoria}) quedó resuelto.")]


def test_delete_asks_first_then_removes_and_the_history_says_who(client, world, pruning, template):
    login(client, world.supervisor)
    confirm = client.get(delete_url(template))
    assert confirm.status_code == 200
    assert "¿Borrar la plantilla «Árbol podado»?" in confirm.content.decode()
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()
    response = client.post(delete_url(template))
    assert response.status_code == 302 and response["Location"] == list_url(pruning)
    assert not AnswerTemplate.objects.exists()
    gone = AnswerTemplate.history.filter(id=template.pk).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user) == ("-", world.supervisor)
    assert client.get(edit_url(template)).status_code == 404


BAD = [
    ("unknown placeholder", {"body": "Hola {nombre}, su caso {numero}."}, "body", "{nombre}"),
    ("broken brace", {"body": "Su caso {numero fue atendido."}, "body", "llave sin cerrar"),
    ("format spec", {"body": "Caso {numero:>10}"}, "body", "{numero}"),
    ("empty title", {"title": "   "}, "title", "título"),
    ("oversized title", {"title": "T" * 121}, "title", "121"),
    ("empty body", {"body": "  "}, "body", "Escriba"),
    ("oversized body", {"body": "x" * 4001}, "body", "4001"),
    ("state not a case state", {"state": "borrado"}, "state", "estado"),
    ("state never answered", {"state": "closed"}, "state", "estado"),
    ("unknown language", {"language": "fr"}, "language", "idioma"),
    ("repeated title", {"title": "árbol  PODADO"}, "title", "ya tiene"),
]


@pytest.mark.parametrize("case, data, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_an_error_on_the_form_and_nothing_is_stored(client, world, pruning, template, case, data, field, words):
    login(client, world.supervisor)
    before = stored()
    for url, extra in [(list_url(pruning), {}), (edit_url(template), {"version": version_of(template)})]:
        if case == "repeated title" and url == edit_url(template):
            continue  # a template keeps its own title
        response = client.post(url, fields(**data, **extra))
        assert response.status_code == 400, url
        form = response.context["form"]
        assert list(form.errors) == [field], form.errors
        assert words in form.errors[field][0]
        body = response.content.decode()
        assert 'class="govuk-error-summary"' in body and f'href="#id_{field}"' in body
        assert f'id="id_{field}_error"' in body
        assert "<title>Error: " in body
        assert stored() == before


def test_a_template_changed_meanwhile_is_not_overwritten(client, world, pruning, template):
    login(client, world.supervisor)
    seen = client.get(edit_url(template)).context["form"]["version"].value()
    colleague = make_user("sara", Membership.Role.SUPERVISOR, world.san_miguelito)
    save_template(category=pruning, template=template, title="Árbol podado", body="Texto de Sara {numero}.", language="es", actor=colleague)
    response = client.post(edit_url(template), fields(title="Árbol podado", body="Mi texto {numero}.", version=seen))
    assert response.status_code == 400
    body = response.content.decode()
    assert "sara" in body and "Texto de Sara" in body
    assert AnswerTemplate.objects.get(pk=template.pk).body == "Texto de Sara {numero}."
    # The form now carries the current version: saving again replaces Sara's text, knowingly.
    again = client.post(edit_url(template), fields(title="Árbol podado", body="Mi texto {numero}.", version=response.context["form"]["version"].value()))
    assert again.status_code == 302
    assert AnswerTemplate.objects.get(pk=template.pk).body == "Mi texto {numero}."


def test_the_pages_speak_english_under_en(client, world, pruning, template):
    login(client, world.supervisor)
    page = client.get("/en" + list_url(pruning))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Answer templates</h1>' in body
    assert "Add a template" in body and "Placeholders" in body and "Any state" in body
    assert f"Your case {EXAMPLE_NUMBER} (Tree pruning) was dealt with by Municipio de San Miguelito." in body
    assert page.context["form"].initial["language"] == "en"
    assert '<h1 class="govuk-heading-l">Edit the answer template</h1>' in client.get("/en" + edit_url(template)).content.decode()
    assert "Delete the template “Árbol podado”?" in client.get("/en" + delete_url(template)).content.decode()
    response = client.post("/en" + list_url(pruning), fields(title="Done", language="en", body="Hi {nombre}"))
    assert response.status_code == 400
    assert "Unknown placeholder: {nombre}" in response.content.decode()
    created = client.post("/en" + list_url(pruning), fields(title="Done", language="en", body="Case {case_number} closed."))
    assert created["Location"] == "/en" + list_url(pruning)


def test_the_pages_speak_spanish_by_default(client, world, pruning, template):
    login(client, world.supervisor)
    body = client.get(list_url(pruning)).content.decode()
    assert '<h1 class="govuk-heading-l">Plantillas de respuesta</h1>' in body
    assert "Agregar una plantilla" in body and "Marcadores" in body
    assert '<h1 class="govuk-heading-l">Editar la plantilla de respuesta</h1>' in client.get(edit_url(template)).content.decode()


def every_request(template, category) -> list[tuple[str, str, dict]]:
    return [
        ("get", list_url(category), {}),
        ("post", list_url(category), fields(title="Intrusa")),
        ("post", list_url(category), fields(title="Intrusa", vista_previa="1")),
        ("get", edit_url(template), {}),
        ("post", edit_url(template), fields(title="Cambiada", version=version_of(template))),
        ("get", delete_url(template), {}),
        ("post", delete_url(template), {}),
    ]


@pytest.mark.parametrize("who", ["alice", "bob", "agent", "investigator", "operator", "other_supervisor", "admin"])
def test_nobody_but_the_owning_entitys_supervisors_reaches_the_pages(client, world, pruning, template, who):
    user = make_user("dora", Membership.Role.SUPERVISOR, world.david) if who == "other_supervisor" else getattr(world, who)
    login(client, user)
    before, history = stored(), AnswerTemplate.history.count()
    for method, url, data in every_request(template, pruning):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert (stored(), AnswerTemplate.history.count()) == (before, history)


def test_an_outsider_is_refused_and_a_signed_out_visitor_is_sent_to_sign_in(client, world, pruning, template):
    before = stored()
    for method, url, data in every_request(template, pruning):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/oficina/entrar/"), (method, url)
    login(client, world.charlie)
    for method, url, data in every_request(template, pruning):
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert stored() == before


def test_a_supervisor_cannot_reach_another_entitys_or_a_sensitive_or_a_municipal_category(client, world, pruning, template):
    theirs = make_category("ALUMBRADO-DAVID", world.david, name_es="Alumbrado de David")
    theirs_template = save_template(category=theirs, title="Luz", body="Reparada {numero}.", language="es")
    Membership.objects.create(user=world.supervisor, entity=world.oversight, role=Membership.Role.SUPERVISOR)
    sensitive_template = save_template(category=world.corruption, title="Recibida", body="Recibida {numero}.", language="es")
    municipal_template = save_template(category=world.rubbish, title="Recogida", body="Recogida {numero}.", language="es")
    login(client, world.supervisor)
    before = stored()
    for other, other_template in [(theirs, theirs_template), (world.corruption, sensitive_template), (world.rubbish, municipal_template)]:
        for method, url, data in every_request(other_template, other):
            assert getattr(client, method)(url, data).status_code == 404, (method, url)
    # Another category's template through one's own category's address: no such template here.
    for method, url, data in every_request(theirs_template, pruning):
        if str(theirs_template.pk) in url:
            assert getattr(client, method)(url.replace(f"/{theirs.code}/", f"/{pruning.code}/"), data).status_code == 404
    assert client.get(f"{list_url(pruning)}999999/").status_code == 404
    assert client.get("/oficina/supervision/categorias/NO-EXISTE/respuestas/").status_code == 404
    assert stored() == before


def test_a_supervisor_of_two_entities_edits_each_ones_categories(client, world, pruning):
    Membership.objects.create(user=world.supervisor, entity=world.david, role=Membership.Role.SUPERVISOR)
    theirs = make_category("ALUMBRADO-DAVID", world.david, name_es="Alumbrado de David")
    login(client, world.supervisor)
    page = client.get(list_url(theirs))
    assert page.status_code == 200 and page.context["entity"] == world.david
    assert client.post(list_url(theirs), fields(title="Luz")).status_code == 302
    assert AnswerTemplate.objects.get().category == theirs


def test_the_audit_page_lists_template_changes_for_the_entitys_supervisors(client, world, pruning, template):
    theirs = make_category("ALUMBRADO-DAVID", world.david, name_es="Alumbrado de David")
    save_template(category=theirs, title="Luz", body="Reparada {numero}.", language="es")
    login(client, world.supervisor)
    client.post(edit_url(template), fields(title="Árbol podado", body="Hecho {numero}.", version=version_of(template)))
    response = client.get(reverse("backoffice:desk_history"), {"tipo": "answer_templates"})
    rows = response.context["rows"]
    assert [row.label for row in rows] == ["PODA-ARBOLES · Árbol podado (es)"] * 2
    change = rows[0]
    assert change.who == world.supervisor
    assert [(c.old, c.new) for c in change.changes] == [("El caso {numero} ({categoria}) quedó resuelto.", "Hecho {numero}.")]
    everything = login(client, world.admin).get(reverse("backoffice:desk_history"), {"tipo": "answer_templates"})
    assert "ALUMBRADO-DAVID · Luz (es)" in [row.label for row in everything.context["rows"]]


def test_administrators_keep_the_municipal_categories_templates_in_the_admin_with_the_same_rules(client, world):
    login(client, world.admin)
    url = "/admin/backoffice/answertemplate/add/"
    assert client.get(url).status_code == 200
    data = {"category": world.rubbish.pk, "title": "Recogida", "language": "es", "state": "", "body": "Hola {nombre}"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "{nombre}" in refused.content.decode()
    assert not AnswerTemplate.objects.exists()
    assert client.post(url, {**data, "state": "closed", "body": "Caso {numero}"}).status_code == 200
    assert not AnswerTemplate.objects.exists()
    assert client.post(url, {**data, "body": "Su caso {numero} fue atendido."}).status_code == 302
    created = AnswerTemplate.objects.get()
    assert (created.category, created.history.get().history_user) == (world.rubbish, world.admin)
