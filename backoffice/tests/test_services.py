"""The services the back office added to cases.services (reassign, change_category, moderate,
followers_of) and the answer templates' validation, called directly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backoffice.answer_templates import render_template_body, save_template, validate_template_body
from backoffice.desk_forms import AnswerTemplateForm
from cases.models import CaseContact, RejectionReason, State
from cases.services import (
    Actor,
    InvalidTransition,
    change_category,
    followers_of,
    moderate,
    reassign,
    reject,
    transition,
)
from ventanilla.testing import SAN_MIGUELITO, make_category, new_case

from .core_fixtures import fresh, rubbish, snapshot  # noqa: F401


def test_reassign_needs_a_held_case_and_a_person_who_can_hold_it(world, rubbish):
    with pytest.raises(InvalidTransition):
        reassign(rubbish, Actor(world.supervisor), world.alice)  # still received: assign it first
    transition(rubbish, "assign", Actor(world.supervisor), assignee=world.alice)
    before = snapshot(rubbish)
    with pytest.raises(ValidationError):
        reassign(rubbish, Actor(world.supervisor), world.bob)  # another entity's staff
    with pytest.raises(ValidationError):
        reassign(rubbish, Actor(world.supervisor), world.alice)  # already theirs
    assert snapshot(rubbish) == before
    reassign(rubbish, Actor(world.supervisor), world.supervisor)
    assert fresh(rubbish).assignee == world.supervisor and fresh(rubbish).state == State.ASSIGNED


def test_change_category_within_the_entity_keeps_the_state_and_recomputes_the_due_date(world, rubbish):
    potholes = make_category("BACHE", None, municipal=True, sla_business_days=20)
    transition(rubbish, "assign", Actor(world.supervisor), assignee=world.alice)
    old_due = fresh(rubbish).due_at
    change_category(rubbish, Actor(world.alice), potholes)
    case = fresh(rubbish)
    assert case.category == potholes and case.entity == world.san_miguelito
    assert case.state == State.ASSIGNED and case.assignee == world.alice and case.due_at > old_due
    event = case.events.get(kind="change_category")
    assert event.reason == "municipal_district" and "BASURA-NO-RECOGIDA → BACHE" in event.message


def test_change_category_refuses_sensitive_moves_and_closed_cases(world, rubbish):
    before = snapshot(rubbish)
    with pytest.raises(ValidationError):
        change_category(rubbish, Actor(world.alice), world.corruption)
    with pytest.raises(ValidationError):
        change_category(rubbish, Actor(world.alice), world.rubbish)
    assert snapshot(rubbish) == before
    reject(rubbish, RejectionReason.SPAM, Actor(world.alice), message="No.")
    with pytest.raises(InvalidTransition):
        change_category(rubbish, Actor(world.alice), world.water)


def test_moderate_keeps_the_original_and_validates(world, rubbish):
    with pytest.raises(ValidationError):
        moderate(rubbish, Actor(world.alice), "")
    with pytest.raises(ValidationError):
        moderate(rubbish, Actor(world.alice), "x" * 4001)
    with pytest.raises(ValidationError):  # the citizen's own text again and no file: nothing to record
        moderate(rubbish, Actor(world.alice), rubbish.description)
    moderate(rubbish, Actor(world.alice), "Basura acumulada frente a una casa.")
    case = fresh(rubbish)
    assert case.public_text == "Basura acumulada frente a una casa." and "6123-4567" in case.description
    assert case.events.filter(kind="moderate", public=False).count() == 1


def test_followers_are_the_reporter_and_the_reporters_of_its_duplicates(world, rubbish):
    duplicate = new_case(world, world.rubbish, point=SAN_MIGUELITO, contact_name="Eva", contact_email="eva@example.invalid")
    stopped = new_case(world, world.rubbish, point=SAN_MIGUELITO, contact_name="Leo", contact_email="leo@example.invalid")
    anonymous = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    unrelated = new_case(world, world.rubbish, point=SAN_MIGUELITO, contact_name="Ivo", contact_email="ivo@example.invalid")
    CaseContact.objects.filter(case=stopped).update(messages_stopped_at="2026-01-01T00:00:00Z")
    for case in (duplicate, stopped, anonymous):
        reject(case, RejectionReason.DUPLICATE, Actor(world.alice), duplicate_of=rubbish)
    names = set(followers_of(rubbish).values_list("name", flat=True))
    assert names == {"Juan Pérez", "Eva"}
    assert "Ivo" not in names and unrelated.contact.name == "Ivo"


@pytest.mark.parametrize("body", ["Caso {numero}", "Case {case_number} of {entity}: {category}", "Llaves {{literal}}", "Sin nada"])
def test_known_placeholders_are_accepted(body):
    validate_template_body(body)


@pytest.mark.parametrize("body", ["Hola {nombre}", "{numero.__class__}", "{numero!r}", "{numero:>10}", "Abierto { sin cerrar", "}"])
def test_unknown_placeholders_and_broken_braces_are_refused(body):
    with pytest.raises(ValidationError):
        validate_template_body(body)


def test_render_fills_the_case_values_in_the_templates_language(world, rubbish):
    body = "{numero} · {categoria} · {entidad} · {case_number}"
    assert render_template_body(body, rubbish, "en") == f"{rubbish.number} · Uncollected rubbish · Municipio de San Miguelito · {rubbish.number}"
    assert render_template_body(body, rubbish, "es").split(" · ")[1] == "Basura no recogida"


def test_saving_a_template_with_an_unknown_placeholder_is_a_form_error(world):
    form = AnswerTemplateForm({"state": "", "title": "T", "body": "Hola {nombre}", "language": "es"}, category=world.rubbish)
    assert not form.is_valid() and "{nombre}" in form.errors["body"][0]
    with pytest.raises(ValidationError):
        save_template(category=world.rubbish, title="T", body="Hola {nombre}", language="es")
    saved = save_template(category=world.rubbish, title="T", body="Caso {numero}", language="es")
    assert saved.pk
