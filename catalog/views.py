"""Public pages of the procedures catalog: search, browse by theme and by institution, a procedure's
page, and "report outdated information". Server-rendered; catalog/static/catalog/search.js only adds
results as the citizen types."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cases.models import Case
from entities.models import Entity
from ventanilla.collation import sorted_by_name

from . import services
from .forms import OutdatedReportForm, search_query
from .models import Procedure, Theme
from .querysets import entities_with_published_procedures
from .search import search_procedures, split_weak_matches
from .structured_data import as_script_text, government_service

RESULTS_LIMIT = 50
PAGE_SIZE = 50
LAST_REPORT_KEY = "catalog:outdated_report"


SHOW_ALL_PARAMETER = "todos"


def _results_context(request: HttpRequest, query: str, *, entity=None, theme=None) -> dict:
    results = search_procedures(query, entity=entity, theme=theme, limit=RESULTS_LIMIT) if query else None
    limited = results is not None and len(results) >= RESULTS_LIMIT
    hidden: list = []
    if results and request.GET.get(SHOW_ALL_PARAMETER) != "1":
        results, hidden = split_weak_matches(results)
    params = request.GET.copy()
    params.pop("parcial", None)
    params[SHOW_ALL_PARAMETER] = "1"
    return {
        "query": query,
        "results": results,
        "results_limited": limited and not hidden,
        "hidden_count": len(hidden),
        "show_all_url": f"{request.path}?{params.urlencode()}#catalog-results",
    }


def _partial(request: HttpRequest) -> bool:
    """search.js asks for the results alone while the citizen types."""
    return request.GET.get("parcial") == "1"


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    query = search_query(request.GET.get("q"))
    theme = Theme.objects.filter(code=request.GET.get("tema") or "").first()
    entity = Entity.objects.filter(code=request.GET.get("entidad") or "", active=True).first()
    # "/tramites/?tema=vivienda" (the home page's theme links) without words is the theme's own page.
    if not query and (theme or entity):
        return redirect(reverse("catalog:theme", args=[theme.code]) if theme else reverse("catalog:entity", args=[entity.code]))
    context = _results_context(request, query, entity=entity, theme=theme)
    if _partial(request):
        return render(request, "catalog/includes/results.html", context)
    context.update(
        # Display names in Spanish alphabetical order (accents and case folded) in both languages.
        themes=sorted_by_name(Theme.objects.with_published_counts()),
        entities=sorted_by_name(entities_with_published_procedures()),
        theme=theme,
        entity=entity,
    )
    return render(request, "catalog/index.html", context)


def _listing(request: HttpRequest, procedures) -> dict:
    page = Paginator(procedures.select_related("entity").order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return {"page": page, "procedures": page.object_list}


@require_safe
def theme(request: HttpRequest, code: str) -> HttpResponse:
    theme = get_object_or_404(Theme, code=code)
    query = search_query(request.GET.get("q"))
    context = {"theme": theme, **_results_context(request, query, theme=theme)}
    if _partial(request):
        return render(request, "catalog/includes/results.html", context)
    if not query:
        context.update(_listing(request, Procedure.objects.published().filter(themes=theme)))
    return render(request, "catalog/theme.html", context)


@require_safe
def entity(request: HttpRequest, code: str) -> HttpResponse:
    entity = get_object_or_404(Entity, code=code, active=True)
    query = search_query(request.GET.get("q"))
    context = {"entity": entity, **_results_context(request, query, entity=entity)}
    if _partial(request):
        return render(request, "catalog/includes/results.html", context)
    if not query:
        context.update(_listing(request, Procedure.objects.published().filter(entity=entity)))
    return render(request, "catalog/entity.html", context)


def _published(slug: str) -> Procedure:
    procedure = Procedure.objects.published().select_related("entity").prefetch_related("themes").filter(slug=slug).first()
    if procedure is None:
        raise Http404("No such procedure")
    return procedure


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = _published(slug)
    return render(
        request,
        "catalog/detail.html",
        {
            "procedure": procedure,
            "themes": list(procedure.themes.all()),
            "structured_data": as_script_text(government_service(procedure, request)),
            "review_months": settings.PROCEDURE_REVIEW_MONTHS,
        },
    )


@require_http_methods(["GET", "POST"])
def report_outdated(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = _published(slug)
    if request.method == "POST":
        form = OutdatedReportForm(request.POST)
        if form.is_valid():
            try:
                case = services.report_outdated_information(
                    procedure,
                    what_is_wrong=form.cleaned_data["what_is_wrong"],
                    email=form.cleaned_data["email"].strip(),
                    kinds=form.cleaned_data["kinds"],
                    language=(get_language() or settings.LANGUAGE_CODE)[:2],
                    reporter_user=request.user,
                )
            except ValidationError as error:
                form.add_case_errors(error)
            else:
                request.session[LAST_REPORT_KEY] = case.pk
                return redirect("catalog:report_outdated_sent", slug=procedure.slug)
    else:
        form = OutdatedReportForm()
    return render(
        request,
        "catalog/report_outdated.html",
        {"procedure": procedure, "form": form, "description_max": settings.CASE_DESCRIPTION_MAX_LENGTH},
    )


@never_cache
@require_safe
def report_outdated_sent(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = _published(slug)
    pk = request.session.get(LAST_REPORT_KEY)
    case = Case.objects.filter(pk=pk, procedure=procedure).first() if pk else None
    if case is None:
        # Nothing was sent from this browser (or the session expired): back to the form, not an error.
        return redirect("catalog:report_outdated", slug=procedure.slug)
    return render(
        request,
        "catalog/report_outdated_sent.html",
        {
            "procedure": procedure,
            "case": case,
            "tracking_url": request.build_absolute_uri(reverse("track", args=[case.tracking_token])),
        },
    )
