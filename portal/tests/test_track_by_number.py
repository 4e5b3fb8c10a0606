"""Tracking by case number ("tengo el número de caso"): the number alone opens the public view of the case
(what Open311 publishes), never a sensitive case, never the reply/reopen/survey forms, and failed
look-ups still count towards the per-address throttle."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from cases.services import Actor, add_comment, request_info, resolve, transition
from ventanilla.testing import new_case


@pytest.fixture(autouse=True)
def _forget_lookup_failures():
    cache.clear()
    yield
    cache.clear()


def named_case(world):
    return new_case(
        world,
        world.rubbish,
        description="La basura lleva una semana en la esquina.",
        contact_name="María Pérez",
        contact_email="maria@example.invalid",
        contact_phone="6123-4567",
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_number_alone_opens_the_public_view_of_the_case(client, world, prefix):
    case = named_case(world)

    response = client.post(f"{prefix}/seguimiento/", {"code": "", "number": case.number})

    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/seguimiento/caso/{case.number}/"
    assert case.tracking_token not in response["Location"]


def test_a_number_typed_without_its_zeros_is_understood(client, world):
    case = named_case(world)
    year, serial = case.number.split("-")

    response = client.post("/seguimiento/", {"number": f"{year}-{int(serial)}"})

    assert response["Location"] == f"/seguimiento/caso/{case.number}/"


@pytest.mark.parametrize(
    "prefix, words",
    [("", ["Vista pública del caso", "Basura no recogida", "Recibido"]), ("/en", ["public view of the case", "Uncollected rubbish", "Received"])],
)
def test_the_public_view_shows_state_category_institution_and_public_timeline_in_the_readers_language(
    client, world, prefix, words
):
    case = named_case(world)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    add_comment(case, Actor(user=world.alice), "Nota interna: pasar el jueves.", public=False)
    request_info(case, Actor(user=world.alice), "¿En qué esquina exactamente?")

    response = client.get(f"{prefix}/seguimiento/caso/{case.number}/")

    html = response.content.decode()
    assert response.status_code == 200
    for word in words:
        assert word.lower() in html.lower()
    assert case.entity.name in html
    assert "¿En qué esquina exactamente?" in html  # a public event
    assert "Nota interna" not in html  # an internal one
    assert 'name="robots" content="noindex"' in html


def test_the_public_view_shows_no_personal_data_no_token_and_no_forms(client, world):
    case = named_case(world)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    request_info(case, Actor(user=world.alice), "¿Dónde exactamente?")

    html = client.get(f"/seguimiento/caso/{case.number}/").content.decode()

    for secret in ["María Pérez", "maria@example.invalid", "6123-4567", case.tracking_token, world.alice.username]:
        assert secret not in html
    assert "<form" not in html.split('<main', 1)[1]
    assert "/responder/" not in html and "/reabrir/" not in html and "/encuesta/" not in html


def test_the_public_view_shows_the_moderated_description(client, world):
    case = named_case(world)
    case.public_description = "Basura acumulada en una esquina."
    case.save(update_fields=["public_description"])

    html = client.get(f"/seguimiento/caso/{case.number}/").content.decode()

    assert "Basura acumulada en una esquina." in html
    assert "La basura lleva una semana" not in html


def test_a_resolved_case_found_by_number_offers_neither_survey_nor_reopen(client, world):
    case = named_case(world)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Recogida el martes.")

    html = client.get(f"/en/seguimiento/caso/{case.number}/").content.decode()

    assert "Recogida el martes." in html
    assert "enter the tracking code" in html
    assert "/encuesta/" not in html and "/reabrir/" not in html and "/resuelto/" not in html


def test_a_sensitive_case_is_never_found_by_its_number(client, world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True, description="Cobro de coima.")

    looked_up = client.post("/seguimiento/", {"number": complaint.number})
    opened = client.get(f"/seguimiento/caso/{complaint.number}/")

    assert looked_up.status_code == 200 and "No encontramos un caso con ese número" in looked_up.content.decode()
    assert opened.status_code == 404
    assert "Cobro de coima" not in opened.content.decode() and "Denuncia" not in opened.content.decode()


def test_an_unknown_number_and_a_sensitive_one_get_the_same_answer(client, world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True)

    answers = [client.post("/seguimiento/", {"number": number}).content.decode() for number in [complaint.number, "2020-999999"]]

    def summary(html: str) -> str:
        return html.split('class="govuk-error-summary', 1)[1].split("</ul>", 1)[0]

    assert summary(answers[0]) == summary(answers[1])


def test_a_malformed_number_gets_a_clear_error_and_counts_nothing(client, world, settings):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 1

    html = client.post("/en/seguimiento/", {"number": "basura"}).content.decode()

    assert "Enter the case number as on your receipt" in html
    assert client.post("/en/seguimiento/", {"number": "2020-999999"}).status_code == 200  # not throttled yet


def test_an_empty_form_asks_for_the_code_or_the_number(client, world):
    html = client.post("/en/seguimiento/", {"code": "", "number": ""}).content.decode()

    assert "Enter the tracking link or code, or the case number." in html


def test_failed_number_lookups_count_towards_the_throttle(world, settings):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 2
    case = named_case(world)
    guesser = Client(REMOTE_ADDR="198.51.100.21")
    neighbour = Client(REMOTE_ADDR="198.51.100.22")

    assert guesser.get("/seguimiento/caso/2020-000001/").status_code == 404
    assert guesser.post("/seguimiento/", {"number": "2020-000002"}).status_code == 200

    assert guesser.get(f"/seguimiento/caso/{case.number}/").status_code == 429
    assert guesser.post("/seguimiento/", {"number": case.number}).status_code == 429
    assert neighbour.get(f"/seguimiento/caso/{case.number}/").status_code == 200


def test_a_citizen_with_the_code_still_gets_the_full_page(client, world):
    case = named_case(world)

    response = client.post("/seguimiento/", {"code": case.tracking_token, "number": case.number})

    assert response["Location"] == f"/seguimiento/{case.tracking_token}/"


# --- Closing belongs to the citizen -------------------------------------------------------------


@pytest.mark.parametrize("prefix, button, thanks", [("", "Sí, está resuelto: cerrar el caso", "El caso está cerrado"), ("/en", "Yes, it is solved: close the case", "The case is closed")])
def test_the_citizen_with_the_code_confirms_a_resolved_case_and_it_closes(client, world, prefix, button, thanks):
    from cases.models import Case, CaseEvent

    case = named_case(world)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Recogida el martes.")
    page = client.get(f"{prefix}/seguimiento/{case.tracking_token}/").content.decode()
    assert button in page and f'action="{prefix}/seguimiento/{case.tracking_token}/resuelto/"' in page

    response = client.post(f"{prefix}/seguimiento/{case.tracking_token}/resuelto/", follow=True)

    assert thanks in response.content.decode()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == "closed" and fresh.closed_at is not None
    event = CaseEvent.objects.filter(case=case).order_by("-created_at", "-pk").first()
    assert (event.kind, event.actor, event.public, event.channel) == ("close", None, True, "web")
    assert button not in response.content.decode()


def test_an_open_case_cannot_be_confirmed_and_nothing_changes(client, world):
    from cases.models import Case, CaseEvent

    case = named_case(world)
    events = CaseEvent.objects.filter(case=case).count()

    response = client.post(f"/en/seguimiento/{case.tracking_token}/resuelto/", follow=True)

    assert "Only a resolved case can be confirmed as solved." in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "received"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert "resuelto/" not in client.get(f"/seguimiento/{case.tracking_token}/").content.decode()
