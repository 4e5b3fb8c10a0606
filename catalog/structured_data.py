"""schema.org `GovernmentService` for a procedure page, so search engines and assistants can answer
"how much is a passport and where do I get it" from the page itself."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Procedure

# Characters that could close the <script> element or open a comment, escaped inside the JSON text
# (the same protection as Django's json_script, which only writes type="application/json").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def currency_code() -> str:
    return settings.CATALOG_CURRENCY_CODE


def _channels(procedure: Procedure) -> list[dict[str, Any]]:
    channels: list[dict[str, Any]] = []
    if procedure.online_url:
        channels.append({"@type": "ServiceChannel", "name": _("Online"), "serviceUrl": procedure.online_url})
    for office in procedure.offices or []:
        if not isinstance(office, dict) or not office.get("name"):
            continue
        place: dict[str, Any] = {"@type": "GovernmentOffice", "name": office["name"]}
        if office.get("address"):
            place["address"] = office["address"]
        if office.get("hours"):
            # Free text ("lunes a viernes, 8:00 a. m. a 4:00 p. m."), not schema.org's "Mo-Fr 08:00-16:00" syntax.
            place["description"] = office["hours"]
        channels.append({"@type": "ServiceChannel", "name": office["name"], "serviceLocation": place})
    if procedure.phone:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": _("Telephone"),
                "servicePhone": {"@type": "ContactPoint", "telephone": procedure.phone},
            }
        )
    for channel in channels:
        channel["availableLanguage"] = settings.LANGUAGE_CODE
    return channels


def government_service(procedure: Procedure, request: HttpRequest) -> dict[str, Any]:
    entity = procedure.entity
    provider: dict[str, Any] = {"@type": "GovernmentOrganization", "name": entity.name}
    if entity.acronym:
        provider["alternateName"] = entity.acronym
    if entity.website:
        provider["url"] = entity.website
    themes = [theme.name for theme in procedure.themes.all()]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": procedure.localized_name,
        "description": procedure.localized_summary,
        "url": request.build_absolute_uri(procedure.get_absolute_url()),
        "serviceType": themes[0] if themes else procedure.localized_name,
        "provider": provider,
        "availableChannel": _channels(procedure),
    }
    if procedure.cost is not None:
        data["offers"] = {"@type": "Offer", "price": f"{procedure.cost:.2f}", "priceCurrency": currency_code()}
    if procedure.source_url:
        # The institution's own page about the procedure.
        data["sameAs"] = procedure.source_url
    return data


def as_script_text(data: dict[str, Any]) -> str:
    """JSON safe to place between <script type="application/ld+json"> and </script>."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
