"""The 311 agent console: find a caller's cases, answer from the catalog, file a phone case, record a
call that needed no case; never a sensitive complaint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.models import InformationContact
from cases.models import Case, CaseEvent, Channel
from ventanilla.testing import new_case

from .helpers import login

pytestmark = pytest.mark.django_db

CONSOLE = "/oficina/agente/"


@pytest.fixture
def agent_client(client, world):
    return login(client, world.agent)


def test_the_console_is_at_oficina_agente():
    assert reverse("backoffice:desk_console") == CONSOLE


@pytest.mark.parametrize("written", ["6123-4567", "61234567", "+507 6123 4567", "(507) 6123-4567", "00507 6123-4567", "507-6123-4567"])
def test_it_finds_a_callers_case_by_phone_written_in_any_form(agent_client, world, written):
    case = new_case(world, contact_phone="6123-4567", contact_name="María Pérez")
    new_case(world, contact_phone="6999-0000")
    response = agent_client.get(CONSOLE, {"q": written})
    assert response.status_code == 200
    assert [c.number for c in response.context["search"].cases] == [case.number]
    assert case.number in response.content.decode()


def test_it_finds_cases_by_cedula_written_with_spaces_or_dashes(agent_client, world):
    case = new_case(world, contact_national_id="8-123-456", contact_email="ana@example.invalid")
    for written in ["8 123 456", "8-123-456", " 8.123.456 "]:
        found = agent_client.get(CONSOLE, {"q": written}).context["search"].cases
        assert [c.number for c in found] == [case.number]
    assert agent_client.get(CONSOLE, {"q": "81-23-456"}).context["search"].cases == []


def test_it_finds_cases_by_email_whatever_the_case_of_letters(agent_client, world):
    case = new_case(world, contact_email="Ana.Lopez@Example.invalid")
    found = agent_client.get(CONSOLE, {"q": "ana.lopez@example.INVALID"}).context["search"].cases
    assert [c.number for c in found] == [case.number]


def test_it_finds_a_case_by_its_number_even_without_leading_zeros(agent_client, world):
    case = new_case(world)
    year, sequence = case.number.split("-")
    assert agent_client.get(CONSOLE, {"q": case.number}).context["search"].cases == [case]
    assert agent_client.get(CONSOLE, {"q": f"{year}-{int(sequence)}"}).context["search"].cases == [case]


def test_a_search_never_lists_a_sensitive_complaint(agent_client, world):
    complaint = new_case(world, world.corruption, point=None, contact_phone="6123-4567")
    ordinary = new_case(world, contact_phone="6123-4567")
    body = agent_client.get(CONSOLE, {"q": "6123-4567"}).content.decode()
    assert ordinary.number in body
    assert complaint.number not in body
    assert agent_client.get(CONSOLE, {"q": complaint.number}).context["search"].cases == []


def test_the_console_never_offers_a_sensitive_category_and_points_to_the_complaint_form(agent_client, world):
    response = agent_client.get(CONSOLE)
    body = response.content.decode()
    codes = [code for _group, options in response.context["case_form"].fields["category"].choices[1:] for code, _ in options]
    assert world.water.code in codes and world.rubbish.code in codes
    assert world.corruption.code not in codes
    assert "Denuncia de corrupción" not in body
    assert 'href="/denuncia/"' in body
    assert world.oversight.name in body


def test_filing_a_sensitive_category_by_hand_is_refused_and_nothing_is_stored(agent_client, world):
    response = agent_client.post(
        reverse("backoffice:desk_file_case"),
        {"category": world.corruption.code, "description": "Un funcionario pidió dinero.", "contact_phone": "6123-4567"},
    )
    assert response.status_code == 400
    assert not Case.objects.filter(category=world.corruption).exists()


def test_an_agent_files_a_phone_case_and_sees_its_number_and_tracking_code_at_once(agent_client, world):
    response = agent_client.post(
        reverse("backoffice:desk_file_case"),
        {
            "category": world.water.code,
            "description": "Sin agua desde el lunes en la calle 5.",
            "address": "Calle 5, casa 12",
            "contact_name": "José Díaz",
            "contact_phone": "6123-4567",
            "notify_sms": "on",
            "notify_whatsapp": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.PHONE
    assert (case.category, case.entity) == (world.water, world.idaan)
    contact = case.contact
    assert (contact.name, contact.phone_normalized) == ("José Díaz", "+50761234567")
    assert (contact.notify_email, contact.notify_sms, contact.notify_whatsapp) == (False, True, True)
    created = case.events.get(kind=CaseEvent.Kind.CREATED)
    assert (created.actor, created.channel) == (world.agent, Channel.PHONE)

    page = agent_client.get(response["Location"]).content.decode()
    assert case.number in page
    assert case.tracking_token in page
    # Shown once: the tracking code is the caller's secret, not something to look up later.
    assert case.tracking_token not in agent_client.get(CONSOLE).content.decode()


def test_with_no_preference_ticked_the_default_rule_decides(agent_client, world):
    agent_client.post(
        reverse("backoffice:desk_file_case"),
        {"category": world.water.code, "description": "Sin agua.", "contact_phone": "6123-4567"},
    )
    contact = Case.objects.get().contact
    assert (contact.notify_email, contact.notify_sms, contact.notify_whatsapp) == (False, True, False)


def test_a_case_with_errors_is_shown_again_with_the_messages_and_nothing_is_stored(agent_client, world):
    response = agent_client.post(
        reverse("backoffice:desk_file_case"),
        {"category": world.water.code, "description": "", "contact_phone": "12", "contact_email": "not-an-email"},
    )
    assert response.status_code == 400
    errors = response.context["case_form"].errors
    assert {"description", "contact_phone", "contact_email"} <= set(errors)
    assert "There is a problem" in response.content.decode() or "Hay un problema" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_categorys_own_questions_appear_after_choosing_it_and_are_stored(agent_client, world):
    url = reverse("backoffice:desk_file_case")
    first = agent_client.post(url, {"category": world.rubbish.code, "description": "Basura acumulada.", "district": ""})
    assert first.status_code == 400
    assert "attribute__tipo_desecho" in first.context["case_form"].errors
    assert "id_attribute__tipo_desecho" in first.content.decode()
    district = world.san_miguelito.district
    second = agent_client.post(
        url,
        {"category": world.rubbish.code, "description": "Basura acumulada.", "district": district.code,
         "attribute__tipo_desecho": "voluminoso", "contact_phone": "6123-4567"},
    )
    assert second.status_code == 302
    case = Case.objects.get()
    assert case.attributes == {"tipo_desecho": "voluminoso"}
    assert case.entity == world.san_miguelito


def test_a_search_that_finds_nothing_carries_the_phone_into_the_new_case_form(agent_client, world):
    response = agent_client.get(CONSOLE, {"q": "6777-1234"})
    form = response.context["case_form"]
    assert form.initial == {"contact_phone": "6777-1234"}
    assert response.context["focus"] == "id_category"
    cedula = agent_client.get(CONSOLE, {"q": "8-765-4321"}).context["case_form"]
    assert cedula.initial == {"contact_national_id": "8-765-4321"}


def test_an_information_only_contact_is_recorded(agent_client, world):
    response = agent_client.post(
        reverse("backoffice:desk_information"),
        {"topic": "Horario de la oficina de pasaportes", "entity": world.idaan.code, "channel": Channel.PHONE},
    )
    assert response.status_code == 302
    contact = InformationContact.objects.get()
    assert (contact.topic, contact.entity, contact.channel, contact.agent) == (
        "Horario de la oficina de pasaportes",
        world.idaan,
        Channel.PHONE,
        world.agent,
    )
    assert Case.objects.count() == 0


def test_an_information_contact_without_a_topic_is_refused(agent_client, world):
    response = agent_client.post(reverse("backoffice:desk_information"), {"topic": "  ", "channel": "phone"})
    assert response.status_code == 400
    assert "topic" in response.context["info_form"].errors
    assert InformationContact.objects.count() == 0


def test_a_question_is_answered_from_the_catalog_and_the_answer_recorded(agent_client, world):
    from catalog.tests.catalog_data import load_sample_catalog

    load_sample_catalog(world)
    response = agent_client.get(CONSOLE, {"pregunta": "pasaporte"})
    answers = response.context["answers"]
    assert answers and answers[0].slug == "pasaporte-ordinario"
    procedure = answers[0]
    agent_client.post(
        reverse("backoffice:desk_information"),
        {"topic": procedure.name, "procedure": procedure.slug, "entity": procedure.entity.code, "channel": "phone"},
    )
    recorded = InformationContact.objects.get()
    assert (recorded.procedure, recorded.entity) == (procedure, procedure.entity)


@pytest.mark.parametrize("who", ["alice", "bob", "supervisor", "investigator", "operator", "admin", "charlie"])
def test_only_agents_use_the_console_and_others_change_nothing(client, world, who):
    new_case(world, contact_phone="6123-4567")
    login(client, getattr(world, who))
    assert client.get(CONSOLE, {"q": "6123-4567"}).status_code == 403
    filed = client.post(reverse("backoffice:desk_file_case"), {"category": world.water.code, "description": "Sin agua."})
    assert filed.status_code == 403
    info = client.post(reverse("backoffice:desk_information"), {"topic": "Horarios", "channel": "phone"})
    assert info.status_code == 403
    assert (Case.objects.count(), InformationContact.objects.count()) == (1, 0)


def test_a_signed_out_visitor_is_sent_to_sign_in_and_nothing_is_filed(client, world):
    assert client.get(CONSOLE).status_code == 302
    assert client.post(reverse("backoffice:desk_file_case"), {"category": world.water.code, "description": "x"}).status_code == 302
    assert Case.objects.count() == 0


def test_the_console_forms_accept_only_post(agent_client, world):
    assert agent_client.get(reverse("backoffice:desk_file_case")).status_code == 405
    assert agent_client.get(reverse("backoffice:desk_information")).status_code == 405


def test_an_oversized_description_or_a_forged_category_is_refused_with_a_message(agent_client, world, settings):
    url = reverse("backoffice:desk_file_case")
    too_long = "x" * (settings.CASE_DESCRIPTION_MAX_LENGTH + 1)
    response = agent_client.post(url, {"category": world.water.code, "description": too_long, "contact_phone": "6123-4567"})
    assert response.status_code == 400
    assert "description" in response.context["case_form"].errors
    forged = agent_client.post(url, {"category": "NO-EXISTE", "description": "Sin agua."})
    assert forged.status_code == 400
    assert "category" in forged.context["case_form"].errors
    assert Case.objects.count() == 0
