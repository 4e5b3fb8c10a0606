"""CAP messages for the tests, shaped like the OASIS examples but placed in Panama."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "cap_examples"
OASIS_EXAMPLES = ["oasis_hsas.xml", "oasis_thunderstorm.xml", "oasis_earthquake.xml", "oasis_amber.xml"]

# Around the centre of San Miguelito (lat,lon pairs, closed ring as CAP wants).
SAN_MIGUELITO_POLYGON = "9.035,-79.515 9.035,-79.500 9.050,-79.500 9.050,-79.515 9.035,-79.515"


def flood_warning(
    identifier: str = "SINAPROC-2026-0001",
    sender: str = "alertas@sinaproc.gob.pa",
    status: str = "Actual",
    area: str = f"<polygon>{SAN_MIGUELITO_POLYGON}</polygon>",
    event_code: tuple[str, str] = ("SAME", "FLW"),
    severity: str = "Severe",
    msg_type: str = "Alert",
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>2026-06-17T14:57:00-05:00</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>
  <info>
    <language>es-PA</language>
    <category>Met</category>
    <event>Inundación</event>
    <responseType>Evacuate</responseType>
    <urgency>Immediate</urgency>
    <severity>{severity}</severity>
    <certainty>Observed</certainty>
    <eventCode><valueName>{event_code[0]}</valueName><value>{event_code[1]}</value></eventCode>
    <senderName>Estación hidrológica Río Abajo</senderName>
    <headline>Crecida del río Abajo</headline>
    <description>El nivel del río superó la cota de alerta.</description>
    <area>
      <areaDesc>San Miguelito</areaDesc>
      {area}
    </area>
  </info>
</alert>""".encode()
