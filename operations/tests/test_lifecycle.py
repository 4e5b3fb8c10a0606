"""The alert's steps drive its case: state, public timeline and the board log follow each step."""

import pytest

from cases.models import RejectionReason, State
from operations import services
from operations.models import Alert, AlertState, DispatchState, OpsEvent
from ventanilla.testing import DAVID, new_case

from .helpers import file_flood

pytestmark = pytest.mark.usefixtures("in_english")


def public_kinds(case):
    return list(case.events.public().values_list("kind", flat=True))


def test_an_urgent_case_from_any_channel_opens_an_alert(ops):
    case = new_case(ops.world, ops.world.flooding)
    alert = Alert.objects.get(case=case)
    assert alert.state == AlertState.NEW
    assert alert.severity == 3
    assert OpsEvent.objects.filter(alert=alert, kind="created").count() == 1


def test_an_ordinary_case_opens_no_alert(ops):
    case = new_case(ops.world, ops.world.water)
    assert not Alert.objects.filter(case=case).exists()


def test_acknowledge_assigns_the_case_and_claims_the_alert(ops):
    alert = file_flood(ops.world, severity=5)
    alert = services.acknowledge(alert, ops.operator, version=alert.version)
    alert.case.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.claim_holder() == ops.operator
    assert alert.case.state == State.ASSIGNED
    assert alert.case.assignee == ops.operator
    assert "assign" in public_kinds(alert.case)


def test_a_second_operator_cannot_acknowledge_a_claimed_alert(ops):
    alert = file_flood(ops.world)
    services.acknowledge(alert, ops.operator)
    with pytest.raises(services.ClaimedByOther, match="oscar"):
        services.acknowledge(alert, ops.operator2)
    with pytest.raises(services.ClaimedByOther):
        services.dispatch(alert, ops.operator2, [ops.bomberos.pk])
    assert not alert.dispatches.exists()


def test_acting_on_a_stale_view_changes_nothing(ops):
    alert = file_flood(ops.world)
    seen = alert.version
    services.set_severity(alert, ops.operator, 4, version=seen)
    with pytest.raises(services.StaleView):
        services.acknowledge(alert, ops.operator, version=seen)
    alert.refresh_from_db()
    assert alert.state == AlertState.NEW


def test_dispatch_starts_the_case_and_agencies_report_their_progress(ops):
    alert = services.acknowledge(file_flood(ops.world), ops.operator)
    alert = services.dispatch(alert, ops.operator, [ops.bomberos.pk, ops.police.pk], note="Dos casas inundadas")
    alert.case.refresh_from_db()
    assert alert.state == AlertState.DISPATCHED
    assert alert.case.state == State.IN_PROGRESS
    assert {d.agency.code: d.state for d in alert.dispatches.all()} == {"BCBRP": "requested", "PN": "requested"}

    services.update_dispatch(alert, ops.bomberos.pk, ops.fire_dispatcher, "depart")
    alert = services.update_dispatch(alert, ops.bomberos.pk, ops.fire_dispatcher, "arrive")
    assert alert.state == AlertState.ON_SCENE
    assert alert.dispatches.get(agency=ops.bomberos).state == DispatchState.ON_SCENE
    messages = " ".join(alert.case.events.values_list("message", flat=True))
    assert "Dos casas inundadas" in messages and "BCBRP" in messages


def test_a_dispatcher_updates_only_their_own_agency(ops):
    from django.core.exceptions import PermissionDenied

    alert = services.dispatch(services.acknowledge(file_flood(ops.world), ops.operator), ops.operator, [ops.bomberos.pk])
    with pytest.raises(PermissionDenied):
        services.update_dispatch(alert, ops.bomberos.pk, ops.police_dispatcher, "depart")
    with pytest.raises(PermissionDenied):
        services.acknowledge(alert, ops.fire_dispatcher)
    assert alert.dispatches.get().state == DispatchState.REQUESTED


def test_dispatch_only_to_responding_agencies_and_only_once(ops):
    alert = services.acknowledge(file_flood(ops.world), ops.operator)
    with pytest.raises(services.OperationError, match="responding agencies"):
        services.dispatch(alert, ops.operator, [ops.world.idaan.pk])
    services.dispatch(alert, ops.operator, [ops.bomberos.pk])
    with pytest.raises(services.OperationError, match="Already dispatched"):
        services.dispatch(alert, ops.operator, [ops.bomberos.pk])
    assert alert.dispatches.count() == 1


def test_resolve_resolves_the_case_with_the_outcome_on_its_public_timeline(ops):
    alert = services.dispatch(services.acknowledge(file_flood(ops.world), ops.operator), ops.operator, [ops.bomberos.pk])
    with pytest.raises(services.OperationError):
        services.resolve(alert, ops.operator, "  ")
    alert = services.resolve(alert, ops.operator, "Agua drenada, sin heridos.")
    alert.case.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert alert.case.state == State.RESOLVED
    assert alert.case.events.public().filter(kind="resolve", message="Agua drenada, sin heridos.").exists()
    assert public_kinds(alert.case) == ["created", "routed", "assign", "resolve"]


def test_a_false_alarm_rejects_the_case(ops):
    alert = file_flood(ops.world)
    with pytest.raises(services.OperationError):
        services.mark_false_alarm(alert, ops.operator, RejectionReason.DUPLICATE)
    alert = services.mark_false_alarm(alert, ops.operator, RejectionReason.SPAM, "Llamada de broma")
    alert.case.refresh_from_db()
    assert alert.state == AlertState.FALSE_ALARM
    assert alert.case.state == State.REJECTED and alert.case.rejection_reason == "spam"


def test_merge_closes_the_alert_as_a_duplicate_of_the_other(ops):
    first = file_flood(ops.world)
    second = file_flood(ops.world)
    with pytest.raises(services.OperationError):
        services.merge(second, ops.operator, second.case.number)
    merged = services.merge(second, ops.operator, first.case.number)
    merged.case.refresh_from_db()
    assert merged.state == AlertState.MERGED and merged.merged_into == first
    assert merged.case.state == State.REJECTED and merged.case.duplicate_of == first.case


def test_the_board_log_numbers_every_step_in_order(ops):
    alert = file_flood(ops.world, point=DAVID)
    services.acknowledge(alert, ops.operator)
    services.dispatch(alert, ops.operator, [ops.police.pk])
    events = list(OpsEvent.objects.filter(alert=alert).order_by("seq"))
    assert [e.kind for e in events] == ["created", "acknowledged", "dispatched"]
    assert [e.seq for e in events] == sorted(e.seq for e in events) and len({e.seq for e in events}) == 3
    assert events[-1].payload["number"] == alert.case.number
    assert events[-1].payload["dispatches"][0]["agency"] == "PN"
    assert "contact" not in events[-1].payload
