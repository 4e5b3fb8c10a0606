"""The Django admin follows the site's language: Spanish at /admin/ (the address administrators know),
English at /en/admin/, with the site's language switch between the two. Models, fields and choices are
shown in the page's language, never as stored codes; signing in, the second factor, the message for staff
who are not administrators and the read-only rules for cases are the same under both addresses."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.testing import current_code, device_for, login_verified
from cases.models import Case, CaseEvent, SurveyResponse
from cases.services import Actor, resolve, submit_survey, transition
from ventanilla.testing import PASSWORD, SAN_MIGUELITO, make_user, new_case

# Stored codes that must never be what the admin shows (either language).
RAW_CODES = ["municipal_district", ">created<", ">routed<", ">resolve<", ">received<", ">resolved<", ">web<",
             "created\n", "SurveyResponse object", "CaseEvent object"]


@pytest.fixture
def case(world) -> Case:
    """A resolved case with its survey answered: every kind of row the case page shows."""
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO, description="Basura en la esquina de la escuela.")
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Recogida el martes.")
    submit_survey(Case.objects.get(pk=case.pk), 4, True, "Bien.", sdg={"timeliness": 3})
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def admin_client(client, world):
    login_verified(client, world.admin)
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def assert_no_raw_codes(html: str) -> None:
    for code in RAW_CODES:
        assert code not in html, code


def test_the_case_list_is_in_english_under_en(admin_client, case):
    html = page(admin_client, "/en/admin/cases/case/")

    assert '<html lang="en"' in html
    for words in ["Select case to view", "Ventanilla administration", "Cases", "Number", "Entity in charge", "State",
                  "Channel", "By state", "Waiting for the citizen", "Uncollected rubbish", "Resolved", "Web"]:
        assert words in html, words
    for spanish in ["Casos", "Estado", "Canal", "Basura no recogida", "Resuelto", "En espera"]:
        assert spanish not in html, spanish
    assert_no_raw_codes(html)


def test_a_case_page_is_in_english_under_en(admin_client, case):
    html = page(admin_client, f"/en/admin/cases/case/{case.pk}/change/")

    for words in [
        "View case", "Cases", "Category", "Uncollected rubbish", "Entity in charge", "Channel", "Description",
        "Timeline (written by the lifecycle services only)", "Kind", "From state", "To state", "Reason",
        "Received", "Routed", "Assigned", "Resolved", "Sent to the municipality of the district where the problem is.",
        f"{case.number} · Routed", "Survey answers", "Satisfaction (1-5)", "Was the problem solved?", "Timeliness", "Agree",
    ]:
        assert words in html, words
    for spanish in ["Línea de tiempo", "Estado de destino", "Enviado al municipio", "Respuestas de encuesta", "Recibido", "De acuerdo"]:
        assert spanish not in html, spanish
    assert "Basura en la esquina de la escuela." in html  # the citizen's words stay as written
    assert_no_raw_codes(html)


def test_the_same_pages_are_in_spanish_at_admin(admin_client, case):
    listing = page(admin_client, "/admin/cases/case/")
    html = page(admin_client, f"/admin/cases/case/{case.pk}/change/")

    assert '<html lang="es"' in listing and '<html lang="es"' in html
    for words in ["Casos", "Institución a cargo", "Basura no recogida", "Resuelto", "En espera del ciudadano"]:
        assert words.lower() in listing.lower(), words
    for words in ["Línea de tiempo (la escriben solo", "Estado de destino", "Enviado al municipio del distrito", "Recibido",
                  f"{case.number} · Enviado", "Respuestas de encuesta", "¿Se resolvió el problema?", "De acuerdo"]:
        assert words.lower() in html.lower(), words
    for english in ["Timeline", "Entity in charge", "Survey answer", "Uncollected rubbish", ">Cases<", "To state"]:
        assert english not in html and english not in listing, english
    assert_no_raw_codes(listing)
    assert_no_raw_codes(html)


def test_the_admin_has_the_sites_language_switch_and_view_site_in_its_language(admin_client, case):
    spanish = page(admin_client, f"/admin/cases/case/{case.pk}/change/?_changelist_filters=state%3Dresolved")
    english = page(admin_client, f"/en/admin/cases/case/{case.pk}/change/?_changelist_filters=state%3Dresolved")

    assert f'href="/en/admin/cases/case/{case.pk}/change/?_changelist_filters=state%3Dresolved" hreflang="en"' in spanish
    assert f'href="/admin/cases/case/{case.pk}/change/?_changelist_filters=state%3Dresolved" hreflang="es"' in english
    assert '<a href="/">Ver el sitio</a>' in spanish and '<a href="/en/">View site</a>' in english
    assert 'action="/en/admin/logout/"' in english and 'action="/admin/logout/"' in spanish


def test_signing_in_to_the_english_admin_goes_through_the_english_staff_sign_in_with_its_second_factor(world):
    browser = Client()
    device = device_for(world.admin)

    to_admin_login = browser.get("/en/admin/cases/case/")
    to_signin = browser.get(to_admin_login["Location"])
    signin_page = browser.get(to_signin["Location"])
    password = browser.post(to_signin["Location"], {"username": world.admin.username, "password": PASSWORD,
                                                    "next": "/en/admin/cases/case/"})
    code = browser.post(password["Location"], {"code": current_code(device)})

    assert to_admin_login["Location"] == "/en/admin/login/?next=/en/admin/cases/case/"
    assert to_signin["Location"] == "/en/oficina/entrar/?next=/en/admin/cases/case/"
    assert '<html lang="en"' in signin_page.content.decode()
    assert password["Location"] == "/en/oficina/entrar/codigo/"
    assert code.status_code == 302 and code["Location"] == "/en/admin/cases/case/"
    assert "Select case to view" in page(browser, "/en/admin/cases/case/")


def test_a_password_only_session_does_not_open_the_english_admin(client, world):
    client.force_login(world.admin)  # no second factor

    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith("/en/oficina/entrar/")


def test_staff_opening_the_english_admin_are_told_in_english_where_staff_work(world):
    clara = make_user("clara", "staff", world.san_miguelito, is_staff=True)
    browser = Client()
    login_verified(browser, clara)

    response = browser.get(browser.get("/en/admin/cases/case/")["Location"])

    html = response.content.decode()
    assert response.status_code == 403
    assert "only for the platform's administrators" in html and 'href="/en/oficina/"' in html
    assert browser.get("/en/admin/cases/case/").status_code == 302


def test_a_case_stays_read_only_under_the_english_address(admin_client, world, case):
    def snapshot():
        fresh = Case.objects.get(pk=case.pk)
        return (fresh.description, fresh.channel, fresh.state, fresh.history.count(),
                list(CaseEvent.objects.filter(case=case).values_list("pk", "kind", "message")),
                list(SurveyResponse.objects.filter(case=case).values_list("satisfaction", "comment")))

    before = snapshot()
    original = case.history.earliest()
    base = f"/en/admin/cases/case/{case.pk}"

    edit = admin_client.post(f"{base}/change/", {"description": "Reescrito.", "channel": "phone", "_save": "1"})
    delete = admin_client.post(f"{base}/delete/", {"post": "yes"})
    bulk = admin_client.post("/en/admin/cases/case/", {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"})
    add = admin_client.post("/en/admin/cases/case/add/", {"description": "x", "category": world.rubbish.pk})
    revert = admin_client.post(f"{base}/history/{original.history_id}/", {"_save": "1"})
    history = page(admin_client, f"{base}/history/{original.history_id}/")

    assert (edit.status_code, delete.status_code, add.status_code, revert.status_code) == (403, 403, 403, 403)
    assert bulk.status_code in (200, 302)
    assert "Revert" not in history and 'name="_save"' not in history
    html = page(admin_client, f"{base}/change/")
    assert 'name="description"' not in html and 'name="_save"' not in html and "-DELETE" not in html
    assert snapshot() == before


def test_switching_language_on_the_sign_in_page_takes_the_admin_along(client, world):
    spanish = page(client, "/oficina/entrar/?next=/admin/")
    english = page(client, "/en/oficina/entrar/?next=/en/admin/cases/case/")

    assert 'href="/en/oficina/entrar/?next=/en/admin/" hreflang="en"' in spanish
    assert 'href="/oficina/entrar/?next=/admin/cases/case/" hreflang="es"' in english
    # Only a path of this site moves with the switch; anything else is left as it was (and refused at sign-in).
    assert 'href="/en/oficina/entrar/?next=//elsewhere.example/" hreflang="en"' in page(client, "/oficina/entrar/?next=//elsewhere.example/")
