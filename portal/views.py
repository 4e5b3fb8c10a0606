"""The portal's home page and privacy notice. The report, track and survey pages live in portal/journey/."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases.models import Case, State
from catalog.models import Theme
from ventanilla.layout import localized_path

from . import citizen_service

HOME_LINKS = {
    "catalog": "/tramites/",
    "report": "/reportar/",
    "track": "/seguimiento/",
    "complaint": "/denuncia/",
    "privacy": "/privacidad/",
}
POPULAR_THEMES_SHOWN = 8
FIGURES_WINDOW_DAYS = 30
# The home page is the busiest page; counting a month of cases on every visit is not worth it.
FIGURES_CACHE_SECONDS = 600


def recent_figures() -> dict:
    """Published figures for the home page: public cases received in the window and how many are resolved."""

    def count() -> dict:
        since = timezone.now() - dt.timedelta(days=FIGURES_WINDOW_DAYS)
        return Case.objects.public().filter(created_at__gte=since).aggregate(
            received=Count("pk"), resolved=Count("pk", filter=Q(state__in=[State.RESOLVED, State.CLOSED]))
        )

    figures = cache.get_or_set("portal:home:figures", count, FIGURES_CACHE_SECONDS)
    return {**figures, "days": FIGURES_WINDOW_DAYS}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.with_published_counts().order_by("-procedure_count", "name_es")[:POPULAR_THEMES_SHOWN]
    urls = {name: localized_path(path) for name, path in HOME_LINKS.items()}
    return render(
        request,
        "home.html",
        {
            "themes": themes,
            "figures": recent_figures(),
            "urls": urls,
            "phone": citizen_service.phone(),
            "whatsapp": citizen_service.whatsapp(),
            "emergency": citizen_service.emergency(),
            "oversight": ", ".join(citizen_service.oversight_names()),
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (personal-data law of the jurisdiction), from the jurisdiction's data set."""
    return render(
        request,
        "portal/privacy.html",
        {"notice": citizen_service.privacy_notice(), "phone": citizen_service.phone(), "whatsapp": citizen_service.whatsapp()},
    )
