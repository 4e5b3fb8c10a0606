"""What a citizen tripped over in the first release: the home page's 311 numbers, emergency warning and
complaint link; the privacy notice (linked from the footer and the report form); complaint pages naming
the oversight body; the category list under collapsible group headings with the most reported first;
and an outside-the-territory pin error that names the territory and says what to do."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from cases.models import Case
from ventanilla.testing import OUTSIDE, make_category, new_case

ANTAI = "Autoridad Nacional de Transparencia y Acceso a la Información"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- Home -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, emergency, call, whatsapp",
    [
        ("", "En una emergencia", "Llame al", "WhatsApp"),
        ("/en", "In an emergency", "Call", "WhatsApp"),
    ],
)
def test_the_home_page_gives_the_311_numbers_and_an_emergency_warning(client, world, prefix, emergency, call, whatsapp):
    html = client.get(f"{prefix}/").content.decode()

    warning = re.search(r'<div class="govuk-warning-text" data-emergency>.*?</div>', html, re.S).group(0)
    assert emergency in warning and 'href="tel:911"' in warning
    contact = re.search(r"<div class=\"govuk-inset-text\" data-contact-311>.*?</div>", html, re.S).group(0)
    assert call in contact and 'href="tel:311"' in contact
    assert whatsapp in contact and 'href="https://wa.me/50760501311"' in contact and "6050-1311" in contact


@pytest.mark.parametrize("prefix, label", [("", "Presentar una denuncia anónima"), ("/en", "Make an anonymous complaint")])
def test_the_home_page_links_to_the_anonymous_complaint_naming_the_oversight_body(client, world, prefix, label):
    html = client.get(f"{prefix}/").content.decode()

    assert f'href="{prefix}/denuncia/">{label}</a>' in html
    assert ANTAI in html


# --- Privacy notice ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, title, headings",
    [
        ("", "Aviso de privacidad", ["Qué datos recogemos", "Quién los ve", "Cuánto tiempo los guardamos", "Sus derechos"]),
        ("/en", "Privacy notice", ["What we collect", "Who sees them", "How long we keep them", "Your rights"]),
    ],
)
def test_the_privacy_notice_says_what_why_who_how_long_and_the_rights(client, world, settings, prefix, title, headings):
    settings.CONTACT_RETENTION_MONTHS = 18

    response = client.get(f"{prefix}/privacidad/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1 class=\"govuk-heading-l\">{title}</h1>" in html
    for heading in headings:
        assert heading in html
    assert "18" in html.split(headings[2] + "</h2>", 1)[1].split("</p>", 1)[0]  # the retention period from the setting
    assert "Ley 81 de 2019" in html
    assert "Centro de Atención Ciudadana 311" in html and ANTAI in html
    assert "{" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # every placeholder filled


@pytest.mark.parametrize("path", ["/", "/en/", "/tramites/", "/reportar/", "/seguimiento/"])
def test_every_page_links_to_the_privacy_notice_from_the_footer(client, world, path):
    html = client.get(path).content.decode()
    footer = html.split('<footer class="govuk-footer">', 1)[1]
    prefix = "/en" if path.startswith("/en") else ""

    assert f'href="{prefix}/privacidad/"' in footer


@pytest.mark.parametrize("prefix, words", [("", "Cómo tratamos sus datos personales"), ("/en", "How we treat your personal data")])
def test_the_report_form_links_to_the_privacy_notice_beside_the_contact_fields(client, world, prefix, words):
    html = client.get(f"{prefix}/reportar/BASURA-NO-RECOGIDA/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]

    assert f'<a class="govuk-link" href="{prefix}/privacidad/">{words}</a>' in main
    assert main.index("/privacidad/") < main.index('id="contact_name"')


# --- Complaints name the oversight body ------------------------------------------------------


@pytest.mark.parametrize("prefix, words", [("", "ente fiscalizador"), ("/en", "oversight body")])
def test_the_complaint_form_names_the_oversight_body(client, world, prefix, words):
    html = client.get(f"{prefix}/denuncia/").content.decode()

    paragraph = re.search(r"<p class=\"govuk-body\" data-oversight>(.*?)</p>", html, re.S).group(1)
    assert ANTAI in paragraph and words in paragraph


@pytest.mark.parametrize("prefix, words", [("", "Su denuncia la revisa el ente fiscalizador"), ("/en", "Your complaint is reviewed by")])
def test_the_complaint_confirmation_names_the_body_that_received_it(client, world, prefix, words):
    client.post(f"{prefix}/denuncia/", {"category_code": world.corruption.code, "description": "Cobran una coima en la ventanilla 4."})

    html = client.get(f"{prefix}/denuncia/recibida/").content.decode()

    paragraph = re.search(r"<p class=\"govuk-body\" data-oversight>(.*?)</p>", html, re.S).group(1)
    assert words in paragraph and ANTAI in paragraph


# --- Choosing the kind of problem ------------------------------------------------------------


def test_categories_sit_under_collapsible_group_headings_that_work_without_javascript(client, world):
    make_category("BACHE", world.san_miguelito, group_es="Calles y aceras", group_en="Streets", name_es="Bache", name_en="Pothole")

    html = client.get("/reportar/").content.decode()

    groups = re.findall(r"<details class=\"govuk-details[^\"]*\" data-category-group>\s*<summary[^>]*>.*?</summary>", html, re.S)
    assert len(groups) == 2
    assert "Calles y aceras" in groups[0] and "General" in groups[1]  # Spanish alphabetical order
    assert "(1)" in groups[0]
    assert 'name="categoria" type="radio" value="BACHE"' in html
    assert html.index("<details") > html.index("data-category-filter")  # the filter box leads


def test_the_english_list_is_sorted_by_the_english_names(client, world):
    make_category("ZZ-FIRST", world.san_miguelito, name_es="Zanja abierta", name_en="Abandoned car")

    html = client.get("/en/reportar/").content.decode()

    assert html.index("Abandoned car") < html.index("Uncollected rubbish") < html.index("Water outage")


def test_after_a_refused_choice_every_group_is_open_so_the_error_link_reaches_its_radio(client, world):
    html = client.get("/reportar/", {"categoria": ""}).content.decode()

    assert 'href="#categoria"' in html
    assert re.search(r"<details[^>]*data-category-group open", html)


def test_the_most_reported_kinds_come_first_as_links_to_their_form(client, world):
    for _ in range(3):
        new_case(world, world.water)
    new_case(world, world.rubbish)
    new_case(world, world.corruption, point=None, is_anonymous=True)  # sensitive: never listed

    html = client.get("/reportar/").content.decode()

    block = re.search(r"<div class=\"govuk-!-margin-bottom-6\" data-most-reported>.*?</div>", html, re.S).group(0)
    links = re.findall(r'href="/reportar/([A-Z-]+)/"', block)
    assert links == ["FALTA-AGUA", "BASURA-NO-RECOGIDA"]
    assert "Más reportados" in block


def test_without_reports_there_is_no_most_reported_block(client, world):
    assert "data-most-reported" not in client.get("/reportar/").content.decode()


# --- Outside the territory --------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, words",
    [
        ("", ["fuera de Panamá", "Mueva el marcador", "elija el distrito"]),
        ("/en", ["outside Panamá", "Move the pin", "choose the district"]),
    ],
)
def test_a_pin_outside_the_territory_names_it_and_says_what_to_do(client, world, prefix, words):
    response = client.post(
        f"{prefix}/reportar/BASURA-NO-RECOGIDA/",
        {"description": "Basura en la esquina.", "attr_tipo_desecho": "domestico", "lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])},
    )

    html = response.content.decode()
    message = re.search(r'id="location-error"[^>]*>(.*?)</p>', html, re.S).group(1)
    for word in words:
        assert word in message
    assert Case.objects.count() == 0
