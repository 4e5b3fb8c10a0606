"""The life of a case (django-fsm-2): every change goes through cases.services, writes one timeline
event, and a change the current state does not allow raises InvalidTransition and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case, CaseEvent, Channel, RejectionReason, State
from cases.services import (
    Actor,
    InvalidTransition,
    citizen_reopen,
    citizen_reply,
    reject,
    request_info,
    resolve,
    transfer,
    transition,
)
from ventanilla.testing import DAVID, SAN_MIGUELITO, make_entity, new_case


@pytest.fixture
def case(world):
    """Uncollected rubbish in San Miguelito: Alice's municipality is in charge."""
    return new_case(world, world.rubbish, point=SAN_MIGUELITO)


def snapshot(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.state, fresh.entity_id, fresh.assignee_id, fresh.rejection_reason, fresh.resolved_at, fresh.events.count())


def last_event(case: Case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-created_at", "-pk").first()


def test_a_new_case_is_received_with_public_created_and_routed_events(case, world):
    assert case.state == State.RECEIVED
    events = list(case.events.order_by("pk"))
    assert [(e.kind, e.public) for e in events] == [("created", True), ("routed", True)]
    assert events[0].channel == Channel.WEB and events[0].to_state == State.RECEIVED
    assert events[1].entity == world.san_miguelito


def test_a_case_goes_from_received_to_closed(case, world):
    alice = Actor(world.alice, Channel.IN_PERSON)
    before = timezone.now()
    transition(case, "assign", alice, assignee=world.alice)
    transition(case, "start", alice)
    resolve(case, alice, "Se recogió la basura el martes.")
    transition(case, "close", alice)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.CLOSED
    assert fresh.assignee == world.alice
    assert fresh.resolved_at >= before and fresh.closed_at >= fresh.resolved_at
    steps = list(fresh.events.exclude(kind__in=["created", "routed"]).order_by("pk"))
    assert [(e.kind, e.from_state, e.to_state) for e in steps] == [
        ("assign", "received", "assigned"),
        ("start", "assigned", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("close", "resolved", "closed"),
    ]
    # Starting work is internal; the citizen sees assignment, resolution and closure.
    assert [e.public for e in steps] == [True, False, True, True]
    assert all(e.actor == world.alice and e.channel == Channel.IN_PERSON for e in steps)
    assert all(before <= e.created_at <= timezone.now() for e in steps)
    assert steps[2].message == "Se recogió la basura el martes."


def test_an_event_can_be_made_internal_by_the_caller(case, world):
    transition(case, "assign", Actor(world.alice), public=False, message="Para la cuadrilla 3")
    event = last_event(case)
    assert (event.kind, event.public, event.message) == ("assign", False, "Para la cuadrilla 3")


def test_staff_can_ask_the_citizen_for_information_and_the_reply_resumes_work(case, world):
    alice = Actor(world.alice)
    transition(case, "assign", alice)
    request_info(case, alice, "¿Cuál es el número de casa?")
    assert Case.objects.get(pk=case.pk).state == State.WAITING_CITIZEN
    asked = last_event(case)
    assert (asked.kind, asked.public, asked.actor) == ("request_info", True, world.alice)
    assert asked.message == "¿Cuál es el número de casa?"

    citizen_reply(case, "Casa 14-B", channel=Channel.WHATSAPP)
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS
    reply = last_event(case)
    assert (reply.kind, reply.public, reply.actor, reply.channel) == ("receive_reply", True, None, Channel.WHATSAPP)
    assert (reply.from_state, reply.to_state) == (State.WAITING_CITIZEN, State.IN_PROGRESS)


def test_a_question_to_the_citizen_needs_a_message(case, world):
    transition(case, "assign", Actor(world.alice))
    before = snapshot(case)
    with pytest.raises(ValidationError) as exc:
        request_info(case, Actor(world.alice), "   ")
    assert "message" in exc.value.error_dict
    assert snapshot(case) == before


@pytest.mark.parametrize("reason", [RejectionReason.NOT_COMPETENT, RejectionReason.SPAM])
def test_a_case_can_be_rejected_with_a_reason(case, world, reason):
    reject(case, reason, Actor(world.alice), message="No corresponde")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.rejection_reason) == (State.REJECTED, reason)
    assert fresh.closed_at is not None
    event = last_event(case)
    assert (event.kind, event.reason, event.public, event.actor) == ("reject", reason, True, world.alice)


def test_a_duplicate_names_the_case_it_duplicates(case, world):
    original = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    reject(case, RejectionReason.DUPLICATE, Actor(world.alice), duplicate_of=original)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.rejection_reason, fresh.duplicate_of) == (State.REJECTED, "duplicate", original)
    assert last_event(case).reason == "duplicate"


@pytest.mark.parametrize(
    "reason, duplicate_of, field",
    [
        (RejectionReason.DUPLICATE, None, "duplicate_of"),
        (RejectionReason.DUPLICATE, "itself", "duplicate_of"),
        ("lazy", None, "reason"),
        ("", None, "reason"),
    ],
    ids=["duplicate of nothing", "duplicate of itself", "unknown reason", "no reason"],
)
def test_a_rejection_without_a_proper_reason_changes_nothing(case, world, reason, duplicate_of, field):
    before = snapshot(case)
    with pytest.raises(ValidationError) as exc:
        reject(case, reason, Actor(world.alice), duplicate_of=case if duplicate_of == "itself" else None)
    assert field in exc.value.error_dict
    assert snapshot(case) == before


def test_a_spam_case_leaves_the_public_record(case, world):
    reject(case, RejectionReason.SPAM, Actor(world.alice))
    assert not Case.objects.public().filter(pk=case.pk).exists()
    assert Case.objects.visible_to(world.alice).filter(pk=case.pk).exists()


def resolved(case: Case, world, days_ago: float = 0) -> Case:
    alice = Actor(world.alice)
    transition(case, "assign", alice)
    resolve(case, alice, "Listo.")
    if days_ago:
        # Time passing: the resolution happened `days_ago` days before now.
        Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
    return case


def test_the_citizen_can_reopen_within_the_window(case, world, settings):
    settings.CASE_REOPEN_WINDOW_DAYS = 15
    resolved(case, world, days_ago=14)
    citizen_reopen(case, "Volvieron a dejar la basura.")
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.REOPENED
    event = last_event(case)
    assert (event.kind, event.from_state, event.public, event.actor) == ("reopen", State.RESOLVED, True, None)


def test_a_closed_case_can_also_be_reopened_within_the_window(case, world):
    resolved(case, world)
    transition(case, "close", Actor(world.alice))
    citizen_reopen(case, "No lo resolvieron.")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.closed_at) == (State.REOPENED, None)


def test_a_reopened_case_goes_back_to_work(case, world):
    resolved(case, world)
    citizen_reopen(case, "Sigue igual.")
    transition(case, "start", Actor(world.alice))
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS


def test_reopening_after_the_window_is_refused_and_says_why(case, world, settings):
    settings.CASE_REOPEN_WINDOW_DAYS = 15
    resolved(case, world, days_ago=16)
    before = snapshot(case)
    with pytest.raises(InvalidTransition) as exc:
        citizen_reopen(case, "Sigue igual.")
    assert "15" in str(exc.value) and case.number in str(exc.value)
    assert snapshot(case) == before


def test_the_reopen_window_is_a_setting(case, world, settings):
    settings.CASE_REOPEN_WINDOW_DAYS = 3
    resolved(case, world, days_ago=4)
    with pytest.raises(InvalidTransition):
        citizen_reopen(case, "Sigue igual.")
    settings.CASE_REOPEN_WINDOW_DAYS = 5
    citizen_reopen(case, "Sigue igual.")
    assert Case.objects.get(pk=case.pk).state == State.REOPENED


def test_a_transfer_records_both_entities_and_the_reason_and_lands_in_the_new_queue(case, world):
    transition(case, "assign", Actor(world.alice), assignee=world.alice)
    transfer(case, world.david, Actor(world.alice), "La dirección es de David, Chiriquí.")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.entity, fresh.state, fresh.assignee) == (world.david, State.RECEIVED, None)
    event = last_event(case)
    assert (event.kind, event.previous_entity, event.entity) == ("transfer", world.san_miguelito, world.david)
    assert (event.reason, event.message, event.actor) == ("manual_transfer", "La dirección es de David, Chiriquí.", world.alice)
    assert Case.objects.visible_to(world.bob).open().filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(world.alice).filter(pk=case.pk).exists()


@pytest.mark.parametrize("problem", ["no reason", "same entity", "inactive entity"])
def test_a_transfer_without_a_reason_or_to_an_unusable_entity_changes_nothing(case, world, problem):
    closed = make_entity("MUNVIEJO", "Municipio disuelto", active=False)
    target = {"no reason": world.david, "same entity": world.san_miguelito, "inactive entity": closed}[problem]
    before = snapshot(case)
    with pytest.raises(ValidationError):
        transfer(case, target, Actor(world.alice), "" if problem == "no reason" else "Motivo")
    assert snapshot(case) == before


FORBIDDEN = [
    ("close a received case", [], "close", {}),
    ("resolve a received case", [], "resolve", {}),
    ("start a received case", [], "start", {}),
    ("reply when nobody asked", [("assign", {})], "receive_reply", {}),
    ("reopen an open case", [("assign", {})], "reopen", {}),
    ("assign a resolved case", [("assign", {}), ("resolve", {})], "assign", {}),
    ("transfer a closed case", [("assign", {}), ("resolve", {}), ("close", {})], "transfer", {"to_entity": "david"}),
    ("reject a resolved case", [("assign", {}), ("resolve", {})], "reject", {"reason": "spam"}),
    ("resolve a rejected case", [("reject", {"reason": "spam"})], "resolve", {}),
    ("an action that does not exist", [], "delete", {}),
    ("a model method that is not an action", [], "save", {}),
]


@pytest.mark.parametrize("steps, action, kwargs", [f[1:] for f in FORBIDDEN], ids=[f[0] for f in FORBIDDEN])
def test_a_forbidden_transition_raises_a_clear_error_and_changes_nothing(case, world, steps, action, kwargs):
    alice = Actor(world.alice)
    for step, step_kwargs in steps:
        transition(case, step, alice, **step_kwargs)
    kwargs = {k: (world.david if v == "david" else v) for k, v in kwargs.items()}
    before = snapshot(case)
    with pytest.raises(InvalidTransition) as exc:
        transition(case, action, alice, **kwargs)
    fresh = Case.objects.get(pk=case.pk)
    assert case.number in str(exc.value) and fresh.get_state_display() in str(exc.value)
    assert snapshot(case) == before


def test_a_case_elsewhere_keeps_its_own_state(world):
    """Transitions lock and change one row: a case in David is untouched by work in San Miguelito."""
    here = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    there = new_case(world, world.rubbish, point=DAVID)
    transition(here, "assign", Actor(world.alice))
    assert Case.objects.get(pk=there.pk).state == State.RECEIVED
