"""The scanner: no e-mail, phone, cédula or reporter name from case data in any public page or file of
the published figures, and no free text of a case in any open-data file."""

from __future__ import annotations

import re

import pytest

from cases.models import CaseContact
from transparency.jobs import publish_month
from transparency.tests.dataset import FREE_TEXT, MONTH, PEOPLE, YEAR, build_month

PAGES = [
    "/transparencia/", "/transparencia/2026/03/", "/transparencia/2026/03/?revision=1", "/transparencia/2026/03.csv",
    "/transparencia/2026/03.json", "/transparencia/entidades/IDAAN/", "/transparencia/entidades/MUNSM/",
    "/transparencia/metodologia/", "/transparencia/observatorio/", "/transparencia/datos/",
    "/transparencia/datos/catalogo.jsonld", "/en/transparencia/", "/en/transparencia/observatorio/",
    *(f"/transparencia/observatorio/{chart}.csv" for chart in ("canales", "categorias", "nivel-de-servicio", "satisfaccion", "distritos")),
]  # fmt: skip
OPEN_DATA = [
    "/transparencia/datos/casos.csv", "/transparencia/datos/2026/03/casos.csv",
    "/transparencia/datos/2026/03/casos.json", "/transparencia/datos/2026/03/casos.geojson",
    "/transparencia/datos/2026/02/casos.csv",
]  # fmt: skip


def needles() -> list[str]:
    """Every personal value, in the forms it may be written: whole names and their parts, e-mail
    addresses and their local parts, phones with and without separators or prefix, cédulas."""
    found = []
    for contact in CaseContact.objects.all():
        found += [contact.name, *contact.name.split(), contact.email, contact.email.split("@")[0]]
        digits = re.sub(r"\D", "", contact.phone)
        found += [contact.phone, digits, digits[-8:], contact.phone_normalized, contact.national_id, contact.national_id_normalized]
    for name, email, phone, cedula in PEOPLE:
        found += [name, email, phone, cedula]
    return sorted({n for n in found if n and len(n) >= 4})


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # JSON escapes and HTML entities must not hide a value.
    return content.decode("utf-8").replace("\\u00e9", "é").replace("&#x27;", "'")


@pytest.fixture
def published(world, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 1
    data = build_month(world)
    publish_month(YEAR, MONTH)
    assert CaseContact.objects.count() >= 10  # the scan has something to find
    return data


def test_no_personal_data_in_any_public_page_or_file(published, client):
    personal = needles()
    assert "Rigoberta" in personal and "61234567" in personal and "8-123-4567" in personal
    for path in PAGES + OPEN_DATA:
        response = client.get(path)
        assert response.status_code == 200, path
        text = text_of(response)
        leaks = [value for value in personal if value in text]
        assert leaks == [], f"{path} shows {leaks}"


def test_no_free_text_of_a_case_in_any_open_data_file(published, client):
    texts = [FREE_TEXT, "Reparado por la cuadrilla", "Sigue sin agua", "Muy bien, gracias", "La dirección es de San Miguelito"]
    for path in OPEN_DATA + ["/transparencia/2026/03.csv", "/transparencia/2026/03.json"]:
        text = text_of(client.get(path))
        assert [t for t in texts if t in text] == [], path
        for word in FREE_TEXT.split():
            if len(word) > 6:
                assert word not in text, (path, word)
