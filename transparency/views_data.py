"""Open data and the observatory: the data page with its dictionary, the streamed case files, the
DCAT catalog, and the observatory's charts with their tables and CSV files."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import Channel
from ventanilla.dbrouter import replica_view

from . import observatory
from .dcat import catalog
from .labels import CASE_COLUMNS, PERFORMANCE_FIELDS
from .opendata import streamed
from .reading import published_months


def _absolute(request: HttpRequest):
    return lambda path: request.build_absolute_uri(path)


@require_GET
@replica_view
def data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transparency/data.html",
        {
            "columns": CASE_COLUMNS,
            "performance_fields": PERFORMANCE_FIELDS,
            "months": published_months(),
            "licence_url": settings.TRANSPARENCY_LICENSE_URL,
        },
    )


@require_GET
@replica_view
def cases_csv(request: HttpRequest) -> StreamingHttpResponse:
    return streamed("csv", "casos.csv")


@require_GET
@replica_view
def month_cases(request: HttpRequest, year: str, month: str, fmt: str) -> StreamingHttpResponse:
    if not 1 <= int(month) <= 12 or fmt not in ("csv", "json", "geojson"):
        raise Http404
    return streamed(fmt, f"casos-{year}-{month}.{fmt}", int(year), int(month))


@require_GET
@replica_view
def catalog_jsonld(request: HttpRequest) -> JsonResponse:
    return JsonResponse(catalog(_absolute(request)), content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@replica_view
def observatory_page(request: HttpRequest) -> HttpResponse:
    data = observatory.series()
    key, categories = observatory.top_categories()
    map_key, districts, map_height = observatory.district_map()
    return render(
        request,
        "transparency/observatory.html",
        {
            "channels": [{**r, "cells": [r[c] for c in Channel.values]} for r in data["channels"]],
            "channel_bars": observatory.bars(data["channels"], "total"),
            "online_bars": observatory.bars(data["channels"], "online"),
            "sla": data["sla"],
            "sla_bars": observatory.bars(data["sla"], "within_sla_pct"),
            "satisfaction": data["satisfaction"],
            "satisfaction_bars": observatory.bars(data["satisfaction"], "satisfied_pct"),
            "categories_month": key,
            "categories": categories,
            "map_month": map_key,
            "districts": districts,
            "map_height": map_height,
            "map_width": observatory.MAP_WIDTH,
            "channel_codes": [(c.value, c.label) for c in Channel],
        },
    )


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return response


@require_GET
@replica_view
def observatory_csv(request: HttpRequest, chart: str) -> HttpResponse:
    data = observatory.series()
    if chart == "canales":
        codes = Channel.values
        return _csv("canales.csv", ["month", *codes, "online", "total"], ([r["month"], *[r[c] for c in codes], r["online"], r["total"]] for r in data["channels"]))
    if chart == "nivel-de-servicio":
        return _csv("nivel-de-servicio.csv", ["month", "closed", "closed_within_sla", "within_sla_pct"],
                    ([r["month"], r["closed"], r["closed_within_sla"], r["within_sla_pct"]] for r in data["sla"]))  # fmt: skip
    if chart == "satisfaccion":
        return _csv("satisfaccion.csv", ["month", "surveys", "satisfied_pct", "sdg_average_pct"],
                    ([r["month"], r["surveys"], r["satisfied_pct"], r["sdg_average_pct"]] for r in data["satisfaction"]))  # fmt: skip
    if chart == "categorias":
        key, rows = observatory.top_categories()
        return _csv("categorias.csv", ["month", "category_code", "category_name", "received"],
                    ([key, r["category_code"], r["category_name_es"], r["received"]] for r in rows))  # fmt: skip
    if chart == "distritos":
        key, rows, _h = observatory.district_map()
        return _csv("distritos.csv", ["month", "district_code", "district_name", "received"],
                    ([key, r["code"], r["name"], r["received"]] for r in rows))  # fmt: skip
    raise Http404
