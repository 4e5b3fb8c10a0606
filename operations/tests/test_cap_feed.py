"""The public CAP feed: an Atom feed of the alerts operators published; each entry is a CAP 1.2 message
that validates against the OASIS schema and says nothing personal."""

from lxml import etree

from operations import cap, services

from .helpers import file_flood

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    response = client.get("/operaciones/cap/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    return feed.findall(f"{ATOM}entry")


def test_only_published_alerts_are_in_the_feed_and_each_entry_is_valid_cap(ops, client):
    published = file_flood(ops.world, severity=4)
    drill = file_flood(ops.world, severity=2, exercise=True)
    file_flood(ops.world)  # not published
    services.publish_to_feed(published, ops.operator, "Crecida del río: evite la zona de Samaria.")
    services.publish_to_feed(drill, ops.operator, "Simulacro de evacuación.")

    found = entries(client)
    assert len(found) == 2
    messages = {}
    for entry in found:
        alert = entry.find(f"{ATOM}content")[0]
        cap.validate(alert)
        info = cap.read(alert)
        messages[info.identifier] = info
    by_number = {identifier.rsplit(".", 1)[-1]: info for identifier, info in messages.items()}
    real = by_number[published.case.number]
    assert real.status == "Actual" and real.severity == "Severe"
    assert real.description == "Crecida del río: evite la zona de Samaria."
    assert by_number[drill.case.number].status == "Exercise"
    body = client.get("/operaciones/cap/feed.atom").content.decode()
    # The citizen's own words and exact point stay out.
    assert "el agua entra a las casas" not in body
    assert "9.043" not in body and "9.04," in body


def test_each_published_alert_has_its_own_cap_document(ops, client):
    alert = file_flood(ops.world)
    assert client.get(f"/operaciones/cap/{alert.case.number}.xml").status_code == 404
    services.publish_to_feed(alert, ops.operator, "Atención: inundación.")
    response = client.get(f"/operaciones/cap/{alert.case.number}.xml")
    assert response["Content-Type"].startswith("application/cap+xml")
    cap.validate(etree.fromstring(response.content))


def test_an_empty_feed_is_still_a_valid_feed(ops, client):
    assert entries(client) == []


def entry_for(client, number: str):
    """The CAP message of one alert's feed entry, checked against the OASIS schema."""
    for entry in entries(client):
        if entry.findtext(f"{ATOM}id").endswith(f".{number}"):
            message = entry.find(f"{ATOM}content")[0]
            cap.validate(message)
            return entry, message
    raise AssertionError(f"{number} is not in the feed")


CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_an_alert_ended_after_publication_becomes_a_cancel_that_references_the_published_alert(ops, client):
    from cases.models import RejectionReason

    alert = file_flood(ops.world, severity=4)
    services.publish_to_feed(alert, ops.operator, "Crecida del río: evite la zona.")
    _, published = entry_for(client, alert.case.number)
    assert published.findtext(f"{CAP}msgType") == "Alert"
    first = (published.findtext(f"{CAP}sender"), published.findtext(f"{CAP}identifier"), published.findtext(f"{CAP}sent"))

    services.acknowledge(alert, ops.operator)
    services.mark_false_alarm(alert, ops.operator, RejectionReason.SPAM, "Llamada de broma")

    entry, message = entry_for(client, alert.case.number)
    # A subscriber that stored the Alert learns that it is withdrawn, and which message it withdraws.
    assert message.findtext(f"{CAP}msgType") == "Cancel"
    assert message.findtext(f"{CAP}references") == ",".join(first)
    assert message.findtext(f"{CAP}identifier") != first[1]
    assert message.findtext(f"{CAP}sent") >= first[2]
    assert message.findtext(f"{CAP}note") == "Falsa alarma: no hay incidente."
    assert message.findtext(f"{CAP}info/{CAP}urgency") == "Past"
    assert entry.findtext(f"{ATOM}updated") == message.findtext(f"{CAP}sent")
    # The reporter's words stay out of the note as of everything else.
    assert "broma" not in client.get("/operaciones/cap/feed.atom").content.decode()
    info = cap.read(message)
    assert cap.parse_references(info.references)[0].identifier == first[1]


def test_a_resolved_alert_becomes_an_all_clear_update(ops, client):
    alert = file_flood(ops.world, severity=3)
    services.publish_to_feed(alert, ops.operator, "Inundación en San Miguelito.")
    services.acknowledge(alert, ops.operator)
    services.resolve(alert, ops.operator, "Agua drenada.")

    _, message = entry_for(client, alert.case.number)
    assert message.findtext(f"{CAP}msgType") == "Update"
    assert message.findtext(f"{CAP}info/{CAP}responseType") == "AllClear"
    assert message.findtext(f"{CAP}references").split(",")[1] == f"{message.findtext(f'{CAP}sender')}.{alert.case.number}"
    # The alert's own document says the same as its entry.
    document = etree.fromstring(client.get(f"/operaciones/cap/{alert.case.number}.xml").content)
    assert document.findtext(f"{CAP}msgType") == "Update"


def test_a_merged_alert_is_cancelled_in_favour_of_the_alert_that_goes_on(ops, client):
    first = file_flood(ops.world)
    second = file_flood(ops.world)
    services.publish_to_feed(second, ops.operator, "Inundación.")
    services.acknowledge(second, ops.operator)
    services.merge(second, ops.operator, first.case.number)

    _, message = entry_for(client, second.case.number)
    assert message.findtext(f"{CAP}msgType") == "Cancel"
    assert first.case.number in message.findtext(f"{CAP}note")


def test_an_alert_published_after_it_ended_is_a_past_alert(ops, client):
    alert = file_flood(ops.world)
    services.acknowledge(alert, ops.operator)
    services.resolve(alert, ops.operator, "Agua drenada.")
    services.publish_to_feed(alert, ops.operator, "Hubo una inundación; ya pasó.")

    _, message = entry_for(client, alert.case.number)
    assert message.findtext(f"{CAP}msgType") == "Alert"
    assert message.findtext(f"{CAP}info/{CAP}urgency") == "Past"
