"""A case's content and history can never be edited, reverted or deleted in the Django admin: cases,
their timeline and survey answers are read-only there. The admin speaks the administrator's language
(translated models, fields and choices, not raw codes), and staff who sign in there are told where
they sign in instead of "wrong password"."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case, CaseEvent, SurveyResponse
from cases.services import Actor, resolve, submit_survey, transition
from ventanilla.testing import SAN_MIGUELITO, make_user, new_case
from backoffice.testing import login_verified


@pytest.fixture
def case(world):
    return new_case(world, world.rubbish, point=SAN_MIGUELITO, description="Basura en la esquina de la escuela.")


@pytest.fixture
def admin_client(client, world):
    login_verified(client, world.admin)
    return client


def snapshot(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.description,
        fresh.channel,
        fresh.attributes,
        fresh.state,
        fresh.category_id,
        list(CaseEvent.objects.filter(case=case).values_list("pk", "kind", "message")),
        fresh.history.count(),
    )


def test_the_case_page_shows_the_case_without_any_input_or_save_button(admin_client, case):
    html = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert "Basura en la esquina de la escuela." in html
    assert 'name="description"' not in html and 'name="channel"' not in html and 'name="attributes"' not in html
    assert 'name="_save"' not in html and "deletelink" not in html


def test_posting_an_edit_changes_nothing(admin_client, case):
    before = snapshot(case)

    response = admin_client.post(
        f"/admin/cases/case/{case.pk}/change/",
        {"description": "Texto reescrito por el administrador.", "channel": "phone", "attributes": "{}", "_save": "1"},
    )

    assert response.status_code == 403
    assert snapshot(case) == before


def test_a_case_cannot_be_deleted_one_by_one_or_in_bulk(admin_client, case):
    before = snapshot(case)

    single = admin_client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})
    bulk = admin_client.post(
        "/admin/cases/case/", {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"}
    )
    listing = admin_client.get("/admin/cases/case/").content.decode()

    assert single.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Case.objects.filter(pk=case.pk).exists() and snapshot(case) == before
    assert "delete_selected" not in listing


def test_a_case_cannot_be_added(admin_client, world):
    assert admin_client.get("/admin/cases/case/add/").status_code == 403
    assert admin_client.post("/admin/cases/case/add/", {"description": "x", "category": world.rubbish.pk}).status_code == 403
    assert Case.objects.count() == 0


def test_a_historical_version_can_be_read_but_not_reverted(admin_client, world, case):
    original = case.history.earliest()
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    before = snapshot(case)
    url = f"/admin/cases/case/{case.pk}/history/{original.history_id}/"

    page = admin_client.get(url)
    reverted = admin_client.post(url, {"_save": "1"})

    assert page.status_code == 200
    assert "Revert" not in page.content.decode() and "Revertir" not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert reverted.status_code == 403
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).state == "assigned"


def test_timeline_and_survey_are_shown_read_only_without_delete_boxes(admin_client, world, case):
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Recogida.")
    submit_survey(Case.objects.get(pk=case.pk), 4, True, "Bien.")

    html = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    assert "Recogida." in html and "Bien." in html
    assert "-DELETE" not in html
    assert 'name="events-0-message"' not in html and 'name="survey-0-comment"' not in html
    assert SurveyResponse.objects.filter(case=case).count() == 1


def test_the_admin_shows_translated_labels_and_choices_not_raw_codes(admin_client, case):
    # /admin/ is the Spanish address (the default language); /en/admin/ is English (test_admin_language.py).
    html = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()

    for word in ["Recibido", "Enviado al municipio del distrito", "Línea de tiempo (la escriben solo", "Canal", "Estado de destino"]:
        assert word.lower() in html.lower(), word
    for code in ["municipal_district", ">created<", ">routed<", "Kind", "To state"]:
        assert code not in html, code


def test_staff_opening_the_admin_are_told_where_staff_work(world):
    make_user("clara", "staff", world.san_miguelito, is_staff=True)
    clara = world.alice.__class__.objects.get(username="clara")
    browser = Client()
    login_verified(browser, clara)

    response = browser.get("/admin/login/?next=/admin/")

    html = response.content.decode()
    assert response.status_code == 403
    assert "solo para los administradores de la plataforma" in html
    assert 'href="/oficina/"' in html
    assert browser.get("/admin/cases/case/").status_code == 302


def test_signing_in_to_the_admin_goes_through_the_staff_sign_in_with_its_second_factor(world):
    browser = Client()

    response = browser.post("/admin/login/", {"username": "clara", "password": "no"})

    assert response.status_code == 302 and response["Location"].startswith("/oficina/entrar/")


def test_an_administrator_with_the_second_factor_reaches_the_admin(world):
    browser = Client()
    login_verified(browser, world.admin)

    response = browser.get("/admin/login/?next=/admin/")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
