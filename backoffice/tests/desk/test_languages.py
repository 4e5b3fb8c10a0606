"""The desk pages in Spanish (the default) and in English."""

from __future__ import annotations

import pytest

from .helpers import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, path, spanish, english",
    [
        ("agent", "oficina/agente/", "Consola del agente", "Agent console"),
        ("agent", "oficina/triaje/", "Cola de clasificación", "Triage queue"),
        ("supervisor", "oficina/supervision/", "Carga del equipo", "Team workload"),
        ("investigator", "oficina/fiscalizacion/", "Denuncias", "Complaints"),
        ("admin", "oficina/auditoria/", "Historial de cambios", "Change history"),
    ],
)
def test_each_desk_page_speaks_spanish_and_english(client, world, who, path, spanish, english):
    login(client, getattr(world, who))
    es = client.get("/" + path).content.decode()
    en = client.get("/en/" + path).content.decode()
    assert f"<h1 class=\"govuk-heading-l\">{spanish}</h1>" in es
    assert f"<h1 class=\"govuk-heading-l\">{english}</h1>" in en
