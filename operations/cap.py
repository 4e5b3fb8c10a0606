"""CAP 1.2 (OASIS Common Alerting Protocol) intake: parse safely, validate against the OASIS schema
shipped in `schemas/CAP-v1.2.xsd`, verify the signature where the sender's certificate is configured,
map the message to a category by the jurisdiction's rules (a data file), place it, and file it once.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
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

from .models import Alert, AlertSource, CapSender
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


def _text(element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None and found.text else ""


def read(root: etree._Element) -> CapInfo:
    infos = root.findall("cap:info", NS)
    if not infos:
        raise CapError(422, _("The message has no info block, so there is nothing to act on."))
    # The jurisdiction's language first (CAP messages often carry one info per language).
    lang = settings.LANGUAGE_CODE[:2]
    info = next((i for i in infos if _text(i, "cap:language").lower().startswith(lang)), infos[0])
    areas = info.findall("cap:area", NS)
    pairs = lambda parent, tag: [(_text(e, "cap:valueName"), _text(e, "cap:value")) for e in parent.findall(tag, NS)]  # noqa: E731
    return CapInfo(
        identifier=_text(root, "cap:identifier"),
        sender=_text(root, "cap:sender"),
        status=_text(root, "cap:status"),
        msg_type=_text(root, "cap:msgType"),
        references=_text(root, "cap:references"),
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


def ingest(data: bytes) -> Intake:
    """Validate and file one CAP message. Raises CapError with a message for the sender."""
    root = parse(data)
    validate(root)
    sender = _text(root, "cap:sender")
    root = verify_signature(data, root, sender)
    info = read(root)
    if info.status not in ("Actual", "Exercise"):
        raise CapError(422, _("CAP status %(status)s is not acted on: only Actual and Exercise messages become alerts.") % {"status": info.status})
    if info.msg_type != "Alert":
        raise CapError(422, _("CAP msgType %(type)s is not handled here: send a new Alert message.") % {"type": info.msg_type})
    lat, lon = point_for(info)
    try:
        geo.locate(lat, lon)
    except geo.OutsideJurisdiction as error:
        raise CapError(422, _("The alert's area (%(lat).4f, %(lon).4f) is outside the territory this service covers.") % {"lat": lat, "lon": lon}) from error
    text = "\n\n".join(part for part in (info.headline, info.description, info.area_desc) if part) or info.event
    new_case = NewCase(
        category_code=category_for(info),
        description=text[: settings.CASE_DESCRIPTION_MAX_LENGTH],
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
    )
    try:
        alert, created = file_alert_once(new_case, details, actor=Actor(channel=Channel.SENSOR))
    except ValidationError as error:
        raise CapError(422, "; ".join(error.messages)) from error
    return Intake(alert, created)
