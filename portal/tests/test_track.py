"""Following a case with its tracking link: the public timeline in the reader's language, answering an
information request, reopening, and lookups that never say whether a case exists."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cases.attachments import store_upload
from cases.models import Attachment, Case, CaseEvent, State
from cases.services import Actor, add_comment, request_info, resolve, transition
from portal.journey.testing import SCRIPT, jpeg_bytes, stored_files, upload
from ventanilla.testing import new_case


@pytest.fixture(autouse=True)
def _forget_lookup_failures():
    # The throttle lives in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def track_url(case: Case, prefix: str = "") -> str:
    return f"{prefix}/seguimiento/{case.tracking_token}/"


def waiting_case(world) -> Case:
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    return request_info(case, Actor(user=world.alice), "¿En qué número de casa está la basura?")


def resolved_case(world, *, days_ago: int = 0) -> Case:
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    case = resolve(case, Actor(user=world.alice), "Se recogió la basura el martes.")
    if days_ago:
        Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
        case.refresh_from_db()
    return case


# --- The tracking page ------------------------------------------------------------------------


def test_the_tracking_page_shows_the_case_and_its_routing_in_spanish(client, world):
    case = new_case(world, world.rubbish)

    response = client.get(track_url(case))

    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html and "Basura no recogida" in html
    assert "Municipio de San Miguelito" in html
    assert "Enviado al municipio del distrito donde está el problema." in html
    assert "Recibido" in html
    assert response["Cache-Control"] == "no-store"


def test_the_tracking_page_is_in_english_under_en(client, world):
    case = new_case(world, world.rubbish)

    html = client.get(track_url(case, "/en")).content.decode()

    assert "Sent to the municipality of the district where the problem is." in html
    assert "Uncollected rubbish" in html


def test_internal_work_and_staff_names_stay_off_the_public_timeline(client, world):
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    add_comment(case, Actor(user=world.alice), "Nota interna: el camión está averiado.", public=False)
    add_comment(case, Actor(user=world.alice), "Pasaremos el jueves.", public=True)

    html = client.get(track_url(case)).content.decode()

    assert "Pasaremos el jueves." in html
    assert "camión está averiado" not in html
    assert "alice" not in html and "sofia" not in html


def test_an_overdue_case_says_so(client, world):
    case = new_case(world, world.rubbish)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(days=3))

    html = client.get(track_url(case)).content.decode()

    assert "govuk-tag--red" in html and "Vencido" in html


def test_public_photos_are_shown_through_the_checked_view(client, world):
    case = new_case(world, world.rubbish)
    photo = store_upload(case, upload("a.jpg", jpeg_bytes()))

    html = client.get(track_url(case)).content.decode()

    assert f'src="/adjuntos/{photo.pk}/"' in html
    assert "/media/" not in html


def test_a_complaint_shows_its_timeline_but_not_its_text_or_files(client, world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True, description="El jefe cobra coimas.")
    store_upload(complaint, upload("a.jpg", jpeg_bytes()))

    html = client.get(track_url(complaint)).content.decode()

    assert complaint.number in html and "Denuncia de corrupción" in html
    assert "coimas" not in html
    assert "/adjuntos/" not in html
    assert "1 archivo" in html


def test_an_unknown_token_is_a_friendly_not_found_page_in_the_readers_language(client, world):
    spanish = client.get("/seguimiento/no-es-un-codigo-real/")
    english = client.get("/en/seguimiento/no-es-un-codigo-real/")

    assert spanish.status_code == english.status_code == 404
    assert "No encontramos ese caso" in spanish.content.decode()
    assert "We could not find that case" in english.content.decode()


# --- Answering an information request ---------------------------------------------------------


def test_a_question_from_the_institution_can_be_answered_from_the_tracking_page(client, world):
    case = waiting_case(world)
    page = client.get(track_url(case)).content.decode()
    assert "¿En qué número de casa está la basura?" in page and 'name="reply"' in page

    response = client.post(f"{track_url(case)}responder/", {"reply": "Casa 14, al lado de la tienda."}, follow=True)

    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    reply = case.events.get(kind=CaseEvent.Kind.CITIZEN_REPLIED)
    assert reply.message == "Casa 14, al lado de la tienda." and reply.public
    assert "govuk-notification-banner--success" in response.content.decode()


def test_an_answer_can_bring_a_photo(client, world):
    case = waiting_case(world)

    client.post(f"{track_url(case)}responder/", {"reply": "Esta es la esquina.", "photos": [upload("esquina.jpg", jpeg_bytes())]})

    attachment = Attachment.objects.get()
    assert attachment.case == case and attachment.event.kind == CaseEvent.Kind.CITIZEN_REPLIED


def test_an_empty_answer_or_a_fake_photo_is_refused_and_nothing_changes(client, world):
    case = waiting_case(world)

    empty = client.post(f"{track_url(case)}responder/", {"reply": "  "})
    fake = client.post(f"{track_url(case)}responder/", {"reply": "Aquí va.", "photos": [upload("foto.jpg", SCRIPT)]})

    assert 'href="#reply"' in empty.content.decode()
    assert 'href="#photos"' in fake.content.decode()
    case.refresh_from_db()
    assert case.state == State.WAITING_CITIZEN
    assert not case.events.filter(kind=CaseEvent.Kind.CITIZEN_REPLIED).exists()
    assert stored_files() == []


def test_an_answer_to_a_case_that_asked_nothing_is_not_recorded(client, world):
    case = new_case(world, world.rubbish)

    response = client.post(f"{track_url(case)}responder/", {"reply": "Hola"}, follow=True)

    assert "no está esperando" in response.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.CITIZEN_REPLIED).exists()


# --- Reopening --------------------------------------------------------------------------------


def test_a_resolved_case_can_be_reopened_within_the_window(client, world):
    case = resolved_case(world, days_ago=2)
    assert 'name="reason"' in client.get(track_url(case)).content.decode()

    client.post(f"{track_url(case)}reabrir/", {"reason": "La basura sigue ahí."})

    case.refresh_from_db()
    assert case.state == State.REOPENED
    assert case.events.get(kind=CaseEvent.Kind.REOPENED).message == "La basura sigue ahí."


def test_reopening_needs_a_reason(client, world):
    case = resolved_case(world)

    html = client.post(f"{track_url(case)}reabrir/", {"reason": ""}).content.decode()

    assert 'href="#reason"' in html
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_after_the_window_the_case_cannot_be_reopened(client, world, settings):
    case = resolved_case(world, days_ago=settings.CASE_REOPEN_WINDOW_DAYS + 1)
    assert 'name="reason"' not in client.get(track_url(case)).content.decode()

    response = client.post(f"{track_url(case)}reabrir/", {"reason": "Sigue igual."}, follow=True)

    case.refresh_from_db()
    assert case.state == State.RESOLVED
    assert "ya no se puede reabrir" in response.content.decode()


def test_a_resolved_case_links_to_the_survey(client, world):
    case = resolved_case(world)

    assert f'href="/encuesta/{case.tracking_token}/"' in client.get(track_url(case)).content.decode()


# --- Looking a case up ------------------------------------------------------------------------


def test_the_tracking_code_with_its_number_finds_the_case(client, world):
    case = new_case(world)

    response = client.post("/seguimiento/", {"code": case.tracking_token, "number": case.number})

    assert response["Location"] == track_url(case)


def test_a_pasted_tracking_link_finds_the_case(client, world):
    case = new_case(world)

    response = client.post("/en/seguimiento/", {"code": f"  https://311.gob.pa/en/seguimiento/{case.tracking_token}/  "})

    assert response["Location"] == track_url(case, "/en")


def test_a_wrong_number_and_a_wrong_code_get_the_same_answer(client, world):
    case = new_case(world)
    other = new_case(world)

    answers = [
        client.post("/seguimiento/", {"code": case.tracking_token, "number": other.number}),
        client.post("/seguimiento/", {"code": "adivinado" * 3, "number": case.number}),
    ]

    summaries = [re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>\s*</div>', a.content.decode(), re.S) for a in answers]
    assert all(a.status_code == 200 for a in answers)
    assert summaries[0] and summaries[1] and summaries[0].group(0) == summaries[1].group(0)
    assert "No encontramos un caso con ese código de seguimiento y número" in summaries[0].group(0)


def test_guessing_is_throttled_per_address_without_blocking_others(world, settings):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 3
    case = new_case(world)
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    neighbour = Client(REMOTE_ADDR="198.51.100.8")

    for attempt in range(3):
        assert guesser.get(f"/seguimiento/intento{attempt}/").status_code == 404
    blocked = guesser.post("/seguimiento/", {"code": case.tracking_token})

    assert blocked.status_code == 429
    assert "Demasiados intentos" in blocked.content.decode()
    assert guesser.get(track_url(case)).status_code == 429
    assert neighbour.get(track_url(case)).status_code == 200


def test_a_citizen_reloading_their_own_case_is_never_throttled(world, settings):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 2
    case = new_case(world)
    citizen = Client(REMOTE_ADDR="198.51.100.9")

    assert all(citizen.get(track_url(case)).status_code == 200 for _ in range(5))


def test_a_throttled_visit_does_not_write_the_tracking_code_to_the_log(world, settings, caplog):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 1
    case = new_case(world)
    visitor = Client(REMOTE_ADDR="198.51.100.10")
    visitor.get("/seguimiento/intento/")

    assert visitor.get(track_url(case)).status_code == 429

    assert case.tracking_token not in caplog.text


def test_opening_the_address_of_a_form_shows_the_case_instead_of_an_error(client, world):
    case = waiting_case(world)

    for action in ("responder", "reabrir"):
        response = client.get(f"{track_url(case)}{action}/")
        assert response.status_code == 302 and response["Location"] == track_url(case)
