"""Publication to a CKAN open-data portal through its action API (CKAN 2.x, `/api/3/action/...`).

Configured by TRANSPARENCY_CKAN_URL, TRANSPARENCY_CKAN_API_KEY (sent in the Authorization header),
TRANSPARENCY_CKAN_ORGANIZATION (the dataset's owner_org) and TRANSPARENCY_CKAN_DATASET (its name).
For each published month: `package_show` the dataset; `package_create` it when missing, else
`package_update` it; then `resource_create` each of the month's files not yet listed (by URL), so a
rerun adds nothing twice. Uses only the standard library's HTTP client: four JSON POSTs.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.utils import timezone

from .dcat import month_resources
from .models import PublishedMonth

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30


class CkanError(Exception):
    """The CKAN portal refused a call or could not be reached."""


class CkanClient:
    def __init__(self, url: str, api_key: str) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("TRANSPARENCY_CKAN_URL must be an http(s) address.")
        self.url, self.api_key = url.rstrip("/"), api_key

    def call(self, action: str, payload: dict[str, Any]) -> Any:
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked in __init__
            f"{self.url}/api/3/action/{action}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": self.api_key},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - TRANSPARENCY_CKAN_URL is an administrator's setting, checked to be http(s)
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                body = json.loads(exc.read())
            except ValueError:
                raise CkanError(f"{action}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise CkanError(f"{action}: {exc}") from exc
        if not body.get("success"):
            error = body.get("error") or {}
            if error.get("__type") == "Not Found Error":
                return None
            raise CkanError(f"{action}: {error}")
        return body["result"]


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def dataset_fields() -> dict[str, Any]:
    return {
        "name": settings.TRANSPARENCY_CKAN_DATASET,
        "title": "Ventanilla 311: casos y desempeño mensual",
        "owner_org": settings.TRANSPARENCY_CKAN_ORGANIZATION,
        "notes": "Casos anonimizados del 311 y el desempeño mensual de las entidades. Catálogo DCAT: "
        + site_url("/transparencia/datos/catalogo.jsonld"),
        "license_id": "cc-by",
        "url": site_url("/transparencia/datos/"),
        "tags": [{"name": "311"}, {"name": "open311"}, {"name": "ods-16-6-2"}],
    }


def publish_to_ckan(published: PublishedMonth, client: CkanClient) -> int:
    """Create or update the dataset and add the month's files; returns how many resources were added."""
    name = settings.TRANSPARENCY_CKAN_DATASET
    package = client.call("package_show", {"id": name})
    if package is None:
        package = client.call("package_create", dataset_fields())
    else:
        package = client.call("package_update", {**dataset_fields(), "id": package["id"], "resources": package.get("resources", [])})
    known = {r.get("url") for r in package.get("resources", [])}
    added = 0
    for resource in month_resources(published, site_url):
        if resource["url"] in known:
            continue
        client.call(
            "resource_create",
            {"package_id": package["id"], "url": resource["url"], "name": resource["name"], "format": resource["format"].upper()},
        )
        added += 1
    PublishedMonth.objects.filter(pk=published.pk).update(ckan_published_at=timezone.now())
    return added


def publish_to_ckan_if_configured(published: PublishedMonth) -> bool:
    """The monthly job's step: a CKAN failure is logged and leaves the month published locally."""
    if not settings.TRANSPARENCY_CKAN_URL:
        return False
    try:
        publish_to_ckan(published, CkanClient(settings.TRANSPARENCY_CKAN_URL, settings.TRANSPARENCY_CKAN_API_KEY))
    except CkanError as exc:
        logger.warning("transparency: CKAN publication of %s failed: %s", published, exc)
        return False
    return True
