"""CAP 1.2 Update and Cancel at /operaciones/cap/: a message from the alert's own sender that references
a message we acted on (`references`: sender,identifier,sent) updates the alert or ends it; anything
else is refused in XML and changes nothing. Every document posted here is first checked against the
OASIS schema, so these are real CAP messages."""

import pytest
from django.test import Client
from lxml import etree

from cases.models import Case, CaseEvent, State
from open311.models import ApiKey
from operations import cap, services
from operations.models import Alert, AlertState, CapMessage, CapSender, CapUrgency, DispatchState, OpsEvent
from ventanilla.testing import DAVID

from .cap_helpers import SENDER, flood_cancel, flood_update, flood_warning, reference
from .test_cap_intake import _certificate_and_key, error_of, sign

URL = "/operaciones/cap/"
# Around Parque Cervantes, David (the Update moves the flood there).
DAVID_CIRCLE = f"<circle>{DAVID[0]},{DAVID[1]} 1.5</circle>"


@pytest.fixture
def sensor_key(db):
    return ApiKey.issue("Red hidrometeorológica", ApiKey.Channel.SENSOR)[1]


def post(client, body: bytes, key: str):
    # Real CAP 1.2: every document the tests send validates against the OASIS schema (or, for the
    # malformed ones, is refused by it — the tests say which).
    return client.post(URL, data=body, content_type="application/cap+xml", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def valid(body: bytes) -> bytes:
    cap.validate(cap.parse(body))
    return body


def answer(response) -> tuple[str, str]:
    root = etree.fromstring(response.content)
    assert root.tag == "response", response.content
    return root.findtext("status"), root.findtext("service_request_id")


def state() -> tuple:
    """Everything an Update or a Cancel may change: refused messages must leave it as it was."""
    return (
        tuple(Alert.objects.order_by("pk").values_list("pk", "state", "severity", "urgency", "version", "outcome")),
        tuple(Case.objects.order_by("pk").values_list("pk", "state", "description", "lat", "lon", "district_id")),
        CaseEvent.objects.count(),
        OpsEvent.objects.count(),
        CapMessage.objects.count(),
    )


@pytest.fixture
def flood(ops, client, sensor_key) -> Alert:
    """The alert of the flood warning SINAPROC-2026-0001 (Severe, Immediate, San Miguelito)."""
    response = post(client, valid(flood_warning()), sensor_key)
    assert response.status_code == 201, response.content
    return Alert.objects.select_related("case").get(case__number=answer(response)[1])


def test_an_update_from_the_sender_changes_severity_urgency_text_and_area(ops, client, sensor_key, flood):
    assert (flood.severity, flood.urgency, flood.case.district.name) == (4, CapUrgency.IMMEDIATE, "San Miguelito")
    entity, version, history = flood.case.entity_id, flood.version, flood.case.history.count()
    body = valid(
        flood_update(
            "SINAPROC-2026-0001.2",
            reference(),
            severity="Extreme",
            urgency="Expected",
            headline="Crecida mayor del río",
            description="El agua sigue subiendo; evacuar la ribera.",
            area=DAVID_CIRCLE,
        )
    )
    response = post(client, body, sensor_key)
    assert response.status_code == 200, response.content
    assert answer(response) == ("updated", flood.case.number)

    flood.refresh_from_db()
    case = Case.objects.get(pk=flood.case_id)
    assert (flood.severity, flood.urgency, flood.state, flood.version) == (5, CapUrgency.EXPECTED, AlertState.NEW, version + 1)
    assert case.description.startswith("Crecida mayor del río\n\nEl agua sigue subiendo")
    assert (case.lat, case.lon, case.district.name) == (DAVID[0], DAVID[1], "David")
    # The entity in charge stays; the earlier description and point stay in the case's history.
    assert case.entity_id == entity
    assert case.history.count() == history + 1
    assert case.history.earliest().description.startswith("Crecida del río Abajo")
    # Recorded on the case's timeline (internal: severity is the board's business) and pushed to the boards.
    note = case.events.get(kind="comment")
    assert not note.public and note.channel == "sensor"
    # Stored in the site's language (Spanish), whatever language the sender asked its answers in.
    assert "Actualización CAP SINAPROC-2026-0001.2 de alertas@sinaproc.gob.pa" in note.message and "severidad 4 → 5" in note.message
    pushed = OpsEvent.objects.filter(alert=flood).latest("seq")
    assert pushed.kind == "cap_update"
    assert (pushed.payload["severity"], pushed.payload["urgency"], pushed.payload["district"]) == (5, "Expected", "David")
    assert list(CapMessage.objects.filter(alert=flood).values_list("identifier", "msg_type")) == [
        ("SINAPROC-2026-0001", "Alert"),
        ("SINAPROC-2026-0001.2", "Update"),
    ]


def test_the_same_update_twice_is_applied_once(ops, client, sensor_key, flood):
    body = valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme"))
    assert answer(post(client, body, sensor_key)) == ("updated", flood.case.number)
    before = state()
    again = post(client, body, sensor_key)
    assert again.status_code == 200
    assert answer(again) == ("duplicate", flood.case.number)
    assert state() == before


def test_a_later_update_may_reference_the_earlier_update(ops, client, sensor_key, flood):
    post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme")), sensor_key)
    chain = " ".join([reference(), reference("SINAPROC-2026-0001.2", sent="2026-06-17T15:30:00-05:00")])
    later = post(client, valid(flood_update("SINAPROC-2026-0001.3", chain, severity="Moderate", sent="2026-06-17T15:45:00-05:00")), sensor_key)
    assert later.status_code == 200, later.content
    flood.refresh_from_db()
    assert flood.severity == 3
    # Sent times are compared as instants: the same moment written in UTC is the same message.
    utc = reference("SINAPROC-2026-0001.3", sent="2026-06-17T20:45:00-00:00")
    assert post(client, valid(flood_update("SINAPROC-2026-0001.4", utc, severity="Minor", sent="2026-06-17T16:00:00-05:00")), sensor_key).status_code == 200
    flood.refresh_from_db()
    assert flood.severity == 2


def test_an_update_without_an_area_keeps_the_point(ops, client, sensor_key, flood):
    point = (flood.case.lat, flood.case.lon)
    response = post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme", area="")), sensor_key)
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=flood.case_id)
    assert (case.lat, case.lon) == point


def test_a_cancel_from_the_sender_ends_the_alert_and_tells_the_public_why(ops, client, sensor_key, flood):
    response = post(client, valid(flood_cancel("SINAPROC-2026-0001.C", reference())), sensor_key)
    assert response.status_code == 200, response.content
    assert answer(response) == ("cancelled", flood.case.number)

    flood.refresh_from_db()
    assert flood.state == AlertState.CANCELLED and flood.closed_at is not None
    assert flood.outcome == "Cancelada por su emisor (alertas@sinaproc.gob.pa): El río volvió a su cauce."
    case = Case.objects.get(pk=flood.case_id)
    assert case.state == State.RESOLVED
    # The citizen-facing record says what happened: resolved, with the sender's reason, on the public timeline.
    resolved = case.events.public().get(kind="resolve")
    assert resolved.channel == "sensor" and "El río volvió a su cauce." in resolved.message
    page = Client().get(f"/seguimiento/caso/{case.number}/")
    assert page.status_code == 200 and "El río volvió a su cauce." in page.content.decode()
    # Off every board, pushed like any other change.
    assert OpsEvent.objects.filter(alert=flood).latest("seq").kind == "cancelled"
    assert not Alert.objects.open().exists()


def test_a_cancel_ends_an_alert_already_being_worked(ops, client, sensor_key, flood):
    services.acknowledge(flood, ops.operator)
    services.dispatch(flood, ops.operator, [ops.bomberos.pk], note="Dos unidades")
    response = post(client, valid(flood_cancel("SINAPROC-2026-0001.C", reference(), note=None)), sensor_key)
    assert response.status_code == 200, response.content
    flood.refresh_from_db()
    assert flood.state == AlertState.CANCELLED
    assert flood.outcome == "Cancelada por su emisor (alertas@sinaproc.gob.pa): sin motivo indicado"
    assert Case.objects.get(pk=flood.case_id).state == State.RESOLVED
    # The dispatched agency's board hears it too.
    assert flood.dispatches.get().state == DispatchState.REQUESTED
    assert OpsEvent.objects.filter(alert=flood, kind="cancelled").exists()


def test_a_cancel_twice_is_one_cancel_and_a_closed_alert_takes_no_more(ops, client, sensor_key, flood):
    cancel = valid(flood_cancel("SINAPROC-2026-0001.C", reference()))
    post(client, cancel, sensor_key)
    before = state()
    assert answer(post(client, cancel, sensor_key)) == ("duplicate", flood.case.number)
    another = post(client, valid(flood_cancel("SINAPROC-2026-0001.C2", reference())), sensor_key)
    assert another.status_code == 409
    assert "already closed (cancelled by its sender)" in error_of(another)
    update = post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme")), sensor_key)
    assert update.status_code == 409 and "already closed" in error_of(update)
    assert state() == before


def test_an_update_of_an_alert_operators_resolved_is_refused(ops, client, sensor_key, flood):
    services.acknowledge(flood, ops.operator)
    services.resolve(flood, ops.operator, "Agua drenada.")
    before = state()
    response = post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme")), sensor_key)
    assert response.status_code == 409
    assert "already closed (resolved)" in error_of(response)
    assert state() == before


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_a_message_from_another_sender_changes_nothing(ops, client, sensor_key, flood, msg_type):
    other = "otra@estacion.pa"
    if msg_type == "Update":
        body = flood_update("OTRA-1", reference(), sender=other, severity="Extreme")
    else:
        body = flood_cancel("OTRA-1", reference(), sender=other)
    before = state()
    response = post(client, valid(body), sensor_key)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/xml")
    assert "otra@estacion.pa may update or cancel only its own messages" in error_of(response)
    assert state() == before


@pytest.mark.parametrize(
    "references, status, reason",
    [
        # Never received (the same sender, another identifier).
        (reference("SINAPROC-2026-0999"), 422, "No earlier message alertas@sinaproc.gob.pa,SINAPROC-2026-0999"),
        # The identifier we hold, but another message: its sent time differs.
        (reference(sent="2026-06-17T10:00:00-05:00"), 422, "No earlier message"),
        # One known message and one unknown: all must be known.
        (f"{reference()} {reference('SINAPROC-2026-0999')}", 422, "No earlier message"),
        ("SINAPROC-2026-0001", 422, "sender,identifier,sent"),
        (f"{SENDER},SINAPROC-2026-0001,ayer", 422, "sender,identifier,sent"),
        (f"{SENDER},SINAPROC-2026-0001,2026-06-17T14:57:00", 422, "sender,identifier,sent"),
        ("", 422, "must name the messages it is about"),
    ],
)
@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_a_reference_to_an_unknown_message_changes_nothing(ops, client, sensor_key, flood, msg_type, references, status, reason):
    body = flood_update("SINAPROC-2026-0001.9", references) if msg_type == "Update" else flood_cancel("SINAPROC-2026-0001.9", references)
    before = state()
    response = post(client, valid(body), sensor_key)
    assert response.status_code == status, response.content
    assert reason in error_of(response)
    assert state() == before


def test_a_reference_to_a_json_sensor_reading_is_unknown_here(ops, client, sensor_key):
    """The JSON webhook's readings are not CAP messages: no CAP Update or Cancel can touch them."""
    key = ApiKey.objects.get()
    reading = client.post(
        "/operaciones/sensores/",
        {"id": "R-1", "event": "river_level_high", "lat": 9.043, "lon": -79.507},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {sensor_key}",
    )
    assert reading.status_code == 201
    sender = f"sensor-key:{key.pk}"
    before = state()
    response = post(client, valid(flood_cancel("X-1", reference("R-1", sender=sender), sender=sender)), sensor_key)
    assert response.status_code == 422 and "No earlier message" in error_of(response)
    assert state() == before


def test_references_to_two_alerts_are_refused(ops, client, sensor_key, flood):
    post(client, valid(flood_warning("SINAPROC-2026-0002")), sensor_key)
    both = f"{reference()} {reference('SINAPROC-2026-0002')}"
    before = state()
    response = post(client, valid(flood_cancel("SINAPROC-C", both)), sensor_key)
    assert response.status_code == 422 and "several alerts" in error_of(response)
    assert state() == before


def test_an_update_cannot_turn_an_actual_alert_into_an_exercise(ops, client, sensor_key, flood):
    before = state()
    response = post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), status="Exercise")), sensor_key)
    assert response.status_code == 422 and "cannot change it" in error_of(response)
    assert state() == before


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"area": "<circle>4.7110,-74.0721 1</circle>"}, "outside the territory"),
        ({"area": "<circle>nine,ten 1</circle>"}, "coordinates cannot be read"),
    ],
)
def test_an_update_to_a_bad_area_changes_nothing(ops, client, sensor_key, flood, fields, reason):
    before = state()
    response = post(client, valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme", **fields)), sensor_key)
    assert response.status_code == 422 and reason in error_of(response)
    assert state() == before


def test_an_update_without_an_info_block_is_refused(ops, client, sensor_key, flood):
    body = valid(flood_cancel("SINAPROC-2026-0001.2", reference()).replace(b"<msgType>Cancel</msgType>", b"<msgType>Update</msgType>"))
    before = state()
    response = post(client, body, sensor_key)
    assert response.status_code == 422 and "new info block" in error_of(response)
    assert state() == before


@pytest.mark.parametrize("msg_type", ["Ack", "Error"])
def test_ack_and_error_messages_are_not_acted_on(ops, client, sensor_key, flood, msg_type):
    body = valid(flood_cancel("SINAPROC-2026-0001.A", reference()).replace(b"<msgType>Cancel</msgType>", f"<msgType>{msg_type}</msgType>".encode()))
    before = state()
    response = post(client, body, sensor_key)
    assert response.status_code == 422 and f"msgType {msg_type} is not acted on" in error_of(response)
    assert state() == before


def test_a_signed_senders_updates_and_cancels_must_be_signed_too(ops, client, sensor_key):
    cert, key = _certificate_and_key()
    CapSender.objects.create(sender=SENDER, certificate=cert.decode())
    assert post(client, sign(valid(flood_warning()), cert, key), sensor_key).status_code == 201
    before = state()
    unsigned = post(client, valid(flood_cancel("SINAPROC-2026-0001.C", reference())), sensor_key)
    assert unsigned.status_code == 403 and "must be signed" in error_of(unsigned)
    assert state() == before
    signed = post(client, sign(valid(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme")), cert, key), sensor_key)
    assert signed.status_code == 200, signed.content
    assert Alert.objects.get().severity == 5


def test_the_oasis_update_example_validates_and_its_references_are_read(ops):
    root = cap.parse((cap.SCHEMA_PATH.parent.parent / "tests/cap_examples/oasis_earthquake.xml").read_bytes())
    cap.validate(root)
    info = cap.read(root)
    [ref] = cap.parse_references(info.references)
    assert (ref.sender, ref.identifier, ref.sent.isoformat()) == ("trinet@caltech.edu", "TRI13970876.1", "2003-06-11T20:30:00-07:00")


def test_alerts_filed_before_messages_were_recorded_can_be_cancelled(ops, client, sensor_key, flood):
    """The migration records the Alert message of earlier CAP alerts (without a sent time, not kept then):
    a Cancel referencing them works, whatever sent time it names."""
    import importlib

    from django.apps import apps

    CapMessage.objects.all().delete()
    importlib.import_module("operations.migrations.0002_cap_update_cancel").record_earlier_cap_alerts(apps, None)
    assert list(CapMessage.objects.values_list("sender", "identifier", "msg_type", "sent")) == [(SENDER, "SINAPROC-2026-0001", "Alert", None)]
    response = post(client, valid(flood_cancel("SINAPROC-2026-0001.C", reference(sent="2026-06-17T09:00:00-05:00"))), sensor_key)
    assert response.status_code == 200, response.content
    assert Alert.objects.get().state == AlertState.CANCELLED


@pytest.mark.parametrize("msg_type", ["Update", "Cancel"])
def test_another_sensor_key_cannot_update_or_cancel_an_alert_it_did_not_send(ops, client, sensor_key, flood, msg_type):
    """<sender> is only what a message says of itself: a second sensor key that writes SINAPROC's address
    in it must not be able to end or rewrite SINAPROC's alert."""
    other_key = ApiKey.issue("Estación de otra red", ApiKey.Channel.SENSOR)[1]
    before = state()
    body = flood_update("SINAPROC-2026-0001.X", reference(), severity="Minor") if msg_type == "Update" else flood_cancel("SINAPROC-2026-0001.X", reference())
    response = post(client, valid(body), other_key)
    assert response.status_code == 403
    assert "Only the key that sent SINAPROC-2026-0001 may update or cancel it." in error_of(response)
    assert state() == before
    # The key that sent it still may.
    assert post(client, valid(body), sensor_key).status_code == 200
