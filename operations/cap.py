"""CAP 1.2 (OASIS Common Alerting Protocol) intake: parse safely, validate against the OASIS schema
shipped in `schemas/CAP-v1.2.xsd`, verify the signature where the sender's certificate is configured,
map the message to a category by the jurisdiction's rules (a data file), place it, and file it once.

An Alert message opens an alert. An Update or a Cancel names the earlier messages it is about in
`references` (CAP 1.2 §3.2.1: space-separated `sender,identifier,sent` triples); each must be a message
we acted on, from the same sender, and all of one alert. An Update then changes that alert's severity,
urgency, description and area; a Cancel ends it (`operations.services.update_from_cap`,
`cancel_from_cap`). Any message seen twice (same sender and identifier) is answered as a duplicate.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from shapely.geometry import Polygon

from cases.models import Channel
from cases.services import Actor
from cases.validation import NewCase
from entities import geo
from entities.models import District

from . import services
from .models import Alert, AlertSource, CapSender, CapUrgency
from .services import AlertDetails, file_alert_once

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"cap": CAP_NS, "ds": DS_NS}
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "CAP-v1.2.xsd"

_lock = threading.Lock()
_schema = None
_rules: tuple[float, dict] | None = None


class CapError(Exception):
    """The message is refused; nothing was stored. `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def schema():
    global _schema
    if _schema is None:
        import xmlschema

        with _lock:
            if _schema is None:
                _schema = xmlschema.XMLSchema(str(SCHEMA_PATH))
    return _schema


def rules() -> dict[str, Any]:
    """The mapping rules, re-read when the file changes (an administrator may edit it at any time)."""
    global _rules
    path = Path(settings.OPERATIONS_CAP_RULES_FILE)
    mtime = path.stat().st_mtime
    if _rules is None or _rules[0] != mtime:
        _rules = (mtime, json.loads(path.read_text(encoding="utf-8")))
    return _rules[1]


def parse(data: bytes) -> etree._Element:
    """Parse without entities, DTDs or network access (no XML bombs, no external lookups)."""
    if len(data) > settings.OPERATIONS_CAP_MAX_BYTES:
        raise CapError(413, _("The CAP message is too large."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise CapError(400, _("The body is not well-formed XML: %(error)s") % {"error": error}) from error
    if root is None:
        raise CapError(400, _("The body is empty."))
    return root


def validate(root: etree._Element) -> None:
    if root.tag != f"{{{CAP_NS}}}alert":
        raise CapError(422, _("This is not a CAP 1.2 alert: the root element must be alert in namespace %(ns)s.") % {"ns": CAP_NS})
    errors = list(schema().iter_errors(root))
    if errors:
        first = errors[0]
        where = getattr(first, "path", "") or ""
        raise CapError(
            422,
            _("The message does not follow the CAP 1.2 schema (%(count)d problems); first, at %(where)s: %(reason)s")
            % {"count": len(errors), "where": where, "reason": first.reason or first.message},
        )


def verify_signature(data: bytes, root: etree._Element, sender: str) -> etree._Element:
    """Where the sender has a certificate, the message must be signed with it; returns what was signed."""
    configured = CapSender.objects.filter(sender=sender).first()
    if configured is None:
        return root
    if root.find("ds:Signature", NS) is None:
        raise CapError(403, _("Messages from %(sender)s must be signed.") % {"sender": sender})
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidInput, InvalidSignature

    try:
        result = XMLVerifier().verify(data, x509_cert=configured.certificate)
    except (InvalidSignature, InvalidInput, ValueError) as error:
        raise CapError(403, _("The message's signature is not valid for %(sender)s.") % {"sender": sender}) from error
    # Read only what the signature covers (no signature-wrapping tricks).
    return result.signed_xml


@dataclass
class CapInfo:
    """The message's header and its info block in the jurisdiction's language (`has_info` False when the
    message has none, which CAP allows: a Cancel often carries only its references and a note)."""

    identifier: str
    sender: str
    status: str
    msg_type: str
    references: str
    language: str
    categories: list[str]
    event: str
    event_codes: list[tuple[str, str]]
    severity: str
    headline: str
    description: str
    circles: list[str] = field(default_factory=list)
    polygons: list[str] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)
    area_desc: str = ""
    sent: str = ""
    note: str = ""
    urgency: str = ""
    has_info: bool = True

    @property
    def has_area(self) -> bool:
        return bool(self.circles or self.polygons or self.geocodes)


def _text(element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def read(root: etree._Element, *, require_info: bool = True) -> CapInfo:
    infos = root.findall("cap:info", NS)
    header = dict(
        identifier=_text(root, "cap:identifier"),
        sender=_text(root, "cap:sender"),
        sent=_text(root, "cap:sent"),
        status=_text(root, "cap:status"),
        msg_type=_text(root, "cap:msgType"),
        references=_text(root, "cap:references"),
        note=_text(root, "cap:note"),
    )
    if not infos:
        if require_info:
            raise CapError(422, _("The message has no info block, so there is nothing to act on."))
        empty = dict(language="", categories=[], event="", event_codes=[], severity="", headline="", description="")
        return CapInfo(**header, **empty, has_info=False)
    # The jurisdiction's language first (CAP messages often carry one info per language).
    lang = settings.LANGUAGE_CODE[:2]
    info = next((i for i in infos if _text(i, "cap:language").lower().startswith(lang)), infos[0])
    areas = info.findall("cap:area", NS)
    pairs = lambda parent, tag: [(_text(e, "cap:valueName"), _text(e, "cap:value")) for e in parent.findall(tag, NS)]  # noqa: E731
    return CapInfo(
        **header,
        urgency=_text(info, "cap:urgency"),
        language=_text(info, "cap:language") or "en-US",
        categories=[(c.text or "").strip() for c in info.findall("cap:category", NS)],
        event=_text(info, "cap:event"),
        event_codes=pairs(info, "cap:eventCode"),
        severity=_text(info, "cap:severity"),
        headline=_text(info, "cap:headline"),
        description=_text(info, "cap:description"),
        circles=[(c.text or "").strip() for a in areas for c in a.findall("cap:circle", NS)],
        polygons=[(p.text or "").strip() for a in areas for p in a.findall("cap:polygon", NS)],
        geocodes=[pair for a in areas for pair in pairs(a, "cap:geocode")],
        area_desc="; ".join(_text(a, "cap:areaDesc") for a in areas),
    )


def category_for(info: CapInfo) -> str:
    for rule in rules().get("rules", []):
        if _matches(rule, info):
            return rule["category"]
    codes = ", ".join(f"{name}={value}" for name, value in info.event_codes) or _("none")
    raise CapError(
        422,
        _("No rule maps this event to a category (event %(event)s, event codes %(codes)s).") % {"event": info.event, "codes": codes},
    )


def _matches(rule: dict[str, Any], info: CapInfo) -> bool:
    if "event_code" in rule and (rule["event_code"]["valueName"], rule["event_code"]["value"]) not in info.event_codes:
        return False
    if "cap_category" in rule and rule["cap_category"] not in info.categories:
        return False
    if "event_contains" in rule and rule["event_contains"].lower() not in info.event.lower():
        return False
    if "area_geocode" in rule and (rule["area_geocode"]["valueName"], rule["area_geocode"]["value"]) not in info.geocodes:
        return False
    return True


def point_for(info: CapInfo) -> tuple[float, float]:
    """The centre of the first circle, else the centroid of the first polygon, else the district of a
    configured geocode. Raises CapError when the message cannot be placed."""
    try:
        if info.circles:
            centre = info.circles[0].split()[0]
            lat, lon = (float(part) for part in centre.split(","))
            return lat, lon
        if info.polygons:
            points = [tuple(float(part) for part in pair.split(",")) for pair in info.polygons[0].split()]
            centroid = Polygon([(lon, lat) for lat, lon in points]).centroid
            return centroid.y, centroid.x
    except ValueError as error:
        raise CapError(422, _("The area's coordinates cannot be read.")) from error
    known = {(g["valueName"], g["value"]): g["district"] for g in rules().get("geocodes", [])}
    for pair in info.geocodes:
        if pair in known:
            district = District.objects.filter(name=known[pair]).first()
            if district is not None:
                from shapely.geometry import shape

                point = shape(district.geometry).representative_point()
                return point.y, point.x
    raise CapError(422, _("The area has no circle, polygon or known geocode, so the alert cannot be placed."))


def severity_for(info: CapInfo) -> int:
    return int(rules().get("severity", {}).get(info.severity, settings.OPERATIONS_DEFAULT_SEVERITY))


@dataclass
class Intake:
    alert: Alert
    created: bool
    # What the message did: created, duplicate (seen before: nothing done), updated or cancelled.
    status: str = ""

    def __post_init__(self) -> None:
        self.status = self.status or ("created" if self.created else "duplicate")


ACTED_ON = ("Alert", "Update", "Cancel")


def ingest(data: bytes, api_key=None) -> Intake:
    """Validate and act on one CAP message that came with `api_key` (the sensor key). Raises CapError
    with a message for the sender."""
    root = parse(data)
    validate(root)
    sender = _text(root, "cap:sender")
    root = verify_signature(data, root, sender)
    info = read(root, require_info=False)
    if info.status not in ("Actual", "Exercise"):
        raise CapError(422, _("CAP status %(status)s is not acted on: only Actual and Exercise messages become alerts.") % {"status": info.status})
    if info.msg_type not in ACTED_ON:
        raise CapError(
            422, _("CAP msgType %(type)s is not acted on here: only Alert, Update and Cancel messages are.") % {"type": info.msg_type}
        )
    seen = services.find_cap_message(info.sender[:255], info.identifier[:255])
    if seen is not None:
        return Intake(seen.alert, created=False)
    if info.msg_type == "Alert":
        return _open(info, api_key)
    alert = referenced_alert(info, api_key)
    if alert.exercise != (info.status == "Exercise"):
        raise CapError(
            422,
            _("Alert %(number)s is %(kind)s; a message with status %(status)s cannot change it.")
            % {"number": alert.case.number, "kind": _("an exercise") if alert.exercise else _("not an exercise"), "status": info.status},
        )
    change = services.CapChange(
        sender=info.sender[:255], identifier=info.identifier[:255], sent=_sent(info.sent), api_key=api_key
    )
    try:
        if info.msg_type == "Update":
            alert, applied = services.update_from_cap(alert, _update_of(info, change))
            return Intake(alert, created=False, status="updated" if applied else "duplicate")
        change.note = info.note or "\n\n".join(part for part in (info.headline, info.description) if part)
        alert, applied = services.cancel_from_cap(alert, change)
        return Intake(alert, created=False, status="cancelled" if applied else "duplicate")
    except services.OperationError as error:
        raise CapError(409, str(error)) from error
    except ValidationError as error:
        raise CapError(422, "; ".join(error.messages)) from error


def _sent(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _text_of(info: CapInfo) -> str:
    text = "\n\n".join(part for part in (info.headline, info.description, info.area_desc) if part) or info.event
    return text[: settings.CASE_DESCRIPTION_MAX_LENGTH]


def _place(info: CapInfo) -> tuple[float, float]:
    lat, lon = point_for(info)
    try:
        geo.locate(lat, lon)
    except geo.OutsideJurisdiction as error:
        raise CapError(422, _("The alert's area (%(lat).4f, %(lon).4f) is outside the territory this service covers.") % {"lat": lat, "lon": lon}) from error
    return lat, lon


def _urgency(info: CapInfo) -> str:
    return info.urgency if info.urgency in CapUrgency.values else ""


def _open(info: CapInfo, api_key=None) -> Intake:
    if not info.has_info:
        raise CapError(422, _("The message has no info block, so there is nothing to act on."))
    lat, lon = _place(info)
    new_case = NewCase(
        category_code=category_for(info),
        description=_text_of(info),
        channel=Channel.SENSOR,
        lat=lat,
        lon=lon,
        language=info.language[:2].lower(),
    )
    details = AlertDetails(
        severity=severity_for(info),
        exercise=info.status == "Exercise",
        source=AlertSource.CAP,
        cap_sender=info.sender[:255],
        cap_identifier=info.identifier[:255],
        cap_sent=_sent(info.sent),
        cap_api_key=api_key,
        urgency=_urgency(info),
    )
    try:
        alert, created = file_alert_once(new_case, details, actor=Actor(channel=Channel.SENSOR))
    except ValidationError as error:
        raise CapError(422, "; ".join(error.messages)) from error
    return Intake(alert, created)


def _update_of(info: CapInfo, change: "services.CapChange") -> "services.CapChange":
    """What an Update changes: its info block's severity, urgency and text, and its area when it has one
    that can be placed (an Update without an area leaves the point where it was)."""
    if not info.has_info:
        raise CapError(422, _("An Update carries the alert's new info block; this one has none."))
    change.severity = severity_for(info)
    change.urgency = _urgency(info)
    change.description = _text_of(info)
    if info.has_area:
        change.lat, change.lon = _place(info)
    return change


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: datetime

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier},{self.sent.isoformat()}"


def parse_references(text: str) -> list[Reference]:
    """CAP 1.2 `references`: whitespace-separated `sender,identifier,sent` (sender and identifier carry no
    commas or spaces; sent is a CAP date-time with its offset)."""
    found = []
    for item in text.split():
        parts = item.split(",")
        sent = _sent(parts[2]) if len(parts) == 3 else None
        if len(parts) != 3 or not parts[0] or not parts[1] or sent is None or sent.tzinfo is None:
            raise CapError(
                422,
                _("The references element must list earlier messages as sender,identifier,sent separated by spaces; %(item)s is not one.")
                % {"item": item[:300]},
            )
        found.append(Reference(parts[0], parts[1], sent))
    return found


def referenced_alert(info: CapInfo, api_key=None) -> Alert:
    """The one alert an Update or a Cancel is about. Every reference must be a message of the same sender
    that we acted on (with the same sent time, when we know it), that came with the same sensor key
    (when we know it), and all of the same alert."""
    references = parse_references(info.references)
    if not references:
        raise CapError(
            422,
            _("A CAP %(type)s must name the messages it is about in references (sender,identifier,sent).") % {"type": info.msg_type},
        )
    alerts: dict[int, Alert] = {}
    for reference in references:
        if reference.sender != info.sender:
            raise CapError(
                403,
                _("%(sender)s may update or cancel only its own messages; %(reference)s was sent by %(other)s.")
                % {"sender": info.sender, "reference": reference.identifier, "other": reference.sender},
            )
        message = services.find_cap_message(reference.sender[:255], reference.identifier[:255])
        if message is None or (message.sent is not None and message.sent != reference.sent):
            raise CapError(
                422,
                _("No earlier message %(reference)s is known here, so this %(type)s changes nothing.")
                % {"reference": str(reference)[:600], "type": info.msg_type},
            )
        if message.api_key_id is not None and (api_key is None or message.api_key_id != api_key.pk):
            raise CapError(
                403,
                _("Only the key that sent %(reference)s may update or cancel it.") % {"reference": reference.identifier},
            )
        alerts[message.alert_id] = message.alert
    if len(alerts) > 1:
        numbers = ", ".join(sorted(alert.case.number for alert in alerts.values()))
        raise CapError(
            422,
            _("The references name messages of several alerts (%(numbers)s); send one %(type)s per alert.")
            % {"numbers": numbers, "type": info.msg_type},
        )
    return next(iter(alerts.values()))
