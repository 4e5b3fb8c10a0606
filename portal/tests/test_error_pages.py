"""Error pages wear the site's layout and speak the reader's language, even when Django renders them
without a request (server errors, refused forms)."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_an_unknown_address_gets_a_helpful_page_in_the_readers_language(client, world):
    spanish = client.get("/no-existe/")
    english = client.get("/en/no-existe/")

    assert spanish.status_code == 404 and english.status_code == 404
    assert "Página no encontrada" in spanish.content.decode()
    assert 'href="/en/no-existe/" hreflang="en"' in spanish.content.decode()
    assert "Page not found" in english.content.decode()
    assert "go to the home page" in english.content.decode()


def test_a_server_error_page_needs_nothing_but_the_template(db):
    with translation.override("es"):
        response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Lo sentimos, hay un problema con el servicio" in html
    assert 'href="/static/css/ventanilla.css"' in html


def test_a_form_refused_by_the_csrf_check_explains_what_to_do(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/en/seguimiento/", {"code": "x", "number": "2026-000001"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "reload the page and send the form again" in html
