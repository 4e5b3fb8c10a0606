"""The DCAT-AP catalog (JSON-LD) of the open data, so national portals can harvest it."""

from __future__ import annotations

from typing import Any, Callable

from django.conf import settings
from django.utils import timezone

from .models import PublishedMonth

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {
    "csv": "http://www.iana.org/assignments/media-types/text/csv",
    "json": "http://www.iana.org/assignments/media-types/application/json",
    "geojson": "http://www.iana.org/assignments/media-types/application/geo+json",
}


def month_resources(month: PublishedMonth, absolute: Callable[[str], str]) -> list[dict[str, str]]:
    """The files of one published month: (kind, format, title, url). The CKAN client publishes the same list."""
    y, m = month.year, f"{month.month:02d}"
    base = f"/transparencia/datos/{y}/{m}/casos"
    resources = [
        {"dataset": "cases", "format": fmt, "name": f"Casos {y}-{m} ({fmt.upper()})", "url": absolute(f"{base}.{fmt}")}
        for fmt in ("csv", "json", "geojson")
    ]
    resources += [
        {"dataset": "performance", "format": fmt, "name": f"Desempeño {y}-{m} ({fmt.upper()})",
         "url": absolute(f"/transparencia/{y}/{m}.{fmt}")}  # fmt: skip
        for fmt in ("csv", "json")
    ]
    return resources


def _distribution(resource: dict[str, str], issued) -> dict[str, Any]:
    return {
        "@id": resource["url"],
        "@type": "dcat:Distribution",
        "dct:title": resource["name"],
        "dcat:accessURL": {"@id": resource["url"]},
        "dcat:downloadURL": {"@id": resource["url"]},
        "dcat:mediaType": {"@id": MEDIA_TYPES[resource["format"]]},
        "dct:format": resource["format"].upper(),
        "dct:license": {"@id": settings.TRANSPARENCY_LICENSE_URL},
        "dct:issued": {"@value": issued.isoformat(), "@type": "xsd:dateTime"},
    }


def catalog(absolute: Callable[[str], str]) -> dict[str, Any]:
    months = list(PublishedMonth.objects.filter(is_current=True).order_by("year", "month"))
    publisher = {"@type": "foaf:Agent", "foaf:name": settings.TRANSPARENCY_PUBLISHER}
    cases = [
        {"@id": absolute("/transparencia/datos/casos.csv"), "@type": "dcat:Distribution", "dct:title": "Casos (historial completo, CSV)",
         "dcat:accessURL": {"@id": absolute("/transparencia/datos/casos.csv")},
         "dcat:downloadURL": {"@id": absolute("/transparencia/datos/casos.csv")},
         "dcat:mediaType": {"@id": MEDIA_TYPES["csv"]}, "dct:format": "CSV",
         "dct:license": {"@id": settings.TRANSPARENCY_LICENSE_URL}}  # fmt: skip
    ]
    performance = []
    for month in months:
        for resource in month_resources(month, absolute):
            target = cases if resource["dataset"] == "cases" else performance
            target.append(_distribution(resource, month.published_at))
    common = {
        "dct:publisher": publisher,
        "dct:license": {"@id": settings.TRANSPARENCY_LICENSE_URL},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/SPA"},
        "dcat:landingPage": {"@id": absolute("/transparencia/datos/")},
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"},
        "dcat:contactPoint": {"@type": "http://www.w3.org/2006/vcard/ns#Organization",
                              "http://www.w3.org/2006/vcard/ns#fn": settings.TRANSPARENCY_PUBLISHER},  # fmt: skip
    }
    datasets = [
        {
            "@id": absolute("/transparencia/datos/#casos"),
            "@type": "dcat:Dataset",
            "dct:identifier": "casos",
            "dct:title": "Casos del 311 (anonimizados)",
            "dct:description": "Cada caso publicado: número, categoría, entidad, distrito, canal, estado, fechas, "
            "nivel de servicio cumplido, satisfacción y punto. Sin datos personales, sin texto libre, sin casos sensibles.",
            "dcat:keyword": ["311", "servicios ciudadanos", "open311"],
            "dcat:distribution": cases,
            **common,
        },
        {
            "@id": absolute("/transparencia/datos/#desempeno"),
            "@type": "dcat:Dataset",
            "dct:identifier": "desempeno",
            "dct:title": "Desempeño mensual de las entidades",
            "dct:description": "Por entidad y mes: casos recibidos, cerrados, dentro del nivel de servicio, días hábiles, "
            "pendientes, satisfacción e indicadores ODS 16.6.2. Meses congelados al publicarse.",
            "dcat:keyword": ["311", "desempeño", "ODS 16.6.2"],
            "dcat:distribution": performance,
            **common,
        },
    ]
    return {
        "@context": CONTEXT,
        "@id": absolute("/transparencia/datos/catalogo.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": "Datos abiertos de Ventanilla 311",
        "dct:description": "Catálogo DCAT-AP de los datos abiertos del 311.",
        "dct:publisher": publisher,
        "dct:modified": {"@value": timezone.now().isoformat(), "@type": "xsd:dateTime"},
        "dcat:dataset": datasets,
    }
