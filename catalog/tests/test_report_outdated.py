""""Report outdated information" on a procedure's page: a case for the entity that publishes it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseContact, CaseEvent
from catalog.services import report_outdated_information

pytestmark = pytest.mark.django_db

FORM = "/tramites/pasaporte-ordinario/informacion-desactualizada/"
SENT = "/tramites/pasaporte-ordinario/informacion-desactualizada/enviado/"


def test_every_procedure_page_links_to_the_form(client, catalog):
    for slug in catalog:
        html = client.get(f"/tramites/{slug}/").content.decode()
        assert f'href="/tramites/{slug}/informacion-desactualizada/"' in html


def test_the_form_asks_what_is_wrong_and_an_optional_email(client, catalog):
    html = client.get(FORM).content.decode()
    assert '<label class="govuk-label govuk-label--s" for="what_is_wrong">¿Qué está mal o falta en esta página?</label>' in html
    assert '<textarea class="govuk-textarea govuk-js-character-count" id="what_is_wrong" name="what_is_wrong"' in html
    assert '<label class="govuk-label govuk-label--s" for="email">Correo electrónico (opcional)</label>' in html
    assert 'name="kinds" type="checkbox" value="costo"' in html
    assert "Autoridad de Pasaportes de Panamá" in html
    assert 'data-maxlength="4000"' in html


def test_sending_it_opens_a_case_for_the_entity_that_publishes_the_procedure(client, catalog):
    response = client.post(
        FORM,
        {"what_is_wrong": "El pasaporte ahora cuesta B/. 110.00 según el banco.", "kinds": ["costo"], "email": "ana@example.com"},
    )
    assert response.status_code == 302
    assert response["Location"] == SENT

    case = Case.objects.get()
    procedure = catalog["pasaporte-ordinario"]
    assert case.procedure == procedure
    assert case.entity == procedure.entity
    assert case.category.code == "TRAMITE-INFO-DESACTUALIZADA"
    assert case.description == "El pasaporte ahora cuesta B/. 110.00 según el banco."
    assert case.attributes == {"dato_incorrecto": ["costo"]}
    assert CaseContact.objects.get(case=case).email == "ana@example.com"
    routed = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ROUTED)
    assert routed.entity == procedure.entity
    assert routed.reason == "procedure_entity"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CREATED).exists()

    html = client.get(response["Location"]).content.decode()
    assert f"<strong data-case-number>{case.number}</strong>" in html
    assert f'href="http://testserver/seguimiento/{case.tracking_token}/"' in html
    assert "Enviamos su reporte a Autoridad de Pasaportes de Panamá." in html


def test_it_works_in_english_with_english_error_messages(client, catalog):
    html = client.post(f"/en{FORM}", {"what_is_wrong": "   "}).content.decode()
    assert "Say what is wrong or out of date on this page." in html
    assert Case.objects.count() == 0

    response = client.post(f"/en{FORM}", {"what_is_wrong": "The office moved to Albrook."})
    assert response["Location"] == f"/en{SENT}"
    case = Case.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert f'href="http://testserver/en/seguimiento/{case.tracking_token}/"' in html
    assert "Report sent" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"what_is_wrong": ""}, "what_is_wrong", "Indique qué está mal o desactualizado en esta página."),
        ({"what_is_wrong": "   \n  "}, "what_is_wrong", "Indique qué está mal o desactualizado en esta página."),
        ({"what_is_wrong": "x" * 4001}, "what_is_wrong", "4001"),
        ({"what_is_wrong": "Cambió el horario.", "email": "no-es-un-correo"}, "email", "correo electrónico válid"),
        ({"what_is_wrong": "Cambió el horario.", "kinds": ["inventado"]}, "kinds", "inventado"),
    ],
)
def test_bad_input_is_shown_as_form_errors_and_nothing_is_stored(client, catalog, data, field, message):
    response = client.post(FORM, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert f'<a href="#{field}">' in html
    assert f'<p id="{field}-error" class="govuk-error-message">' in html
    assert message in html
    assert "<title>Error:" in html
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_the_text_the_citizen_wrote_is_kept_after_an_error(client, catalog):
    html = client.post(FORM, {"what_is_wrong": "Cambió el horario.", "email": "malo"}).content.decode()
    assert "Cambió el horario.</textarea>" in html
    assert 'value="malo"' in html


def test_the_confirmation_is_only_for_the_browser_that_sent_the_report(client, catalog):
    response = client.get(SENT)
    assert response.status_code == 302
    assert response["Location"] == FORM


def test_the_service_refuses_bad_input_without_storing_anything(catalog):
    procedure = catalog["pasaporte-ordinario"]
    with pytest.raises(ValidationError) as error:
        report_outdated_information(procedure, what_is_wrong="x" * 4001)
    assert error.value.error_dict["description"][0].code == "max_length"
    with pytest.raises(ValidationError):
        report_outdated_information(procedure, what_is_wrong="")
    assert Case.objects.count() == 0


def test_an_unpublished_procedure_cannot_be_reported(client, catalog):
    procedure = catalog["pasaporte-ordinario"]
    procedure.active = False
    procedure.save()
    assert client.get(FORM).status_code == 404
    assert client.post(FORM, {"what_is_wrong": "Cambió el costo."}).status_code == 404
    assert Case.objects.count() == 0
