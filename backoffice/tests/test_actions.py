"""The case page's actions through HTTP: each one changes the case through cases.services and shows at
once; bad input and stale forms change nothing and say why."""

from __future__ import annotations

import re


from backoffice.concurrency import version_of
from backoffice.models import AnswerTemplate
from cases.models import RejectionReason, State
from cases.services import Actor, add_comment, transition
from ventanilla.testing import SAN_MIGUELITO, new_case

from .core_fixtures import as_user, fresh, office, rubbish, snapshot  # noqa: F401


def act(client, case, action, **fields):
    data = {f"{action}-version": version_of(case), **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/oficina/casos/{case.number}/{action}/", data)


def kinds(case) -> list[str]:
    return list(fresh(case).events.order_by("pk").values_list("kind", flat=True))


def test_work_a_case_from_received_to_resolved(office, world, rubbish):
    response = act(office, rubbish, "take")
    assert response.status_code == 302
    assert fresh(rubbish).state == State.ASSIGNED and fresh(rubbish).assignee == world.alice
    act(office, rubbish, "start")
    act(office, rubbish, "note", message="Pedimos el camión.")
    act(office, rubbish, "resolve", message="Se recogió la basura el martes.")
    case = fresh(rubbish)
    assert case.state == State.RESOLVED
    assert kinds(case)[-4:] == ["assign", "start", "comment", "resolve"]
    page = office.get(f"/oficina/casos/{case.number}/").content.decode()
    assert "Se recogió la basura el martes." in page and 'data-state="resolved"' in page
    assert "data-action=\"close\"" not in page  # staff never close


def test_request_information_then_the_citizens_reply_arrives(office, world, client, rubbish):
    act(office, rubbish, "take")
    act(office, rubbish, "request_info", message="¿En qué número de casa?")
    assert fresh(rubbish).state == State.WAITING_CITIZEN
    reply = client.post(f"/seguimiento/{rubbish.tracking_token}/responder/", {"reply": "Casa 14."})
    assert reply.status_code == 302
    assert fresh(rubbish).state == State.IN_PROGRESS
    assert "Casa 14." in office.get(f"/oficina/casos/{rubbish.number}/").content.decode()


def test_supervisor_assigns_and_reassigns_without_changing_state(office, world, rubbish):
    as_user(office, world.supervisor)
    act(office, rubbish, "assign", assignee="alice")
    act(office, rubbish, "start")
    act(office, rubbish, "reassign", assignee="sofia")
    case = fresh(rubbish)
    assert case.assignee == world.supervisor and case.state == State.IN_PROGRESS
    event = case.events.get(kind="reassign")
    assert event.from_state == event.to_state == State.IN_PROGRESS and not event.public
    assert "alice → sofia" in event.message


def test_staff_may_take_over_but_not_hand_cases_to_others(office, world, rubbish):
    transition(rubbish, "assign", Actor(world.supervisor), assignee=world.supervisor)
    before = snapshot(rubbish)
    assert act(office, rubbish, "reassign", assignee="sofia").status_code == 403
    assert act(office, rubbish, "assign", assignee="alice").status_code == 403
    assert snapshot(rubbish) == before
    act(office, rubbish, "take_over")
    assert fresh(rubbish).assignee == world.alice


def test_transfer_needs_a_reason(office, world, rubbish):
    before = snapshot(rubbish)
    response = act(office, rubbish, "transfer", entity=world.idaan.code, reason="")
    assert response.status_code == 400 and snapshot(rubbish) == before
    assert "data-form-errors" in response.content.decode() or "govuk-error-message" in response.content.decode()
    response = act(office, rubbish, "transfer", entity=world.idaan.code, reason="Es una fuga de agua.")
    assert response["Location"] == "/oficina/"  # back to the queue: the case is no longer hers
    case = fresh(rubbish)
    assert case.entity == world.idaan and case.state == State.RECEIVED
    # The case is no longer alice's: she does not see it any more.
    assert office.get(f"/oficina/casos/{case.number}/").status_code == 404


def test_reject_and_mark_duplicate(office, world, rubbish):
    original = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    assert act(office, rubbish, "duplicate", original="2026-999999").status_code == 400
    assert act(office, rubbish, "duplicate", original=rubbish.number).status_code == 400
    act(office, rubbish, "duplicate", original=original.number)
    case = fresh(rubbish)
    assert case.state == State.REJECTED and case.rejection_reason == RejectionReason.DUPLICATE and case.duplicate_of == original
    spam = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    assert act(office, spam, "reject", reason="spam", message="").status_code == 400
    act(office, spam, "reject", reason="spam", message="Mensaje publicitario.")
    assert fresh(spam).rejection_reason == RejectionReason.SPAM


def test_change_category_routes_again(office, world, rubbish):
    act(office, rubbish, "take")
    act(office, rubbish, "change_category", category=world.water.code)
    case = fresh(rubbish)
    assert case.category == world.water and case.entity == world.idaan and case.state == State.RECEIVED
    event = case.events.get(kind="change_category")
    assert event.previous_entity == world.san_miguelito and event.entity == world.idaan


def test_moderate_redacts_the_public_description_and_hides_a_photo(office, world, client, rubbish):
    from .test_case_page import attach

    photo = attach(rubbish)
    page = office.get(f"/oficina/casos/{rubbish.number}/").content.decode()
    assert "llamar al […]" in page  # the suggested redaction fills the form
    act(office, rubbish, "moderate", public_description="Basura acumulada frente a una casa.", hide_photos=[str(photo.pk)])
    case = fresh(rubbish)
    assert case.public_description == "Basura acumulada frente a una casa."
    assert "6123-4567" in case.description  # the original is kept for staff
    photo.refresh_from_db()
    assert not photo.public
    track = client.get(f"/seguimiento/{case.tracking_token}/").content.decode()
    assert "6123-4567" not in track and "Basura acumulada frente a una casa." in track
    assert f"/adjuntos/{photo.pk}/" not in track
    assert case.events.filter(kind="moderate").exists()


def test_comments_public_and_internal(office, world, rubbish):
    act(office, rubbish, "comment", message="Gracias, lo revisamos.")
    act(office, rubbish, "note", message="Revisar con la cuadrilla.")
    events = list(fresh(rubbish).events.filter(kind="comment").order_by("pk"))
    assert [(e.public, e.message) for e in events] == [(True, "Gracias, lo revisamos."), (False, "Revisar con la cuadrilla.")]


def test_a_transition_the_state_does_not_allow_is_refused(office, world, rubbish):
    before = snapshot(rubbish)
    response = act(office, rubbish, "resolve", message="Listo.")
    assert response.status_code == 400
    assert "no puede" in response.content.decode() or "cannot be" in response.content.decode()
    assert snapshot(rubbish) == before


def test_an_oversized_answer_is_refused(office, world, rubbish):
    act(office, rubbish, "take")
    before = snapshot(rubbish)
    response = act(office, rubbish, "resolve", message="x" * 4001)
    assert response.status_code == 400 and snapshot(rubbish) == before


def test_a_stale_form_changes_nothing_and_shows_what_changed(office, world, rubbish):
    stale = version_of(rubbish)
    add_comment(rubbish, Actor(world.supervisor), "Ya lo tomo yo.", public=False)
    before = snapshot(rubbish)
    response = office.post(f"/oficina/casos/{rubbish.number}/take/", {"take-version": stale})
    assert response.status_code == 409
    html = response.content.decode()
    assert "data-case-changed" in html and "Ya lo tomo yo." in html and "sofia" in html
    assert snapshot(rubbish) == before


def test_answer_templates_fill_the_answer_without_javascript(office, world, rubbish):
    template = AnswerTemplate.objects.create(
        category=world.rubbish, title="Recogida", body="El caso {numero} de {categoria} fue atendido por {entidad}.", language="es"
    )
    AnswerTemplate.objects.create(category=world.water, title="Otra", body="Agua", language="es")
    act(office, rubbish, "take")
    page = office.get(f"/oficina/casos/{rubbish.number}/", {"plantilla": template.pk}).content.decode()
    expected = f"El caso {rubbish.number} de Basura no recogida fue atendido por Municipio de San Miguelito."
    assert re.search(r"<textarea[^>]*resolve-message[^>]*>\s*" + re.escape(expected), page)
    assert "Otra" not in page
