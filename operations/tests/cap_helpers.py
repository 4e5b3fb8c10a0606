"""CAP messages for the tests, shaped like the OASIS examples but placed in Panama."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "cap_examples"
OASIS_EXAMPLES = ["oasis_hsas.xml", "oasis_thunderstorm.xml", "oasis_earthquake.xml", "oasis_amber.xml"]

SENDER = "alertas@sinaproc.gob.pa"
SENT = "2026-06-17T14:57:00-05:00"

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
    sent: str = SENT,
    references: str | None = None,
    note: str | None = None,
    urgency: str = "Immediate",
    headline: str = "Crecida del río Abajo",
    description: str = "El nivel del río superó la cota de alerta.",
) -> bytes:
    return envelope(identifier, sender, sent, status, msg_type, note, references, f"""<info>
    <language>es-PA</language>
    <category>Met</category>
    <event>Inundación</event>
    <responseType>Evacuate</responseType>
    <urgency>{urgency}</urgency>
    <severity>{severity}</severity>
    <certainty>Observed</certainty>
    <eventCode><valueName>{event_code[0]}</valueName><value>{event_code[1]}</value></eventCode>
    <senderName>Estación hidrológica Río Abajo</senderName>
    <headline>{headline}</headline>
    <description>{description}</description>
    <area>
      <areaDesc>San Miguelito</areaDesc>
      {area}
    </area>
  </info>""")


def envelope(identifier: str, sender: str, sent: str, status: str, msg_type: str, note: str | None,
             references: str | None, body: str = "") -> bytes:
    """A CAP 1.2 alert element: the header fields in the schema's order, then the body (its info block)."""
    header = (f"<note>{note}</note>" if note is not None else "") + (
        f"<references>{references}</references>" if references is not None else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>
  {header}
  {body}
</alert>""".encode()


def reference(identifier: str = "SINAPROC-2026-0001", sender: str = SENDER, sent: str = SENT) -> str:
    """One CAP 1.2 extended message identifier (sender,identifier,sent)."""
    return f"{sender},{identifier},{sent}"


def flood_update(identifier: str, references: str, **fields) -> bytes:
    """A CAP Update of the flood warning (by default of the first one): a full info block, as CAP wants."""
    fields.setdefault("sent", "2026-06-17T15:30:00-05:00")
    return flood_warning(identifier, msg_type="Update", references=references, **fields)


def flood_cancel(
    identifier: str,
    references: str,
    sender: str = SENDER,
    note: str | None = "El río volvió a su cauce.",
    status: str = "Actual",
    sent: str = "2026-06-17T16:00:00-05:00",
) -> bytes:
    """A CAP Cancel with no info block (CAP allows it: the references and a note say it all)."""
    return envelope(identifier, sender, sent, status, "Cancel", note, references)
