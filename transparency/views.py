"""The published figures' pages: the ranking of the latest month, any month, an entity, the method."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from entities.models import Entity
from ventanilla.dbrouter import replica_view

from .labels import PERFORMANCE_FIELDS, SDG_LABELS, SORT_KEYS, TABLE_COLUMNS, performance_row
from .reading import MonthFigures, entity_categories, entity_trend, latest_figures, month_figures
from .reading import published_figures, published_months


def _month_or_404(year: str, month: str) -> MonthFigures:
    if not 1 <= int(month) <= 12:
        raise Http404
    figures = month_figures(int(year), int(month))
    if figures is None:
        raise Http404
    return figures


def _sorted_rows(figures: MonthFigures, request: HttpRequest) -> tuple[list[dict], str, str]:
    kind = request.GET.get("tipo", "")
    order = request.GET.get("orden", "rank")
    order = order if order in SORT_KEYS else "rank"
    rows = [r for r in figures.entities if not kind or r["entity_kind"] == kind]
    if order == "entity_name":
        rows.sort(key=lambda r: r["entity_name"])
    elif order != "rank":
        lower_first = {key: lower for key, _label, lower in TABLE_COLUMNS}[order]
        present = [r for r in rows if r["figures"][order] is not None]
        missing = [r for r in rows if r["figures"][order] is None]
        present.sort(key=lambda r: r["figures"][order], reverse=not lower_first)
        rows = present + missing  # entities without the figure go last, whatever the order
    return rows, kind, order


def _table_context(request: HttpRequest, figures: MonthFigures) -> dict:
    rows, kind, order = _sorted_rows(figures, request)
    kinds = sorted({r["entity_kind"] for r in figures.entities})
    return {
        "figures": figures,
        "national": figures.national,
        "rows": [{**r, "cells": [r["figures"][key] for key, _l, _x in TABLE_COLUMNS]} for r in rows],
        "columns": TABLE_COLUMNS,
        "kinds": [(k, Entity.Kind(k).label if k in Entity.Kind.values else k) for k in kinds],
        "kind": kind,
        "order": order,
        "sdg_rows": [(SDG_LABELS[a], v) for a, v in figures.national["sdg"].items()],
        "months": published_months(24),
    }


@require_GET
@replica_view
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/month.html", _table_context(request, latest_figures()) | {"is_latest": True})


@require_GET
@replica_view
def month(request: HttpRequest, year: str, month: str) -> HttpResponse:
    figures = _month_or_404(year, month)
    revision = request.GET.get("revision")
    if revision and figures.published:
        chosen = next((r for r in figures.revisions if str(r.revision) == revision), None)
        if chosen is None:
            raise Http404
        figures = published_figures(chosen)
    return render(request, "transparency/month.html", _table_context(request, figures))


def _performance_rows(figures: MonthFigures) -> list[dict]:
    rows = [performance_row(figures.year, figures.month, {"figures": figures.national}, "")]
    rows[0]["entity_name"] = "TOTAL"
    rows += [performance_row(figures.year, figures.month, r) for r in figures.entities]
    return rows


@require_GET
@replica_view
def month_csv(request: HttpRequest, year: str, month: str) -> HttpResponse:
    figures = _month_or_404(year, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transparencia-{figures.key}.csv"'
    writer = csv.DictWriter(response, fieldnames=PERFORMANCE_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_performance_rows(figures))
    return response


@require_GET
@replica_view
def month_json(request: HttpRequest, year: str, month: str) -> JsonResponse:
    figures = _month_or_404(year, month)
    published = figures.published
    return JsonResponse(
        {
            "year": figures.year,
            "month": figures.month,
            "provisional": figures.provisional,
            "revision": published.revision if published else None,
            "published_at": published.published_at.isoformat() if published else None,
            "revision_note": published.revision_note if published else "",
            "min_closed": published.min_closed if published else None,
            "national": figures.national,
            "entities": [
                {"entity_code": r["entity_code"], "entity_name": r["entity_name"], "entity_kind": r["entity_kind"],
                 "rank": r["rank"], "figures": r["figures"]}  # fmt: skip
                for r in figures.entities
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@replica_view
def entity(request: HttpRequest, code: str) -> HttpResponse:
    trend = entity_trend(code)
    if not trend:
        raise Http404
    latest = published_months(1)[0]
    current = published_figures(latest, revisions=False)
    mine = next((r for r in current.entities if r["entity_code"] == code), None)
    kind = trend[-1]["entity_kind"]
    peers = [r for r in current.entities if r["entity_kind"] == kind]
    categories = entity_categories(latest, code) if mine else []
    return render(
        request,
        "transparency/entity.html",
        {
            "name": trend[-1]["entity_name"],
            "code": code,
            "kind_label": Entity.Kind(kind).label if kind in Entity.Kind.values else kind,
            "trend": trend,
            "latest": latest,
            "mine": mine,
            "peers": peers,
            "categories": categories,
            "months": published_months(24),
        },
    )


@require_GET
@replica_view
def methodology(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    return render(request, "transparency/methodology.html", {"min_closed": settings.TRANSPARENCY_MIN_CLOSED})
