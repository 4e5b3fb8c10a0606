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
