"""UTF-8 everywhere, XML that always parses, text that XML 1.0 cannot carry dropped rather than broken."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from open311.tests.helpers import API, close_case
from ventanilla.testing import new_case


def test_text_with_forbidden_control_characters_still_gives_well_formed_xml(client, world):
    case = new_case(world)
    close_case(world, case, "Reparado\x0b en <la> esquina & listo\x1f 💧\ufffe")
    response = client.get(f"{API}/requests/{case.number}.xml")
    notes = ET.fromstring(response.content).findtext("request/status_notes")
    assert notes == "Reparado en <la> esquina & listo 💧"
    as_json = json.loads(client.get(f"{API}/requests/{case.number}.json").content)
    assert as_json[0]["status_notes"] == "Reparado\x0b en <la> esquina & listo\x1f 💧\ufffe"


def test_answers_are_utf8_with_the_declared_charset(client, world):
    new_case(world, description="Señora Muñoz: el caño está roto en Curundú.")
    xml = client.get(f"{API}/requests.xml")
    assert xml["Content-Type"] == "text/xml; charset=utf-8"
    assert "Señora Muñoz: el caño está roto en Curundú.".encode("utf-8") in xml.content
    as_json = client.get(f"{API}/requests.json")
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert "Curundú".encode("utf-8") in as_json.content
