"""The 311 journey: report a problem, get a receipt, follow the case, answer the survey.

Every page works without JavaScript. Nothing personal goes into a URL: a receipt is found through the
session of the browser that filed the report, a case through its unguessable tracking token.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Attachment, Case, CaseEvent, Category, Channel, State, SurveyResponse
from cases.services import InvalidTransition, SurveyNotAvailable, citizen_confirm_solved, citizen_reopen, submit_survey
from entities.models import District
from ventanilla.collation import collation_key

from . import services
from .forms import (
    REPLY_MAX_LENGTH,
    SURVEY_COMMENT_MAX_LENGTH,
    LookupForm,
    ReopenForm,
    ReplyForm,
    ReportForm,
    SolvedForm,
    SurveyForm,
)

LAST_REPORT_KEY = "journey_last_report"


# --- Report -----------------------------------------------------------------------------------


@require_GET
def report_category(request: HttpRequest) -> HttpResponse:
    """Step one: what is the problem? The most reported kinds as links, then every kind as radios under
    collapsible group headings (native <details>: no JavaScript needed); a filter box when JavaScript runs."""
    # Groups and kinds by their name in the reader's language, in Spanish alphabetical order (accents folded).
    categories = sorted(
        Category.objects.listed(), key=lambda category: (collation_key(category.group), collation_key(category.name))
    )
    chosen = request.GET.get("categoria")
    error = None
    if chosen is not None:
        if any(c.code == chosen for c in categories):
            return redirect("report_form", code=chosen)
        error = _("Choose what you want to report.")
    groups: dict[str, list[Category]] = {}
    for category in categories:
        groups.setdefault(category.group, []).append(category)
    return render(
        request,
        "portal/journey/report_category.html",
        {
            "groups": groups,
            "error": error,
            "error_items": [("#categoria", error)] if error else [],
            "error_list": [error] if error else [],
            "complaint_kinds": ", ".join(c.name for c in Category.objects.sensitive().order_by("name_es")),
            "most_reported": services.most_reported(categories),
        },
    )


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, code: str) -> HttpResponse:
    category = Category.objects.listed().filter(code=code).select_related("owner").first()
    if category is None:
        return not_found(request)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, category=category)
        if form.is_valid():
            anonymous = bool(form.cleaned_data.get("anonymous"))
            if anonymous:
                # Nobody files it: not the account (audit history records the request's user), and the
                # receipt is shown once instead of being kept in the session.
                request.user = AnonymousUser()
            try:
                case = services.file_case(
                    form.new_case(),
                    form.uploads,
                    categories=Category.objects.listed(),
                    reporter_user=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as error:  # the data changed between the check and the save
                form.add_case_errors(error)
            else:
                if anonymous:
                    services.show_once(request, case)
                    return redirect("anonymous_report_received")
                request.session[LAST_REPORT_KEY] = case.pk
                return redirect("report_received")
    else:
        form = ReportForm(category=category)
    return render(
        request,
        "portal/journey/report_form.html",
        {
            "category": category,
            "form": form,
            "photos_lost": form.is_bound and bool(request.FILES) and not form.errors.get("photos"),
            **location_context(),
        },
    )


def location_context() -> dict:
    """The district list (the no-JavaScript way to say where) and what the map needs to start."""
    box = District.objects.aggregate(
        south=Min("min_lat"), north=Max("max_lat"), west=Min("min_lon"), east=Max("max_lon")
    )
    return {
        "districts": District.objects.select_related("province").order_by("province__name", "name"),
        "map": {
            "tiles": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "bounds": ",".join(str(box[k]) for k in ("south", "west", "north", "east")) if box["south"] else "",
            "script": static("leaflet/leaflet.js"),
            "stylesheet": static("leaflet/leaflet.css"),
            "images": static("leaflet/images/"),
        },
        "max_photos": settings.CASE_MAX_PHOTOS,
        "max_upload_mb": settings.CASE_MAX_UPLOAD_BYTES // (1024 * 1024),
        "description_max": settings.CASE_DESCRIPTION_MAX_LENGTH,
    }


def _last_report(request: HttpRequest) -> Case | None:
    pk = request.session.get(LAST_REPORT_KEY)
    if not pk:
        return None
    return Case.objects.filter(pk=pk, category__sensitive=False).select_related("category", "entity").first()


def tracking_url(request: HttpRequest, case: Case) -> str:
    return request.build_absolute_uri(reverse("track", args=[case.tracking_token]))


@never_cache
@require_GET
def report_received(request: HttpRequest) -> HttpResponse:
    case = _last_report(request)
    if case is None:
        return render(request, "portal/journey/no_receipt.html")
    return render(
        request,
        "portal/journey/report_received.html",
        {"case": case, "tracking_url": tracking_url(request, case)},
    )


@never_cache
@require_GET
def report_receipt(request: HttpRequest) -> HttpResponse:
    """The receipt as a page made for printing."""
    case = _last_report(request)
    if case is None:
        return render(request, "portal/journey/no_receipt.html")
    return render(
        request,
        "portal/journey/receipt.html",
        {"case": case, "tracking_url": tracking_url(request, case)},
    )


@never_cache
@require_GET
def report_receipt_text(request: HttpRequest) -> HttpResponse:
    case = _last_report(request)
    if case is None:
        return render(request, "portal/journey/no_receipt.html", status=404)
    response = HttpResponse(
        services.receipt_text(case, tracking_url(request, case)), content_type="text/plain; charset=utf-8"
    )
    filename = _("receipt-%(number)s.txt") % {"number": case.number}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Track ------------------------------------------------------------------------------------


def not_found(request: HttpRequest, *, lookup: bool = False) -> HttpResponse:
    """One friendly page for every token or case that does not exist, in the reader's language."""
    return render(request, "portal/journey/not_found.html", {"lookup": lookup}, status=404)


def too_many_lookups(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/journey/too_many_lookups.html", status=429)
    # Django logs every 4xx with its path, and this path may hold a citizen's real tracking token.
    # Marking the response as logged (Django's own flag, see django.utils.log.log_response) keeps the
    # secret out of the log; the throttle itself is the record that matters.
    response._has_been_logged = True
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Find a case from the receipt. With the tracking code: the case's own page (reply, reopen, survey).
    With the number alone: its public view. The same answer for every kind of failure."""
    form = LookupForm(request.POST or None)
    if request.method == "POST":
        if services.lookups_blocked(request):
            return too_many_lookups(request)
        if form.is_valid():
            code, number = form.cleaned_data["code"], form.cleaned_data["number"]
            if code:
                case = services.find_by_lookup(code, number)
                if case is not None:
                    return redirect("track", token=case.tracking_token)
                message = _("We could not find a case with that tracking code and number. Check them against your receipt.")
            else:
                case = services.find_public_by_number(number)
                if case is not None:
                    return redirect("track_public", number=case.number)
                message = _("We could not find a case with that number. Check it against your receipt.")
            services.record_failed_lookup(request)
            form.add_error("number" if not code else "code", message)
    return render(request, "portal/journey/track_lookup.html", {"form": form})


@require_GET
def track_public(request: HttpRequest, number: str) -> HttpResponse:
    """The public view of a case found by its number: only what Open311 publishes (state, category,
    institution, dates, public timeline). Never a sensitive case; no forms: acting needs the code."""
    if services.lookups_blocked(request):
        return too_many_lookups(request)
    case = services.find_public_by_number(number)
    if case is None:
        services.record_failed_lookup(request)
        return not_found(request, lookup=True)
    response = render(
        request,
        "portal/journey/track_public.html",
        {
            "case": case,
            "timeline": services.public_timeline(case),
            "state_tag": services.STATE_TAGS.get(case.state, ""),
            "lookup_url": reverse("track_lookup"),
        },
    )
    response["Cache-Control"] = "no-cache"
    return response


def _case_for_token(request: HttpRequest, token: str) -> Case:
    """The case, or Http404 (counted as a failed lookup). Raises TooManyLookups when throttled."""
    if services.lookups_blocked(request):
        raise TooManyLookups
    case = services.find_by_token(token)
    if case is None:
        services.record_failed_lookup(request)
        raise Http404
    return case


class TooManyLookups(Exception):
    pass


def token_view(view):
    """Resolve the token to a case, answering throttled and unknown tokens with friendly pages."""

    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        try:
            case = _case_for_token(request, token)
        except TooManyLookups:
            return too_many_lookups(request)
        except Http404:
            return not_found(request)
        response = view(request, case, *args, **kwargs)
        # A page reached by a secret link must not stay in shared caches.
        response["Cache-Control"] = "no-store"
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _track_context(request: HttpRequest, case: Case, **forms) -> dict:
    sensitive = case.category.sensitive
    return {
        "case": case,
        "sensitive": sensitive,
        "timeline": services.public_timeline(case),
        "photos": [] if sensitive else case.attachments.filter(public=True, content_type__startswith="image/"),
        "files_received": case.attachments.count() if sensitive else 0,
        "reply_form": forms.get("reply_form") or (ReplyForm() if case.state == State.WAITING_CITIZEN else None),
        "question": case.events.filter(kind=CaseEvent.Kind.INFO_REQUESTED).order_by("-created_at", "-pk").first()
        if case.state == State.WAITING_CITIZEN
        else None,
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if services.can_reopen(case) else None),
        "reopen_until": services.reopen_deadline(case),
        "state_tag": services.STATE_TAGS.get(case.state, ""),
        "survey_open": case.can_be_surveyed(),
        "reply_max": REPLY_MAX_LENGTH,
        "max_upload_mb": settings.CASE_MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@require_GET
@token_view
def track(request: HttpRequest, case: Case) -> HttpResponse:
    return render(request, "portal/journey/track.html", _track_context(request, case))


@require_http_methods(["GET", "POST"])
@token_view
def track_reply(request: HttpRequest, case: Case) -> HttpResponse:
    if request.method == "GET":  # a reload or a bookmark of the form's address: show the case
        return redirect("track", token=case.tracking_token)
    if case.state != State.WAITING_CITIZEN:
        messages.error(request, _("This case is not waiting for an answer from you."))
        return redirect("track", token=case.tracking_token)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply_to_request(case, form.cleaned_data["reply"], form.cleaned_data["photos"])
        except InvalidTransition:
            messages.error(request, _("This case is not waiting for an answer from you."))
        else:
            messages.success(request, _("Thank you. Your answer was sent to the entity in charge."))
        return redirect("track", token=case.tracking_token)
    return render(request, "portal/journey/track.html", _track_context(request, case, reply_form=form))


@require_http_methods(["GET", "POST"])
@token_view
def track_reopen(request: HttpRequest, case: Case) -> HttpResponse:
    if request.method == "GET":
        return redirect("track", token=case.tracking_token)
    if not services.can_reopen(case):
        messages.error(request, _("This case can no longer be reopened. Please file a new report."))
        return redirect("track", token=case.tracking_token)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            citizen_reopen(case, form.cleaned_data["reason"], channel=Channel.WEB)
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The case was reopened. The entity in charge will look at it again."))
        return redirect("track", token=case.tracking_token)
    return render(request, "portal/journey/track.html", _track_context(request, case, reopen_form=form))


@require_http_methods(["GET", "POST"])
@token_view
def track_confirm(request: HttpRequest, case: Case) -> HttpResponse:
    """The citizen says the resolved case is solved: it closes (staff cannot close cases themselves)."""
    if request.method == "GET":
        return redirect("track", token=case.tracking_token)
    try:
        citizen_confirm_solved(case, channel=Channel.WEB)
    except InvalidTransition:
        messages.error(request, _("Only a resolved case can be confirmed as solved."))
    else:
        messages.success(request, _("Thank you. The case is closed."))
    return redirect("track", token=case.tracking_token)


# --- Survey -----------------------------------------------------------------------------------
#
# One question per page (docs/portal.md): "Was the problem solved?" first. For a resolved case that answer is
# also the citizen's word on the resolution, through the same services as the tracking page's buttons:
# "yes" closes the case (citizen_confirm_solved), "no" offers to reopen it (citizen_reopen) instead. Then the
# rating (satisfaction, the SDG 16.6.2 statements, a comment), which records the survey with the first answer.
# That answer travels in the address of the rating page (?resuelto=si|no): not personal data, no session.

SOLVED_PARAM = "resuelto"
SOLVED_VALUES = {"si": True, "no": False}


def _survey_context(case: Case, **extra) -> dict:
    error = extra.pop("error", None)
    return {
        "case": case,
        "available": case.can_be_surveyed(),
        "answered": SurveyResponse.objects.filter(case=case).exists(),
        "error": error,
        "error_items": [("", error)] if error else [],
        **extra,
    }


def _rating_url(case: Case, solved: bool) -> str:
    value = next(key for key, meaning in SOLVED_VALUES.items() if meaning is solved)
    return f"{reverse('survey_rating', args=[case.tracking_token])}?{SOLVED_PARAM}={value}"


def _resolution(case: Case) -> CaseEvent | None:
    """The institution's last answer, so that the citizen judges it without going back to the timeline."""
    return case.events.filter(kind=CaseEvent.Kind.RESOLVED, public=True).order_by("-created_at", "-pk").first()


def _solved_hint(case: Case) -> str:
    """What the first answer will do: "close_or_reopen" (yes closes, no may reopen), "close", "reopen" or nothing."""
    reopenable = services.can_reopen(case)
    if case.state == State.RESOLVED:
        return "close_or_reopen" if reopenable else "close"
    return "reopen" if reopenable else ""


@require_http_methods(["GET", "POST"])
@token_view
def survey(request: HttpRequest, case: Case) -> HttpResponse:
    """The first question. Yes: a resolved case closes (a case the auto-close job closed stays closed), then
    the rating. No: the offer to reopen the case, or to go on to the rating without reopening it."""
    form = SolvedForm(request.POST or None)
    error = None
    if request.method == "POST":
        if not case.can_be_surveyed():
            error = str(SurveyNotAvailable())
        elif form.is_valid():
            if form.cleaned_data["solved"] == "no":
                return redirect("survey_reopen", token=case.tracking_token)
            if case.state == State.RESOLVED:
                try:
                    citizen_confirm_solved(case, channel=Channel.WEB)
                except InvalidTransition:
                    pass  # closed or reopened meanwhile: the rating page looks at the case again
                else:
                    messages.success(request, _("Thank you. The case is closed."))
            return redirect(_rating_url(case, True))
    return render(
        request,
        "portal/journey/survey.html",
        _survey_context(
            case,
            form=form,
            error=error,
            resolution=_resolution(case),
            # What the answer will do: close a resolved case; for a closed one, "no" can still reopen it.
            hint=_solved_hint(case),
            reopen_until=services.reopen_deadline(case),
        ),
    )


@require_http_methods(["GET", "POST"])
@token_view
def survey_reopen(request: HttpRequest, case: Case) -> HttpResponse:
    """After "no": reopen the case instead of closing it (within the reopen window), or go on to the rating."""
    if not case.can_be_surveyed():
        return redirect("survey", token=case.tracking_token)  # which says why
    reopenable = services.can_reopen(case)
    form = ReopenForm(request.POST or None) if reopenable else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            citizen_reopen(case, form.cleaned_data["reason"], channel=Channel.WEB)
        except InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("survey_reopen", token=case.tracking_token)
        messages.success(request, _("The case was reopened. The entity in charge will look at it again."))
        return redirect("track", token=case.tracking_token)
    return render(
        request,
        "portal/journey/survey_reopen.html",
        _survey_context(
            case,
            form=form,
            reopen_until=services.reopen_deadline(case),
            reopen_days=settings.CASE_REOPEN_WINDOW_DAYS,
            rating_url=_rating_url(case, False),
            reply_max=REPLY_MAX_LENGTH,
        ),
    )


@require_http_methods(["GET", "POST"])
@token_view
def survey_rating(request: HttpRequest, case: Case) -> HttpResponse:
    """The rating, recorded with the first answer (`?resuelto=` on the way in, a hidden field on the way out)."""
    data = request.POST if request.method == "POST" else request.GET
    solved = SOLVED_VALUES.get(data.get(SOLVED_PARAM, ""))
    if solved is None or (solved and case.state == State.RESOLVED):
        # The first question comes first, and "yes" closes a resolved case there.
        return redirect("survey", token=case.tracking_token)
    form = SurveyForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            submit_survey(
                case,
                int(form.cleaned_data["satisfaction"]),
                solved,
                form.cleaned_data["comment"],
                sdg=form.sdg_answers(),
            )
        except SurveyNotAvailable as exc:
            error = str(exc)
        else:
            messages.success(request, _("Thank you for answering. Your opinion helps improve public services."))
            return redirect("track", token=case.tracking_token)
    return render(
        request,
        "portal/journey/survey_rating.html",
        _survey_context(
            case,
            form=form,
            error=error,
            solved_param=SOLVED_PARAM,
            solved_value="si" if solved else "no",
            comment_max=SURVEY_COMMENT_MAX_LENGTH,
        ),
    )


# --- Files ------------------------------------------------------------------------------------


@require_GET
def attachment_public(request: HttpRequest, pk: int) -> HttpResponse:
    """A public photo of a case anyone may read (tracking page, Open311 media_url). Nothing else."""
    attachment = (
        Attachment.objects.filter(pk=pk, public=True, content_type__startswith="image/", case__in=Case.objects.public())
        .only("file", "content_type")
        .first()
    )
    if attachment is None:
        return not_found(request)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        return not_found(request)
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response

