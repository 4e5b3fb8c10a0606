"""The public catalog pages through the HTTP client, in Spanish (/tramites/) and English (/en/tramites/)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from catalog.models import Procedure

pytestmark = pytest.mark.django_db


class StructuredData(HTMLParser):
    """Collects the text of <script type="application/ld+json"> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def structured_data(html: str) -> list[dict]:
    parser = StructuredData()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def text(html: str) -> str:
    """Visible text, spaces collapsed, for assertions about what the reader sees."""
    without_head = re.sub(r"<head>.*?</head>|<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", without_head).split())


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- The catalog's front page -----------------------------------------------------------------


def test_the_front_page_offers_a_search_box_and_browsing_by_theme_and_institution(client, catalog):
    html = get(client, "/tramites/")
    assert '<form action="/tramites/" method="get" role="search"' in html
    assert '<label class="govuk-label govuk-label--m" for="q">Busque un trámite</label>' in html
    page = text(html)
    assert "Explorar por tema" in page and "Explorar por institución" in page
    assert 'href="/tramites/tema/vehiculos/"' in html
    assert "Vehículos y conducción 3 trámites" in page
    assert 'href="/tramites/entidad/TE/"' in html
    assert "Tribunal Electoral 3 trámites" in page


def test_searching_shows_the_results_with_entity_summary_and_cost(client, catalog):
    html = get(client, "/tramites/?q=pasaporte")
    page = text(html)
    assert 'value="pasaporte"' in html
    assert "trámites encontrados para “pasaporte”" in page or "trámite encontrado para “pasaporte”" in page
    first_result = html.index('href="/tramites/pasaporte-ordinario/"')
    assert first_result < html.index('href="/tramites/record-policivo/"')  # asks for a passport as a document
    assert "Autoridad de Pasaportes de Panamá" in page
    assert "Expedición o renovación del pasaporte ordinario" in page
    assert "Costo: B/. 100.00" in page


def test_a_search_without_results_says_what_to_try(client, catalog):
    page = text(get(client, "/tramites/?q=xylofon%C3%ADa"))
    assert "0 trámites encontrados para “xylofonía”" in page
    assert "Pruebe con otras palabras" in page


def test_the_results_alone_are_sent_to_the_live_search_script(client, catalog):
    html = get(client, "/tramites/?q=brevet&parcial=1")
    assert html.lstrip().startswith('<div id="catalog-results">')
    assert "<html" not in html
    assert 'href="/tramites/licencia-conducir-renovacion/"' in html


def test_a_theme_link_from_the_home_page_opens_the_theme(client, catalog):
    response = client.get("/tramites/?tema=vehiculos")
    assert response.status_code == 302
    assert response["Location"] == "/tramites/tema/vehiculos/"


def test_a_search_can_be_narrowed_to_a_theme(client, catalog):
    html = get(client, "/tramites/?q=cedula&tema=vehiculos")
    assert 'name="tema" value="vehiculos"' in html
    assert 'href="/tramites/cedula-primera-vez/"' not in html
    assert 'href="/tramites/licencia-conducir-primera-vez/"' in html


# --- Browsing ---------------------------------------------------------------------------------


def test_a_theme_page_lists_its_procedures_by_name(client, catalog):
    html = get(client, "/tramites/tema/vehiculos/")
    page = text(html)
    assert "<h1 class=\"govuk-heading-xl\">Vehículos y conducción</h1>" in html
    assert "3 trámites" in page
    positions = [html.index(f'href="/tramites/{slug}/"') for slug in ["placa-san-miguelito", "licencia-conducir-primera-vez", "licencia-conducir-renovacion"]]
    assert positions == sorted(positions)  # Impuesto… < Licencia… < Renovación…
    assert 'href="/tramites/pasaporte-ordinario/"' not in html


def test_a_theme_page_searches_within_the_theme(client, catalog):
    html = get(client, "/tramites/tema/identidad/?q=certificado")
    assert 'href="/tramites/certificado-nacimiento/"' in html
    assert 'href="/tramites/paz-y-salvo-dgi/"' not in html


def test_an_institution_page_lists_its_procedures(client, catalog):
    html = get(client, "/tramites/entidad/DGI/")
    assert "Dirección General de Ingresos" in html
    assert 'href="/tramites/paz-y-salvo-dgi/"' in html and 'href="/tramites/inscripcion-ruc/"' in html
    assert 'href="/tramites/pasaporte-ordinario/"' not in html


def test_unknown_themes_institutions_and_procedures_are_not_found(client, catalog):
    get(client, "/tramites/tema/no-existe/", 404)
    get(client, "/tramites/entidad/NOEXISTE/", 404)
    get(client, "/tramites/no-existe/", 404)


def test_an_unpublished_procedure_has_no_page(client, catalog):
    procedure = catalog["pasaporte-ordinario"]
    procedure.active = False
    procedure.save()
    get(client, "/tramites/pasaporte-ordinario/", 404)
    assert 'href="/tramites/pasaporte-ordinario/"' not in get(client, "/tramites/entidad/APAP/")


# --- A procedure's page -----------------------------------------------------------------------


def test_a_procedure_page_has_every_section_a_citizen_needs(client, catalog):
    html = get(client, "/tramites/pasaporte-ordinario/")
    page = text(html)
    assert "<h1 class=\"govuk-heading-xl\" lang=\"es\">Pasaporte ordinario (primera vez o renovación)</h1>" in html
    for heading in ["Quién puede solicitarlo", "Requisitos", "Documentos que debe llevar", "Pasos", "Costo",
                    "Cuánto tarda", "Dónde y cómo hacerlo", "Base legal", "Sobre esta información"]:
        assert f">{heading}</h2>" in html, heading
    assert "Panameños con cédula vigente." in page
    assert "Pasaporte anterior, si lo tiene." in page
    assert re.search(r'<ol class="govuk-list govuk-list--number" lang="es"><li>Pague la tasa en el banco.</li>', html)
    assert "B/. 100.00" in page
    assert "Entrega el mismo día en la sede central." in page
    assert 'href="https://www.pasaportes.gob.pa/"' in html
    assert "Sede de la Autoridad de Pasaportes Vía España, ciudad de Panamá" in page
    assert "Horario de atención: Lunes a viernes, 7:30 a. m. a 3:30 p. m." in page
    assert 'href="tel:503-1000"' in html
    assert "Ley 3 de 2015." in page
    assert "Última revisión" in page
    assert "Fuente" in page
    assert 'href="/tramites/pasaporte-ordinario/informacion-desactualizada/"' in html
    assert "data-review-overdue" not in html


def test_a_free_procedure_says_so_and_an_unpublished_cost_is_not_invented(client, catalog):
    assert "Sin costo" in text(get(client, "/tramites/cedula-primera-vez/"))
    page = text(get(client, "/tramites/paz-y-salvo-dgi/"))
    assert "La institución no ha publicado un costo fijo." in page
    assert "Gratuito en línea para quien está al día." in page


def test_a_procedure_not_reviewed_for_a_year_says_so_honestly(client, catalog):
    html = get(client, "/tramites/aviso-de-operacion/")
    assert "data-review-overdue" in html
    assert "hace más de 12 meses" in text(html)
    assert catalog["aviso-de-operacion"].review_overdue


def test_a_procedure_page_describes_the_service_for_search_engines(client, catalog):
    html = get(client, "/tramites/pasaporte-ordinario/")
    [data] = structured_data(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Pasaporte ordinario (primera vez o renovación)"
    assert data["description"].startswith("Expedición o renovación")
    assert data["url"] == "http://testserver/tramites/pasaporte-ordinario/"
    assert data["serviceType"] == "Identidad y documentos"
    assert data["provider"] == {
        "@type": "GovernmentOrganization",
        "name": "Autoridad de Pasaportes de Panamá",
        "alternateName": "APAP",
    }
    channels = data["availableChannel"]
    assert all(channel["@type"] == "ServiceChannel" for channel in channels)
    assert {"serviceUrl": "https://www.pasaportes.gob.pa/"}.items() <= channels[0].items()
    assert channels[1]["serviceLocation"]["@type"] == "GovernmentOffice"
    assert channels[1]["serviceLocation"]["address"] == "Vía España, ciudad de Panamá"
    assert channels[2]["servicePhone"] == {"@type": "ContactPoint", "telephone": "503-1000"}
    assert data["offers"] == {"@type": "Offer", "price": "100.00", "priceCurrency": "PAB"}


def test_structured_data_leaves_out_an_unknown_price_and_cannot_break_out_of_its_script(client, catalog):
    procedure = catalog["paz-y-salvo-dgi"]
    procedure.name = "Paz y salvo </script><script>alert(1)</script>"
    procedure.save()
    html = get(client, "/tramites/paz-y-salvo-dgi/")
    assert "<script>alert(1)" not in html
    [data] = structured_data(html)
    assert data["name"] == "Paz y salvo </script><script>alert(1)</script>"
    assert "offers" not in data


# --- In English -------------------------------------------------------------------------------


def test_the_catalog_is_in_english_under_en(client, catalog):
    html = get(client, "/en/tramites/?q=passport")
    page = text(html)
    assert '<form action="/en/tramites/" method="get" role="search"' in html
    assert "Search for a procedure" in page and "Browse by theme" in page and "Browse by institution" in page
    assert "Vehicles and driving" in page
    assert 'href="/en/tramites/pasaporte-ordinario/"' in html
    assert ">Ordinary passport (first-time or renewal)</a>" in html
    assert "Cost: B/. 100.00" in page


def test_an_english_page_shows_the_english_name_and_keeps_the_details_in_spanish(client, catalog):
    html = get(client, "/en/tramites/pasaporte-ordinario/")
    page = text(html)
    assert '<h1 class="govuk-heading-xl" lang="en">Ordinary passport (first-time or renewal)</h1>' in html
    assert '<p class="govuk-body-l" lang="en">Issuance or renewal of the ordinary passport' in html
    for heading in ["Who may apply", "Requirements", "Documents to bring", "Steps", "Cost", "How long it takes",
                    "Where and how to do it", "Legal basis", "About this information"]:
        assert f">{heading}</h2>" in html, heading
    assert '<ul class="govuk-list govuk-list--bullet" lang="es"><li>Cédula vigente.</li>' in html
    assert '<p class="govuk-body" lang="es">Panameños con cédula vigente.</p>' in html
    assert "The details of this procedure are published in Spanish." in page
    assert "Report outdated information" in page
    [data] = structured_data(html)
    assert data["name"] == "Ordinary passport (first-time or renewal)"
    assert data["url"] == "http://testserver/en/tramites/pasaporte-ordinario/"


def test_an_english_page_without_a_translation_marks_the_spanish_name(client, catalog):
    html = get(client, "/en/tramites/placa-san-miguelito/")
    assert '<h1 class="govuk-heading-xl" lang="es">Impuesto de circulación y placa (San Miguelito)</h1>' in html
    assert '<p class="govuk-body-l" lang="es">Pago anual del impuesto de circulación' in html


def test_the_overdue_notice_is_in_english_too(client, catalog):
    page = text(get(client, "/en/tramites/aviso-de-operacion/"))
    assert "more than 12 months ago" in page
    assert "Review overdue" in page


def test_pages_are_served_in_the_language_of_their_address(client, catalog):
    assert '<html lang="es"' in get(client, "/tramites/")
    assert '<html lang="en"' in get(client, "/en/tramites/")
    assert Procedure.objects.published().count() == len(catalog)
