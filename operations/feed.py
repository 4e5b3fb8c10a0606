"""The public CAP 1.2 feed: an Atom feed of the alerts operators chose to publish, each entry carrying
a complete CAP message. Only what operators wrote for the public goes out: the category, a rounded
area, the district, and their public message; never the reporter's text, contact or exact point.

An alert that ends after it was published is not left as an open Alert with a changed urgency: its
entry becomes the message that ends it, as CAP 1.2 §3.2.1 says a later message does. A false alarm,
a merge into another alert or its sender's own withdrawal is a Cancel; a resolution is an Update with
the response "AllClear". Either has its own identifier and sent time and names the published Alert in
`references`, so a subscriber that stored the first message knows which one it ends."""

from __future__ import annotations

from django.conf import settings
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from lxml import etree

from .cap import CAP_NS, rules
from .models import Alert, AlertState

ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_SEVERITY = {5: "Extreme", 4: "Severe", 3: "Moderate", 2: "Minor", 1: "Minor"}
# About 1 km: the area of an incident without pointing at a house.
PUBLIC_DECIMALS = 2
PUBLIC_RADIUS_KM = "1.0"


def cap_time(value) -> str:
    # CAP 1.2 wants an explicit offset, never "Z", and whole seconds.
    return timezone.localtime(value).isoformat(timespec="seconds")


def published_alerts():
    return Alert.objects.filter(published_at__isnull=False).select_related(
        "case__category", "case__district", "merged_into__case"
    )


def cap_identifier(alert: Alert) -> str:
    """The identifier of the Alert message that published it."""
    return f"{settings.OPERATIONS_CAP_SENDER}.{alert.case.number}"


CANCELLING_STATES = (AlertState.FALSE_ALARM, AlertState.MERGED, AlertState.CANCELLED)
CLOSED_STATES = (AlertState.RESOLVED, *CANCELLING_STATES)


def ended_after_publication(alert: Alert) -> bool:
    return alert.state in CLOSED_STATES and alert.closed_at is not None and alert.closed_at >= alert.published_at


def msg_type(alert: Alert) -> str:
    if not ended_after_publication(alert):
        return "Alert"
    return "Cancel" if alert.state in CANCELLING_STATES else "Update"


def message_identifier(alert: Alert) -> str:
    kind = msg_type(alert)
    return cap_identifier(alert) if kind == "Alert" else f"{cap_identifier(alert)}.{kind.lower()}"


def message_sent(alert: Alert):
    return alert.closed_at if ended_after_publication(alert) else alert.published_at


def ending_note(alert: Alert) -> str:
    if alert.state == AlertState.MERGED and alert.merged_into_id:
        return _("Merged into alert %(number)s, which goes on.") % {"number": alert.merged_into.case.number}
    if alert.state == AlertState.FALSE_ALARM:
        return _("False alarm: there is no incident.")
    if alert.state == AlertState.CANCELLED:
        return _("Withdrawn by the sender that raised it.")
    return _("Resolved: the incident is over.")


def cap_message(alert: Alert) -> etree._Element:
    def sub(parent, tag: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
        if text is not None:
            element.text = text
        return element

    case = alert.case
    kind = msg_type(alert)
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    sub(root, "identifier", message_identifier(alert))
    sub(root, "sender", settings.OPERATIONS_CAP_SENDER)
    sub(root, "sent", cap_time(message_sent(alert)))
    sub(root, "status", "Exercise" if alert.exercise else "Actual")
    sub(root, "msgType", kind)
    sub(root, "scope", "Public")
    if kind != "Alert":
        with override(settings.LANGUAGE_CODE):
            sub(root, "note", ending_note(alert))
        sub(root, "references", f"{settings.OPERATIONS_CAP_SENDER},{cap_identifier(alert)},{cap_time(alert.published_at)}")
    info = sub(root, "info")
    sub(info, "language", "es-PA" if settings.LANGUAGE_CODE == "es" else settings.LANGUAGE_CODE)
    sub(info, "category", rules().get("feed_categories", {}).get(case.category.code, "Other"))
    sub(info, "event", case.category.name_es)
    if kind == "Update":
        sub(info, "responseType", "AllClear")
    sub(info, "urgency", "Past" if alert.state in CLOSED_STATES else "Immediate")
    sub(info, "severity", CAP_SEVERITY.get(alert.severity, "Unknown"))
    sub(info, "certainty", "Observed" if alert.state != AlertState.NEW else "Likely")
    sub(info, "senderName", "Ventanilla")
    with override(settings.LANGUAGE_CODE):
        sub(info, "headline", ((_("EXERCISE: ") if alert.exercise else "") + case.category.name)[:160])
    sub(info, "description", alert.public_message)
    area = sub(info, "area")
    sub(area, "areaDesc", case.district.name if case.district_id else case.category.name_es)
    if case.lat is not None and case.lon is not None:
        lat, lon = round(case.lat, PUBLIC_DECIMALS), round(case.lon, PUBLIC_DECIMALS)
        sub(area, "circle", f"{lat},{lon} {PUBLIC_RADIUS_KM}")
    return root


def cap_document(alert: Alert) -> bytes:
    return etree.tostring(cap_message(alert), xml_declaration=True, encoding="UTF-8")


def atom_feed(base_url: str, limit: int = 100) -> bytes:
    # Latest message first, so an alert ended today is in the feed even if it was published long ago.
    latest = Greatest("published_at", Coalesce("closed_at", "published_at"))
    alerts = list(published_alerts().order_by(latest.desc(), "-pk")[:limit])
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})

    def sub(parent, tag: str, text: str | None = None, **attrs):
        element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", **attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", f"{base_url}/operaciones/cap/feed.atom")
    with override(settings.LANGUAGE_CODE):
        sub(feed, "title", _("Ventanilla — CAP alerts"))
    sub(feed, "updated", cap_time(max((message_sent(a) for a in alerts), default=timezone.now())))
    author = sub(feed, "author")
    sub(author, "name", settings.OPERATIONS_CAP_SENDER)
    sub(feed, "link", rel="self", href=f"{base_url}/operaciones/cap/feed.atom")
    for alert in alerts:
        entry = sub(feed, "entry")
        # One entry per alert: its id stays, its content is the latest message about the alert.
        sub(entry, "id", f"urn:cap:{cap_identifier(alert)}")
        sub(entry, "title", alert.case.category.name_es)
        sub(entry, "updated", cap_time(message_sent(alert)))
        sub(entry, "link", rel="alternate", type="application/cap+xml", href=f"{base_url}/operaciones/cap/{alert.case.number}.xml")
        content = sub(entry, "content", type="text/xml")
        content.append(cap_message(alert))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
