"""Anonymous complaints to the oversight body (sensitive categories, e.g. corruption).

The complainant's safety depends on us knowing nothing about them: no account, no contact details, no
IP address or user agent kept anywhere. Django's request logging writes only the path; these views also
remove the client's address and browser headers from the request before anything else can read them,
so an error report (which would copy the request's headers) carries neither. A signed-in visitor is
treated as nobody, so the audit history (django-simple-history records the request's user) cannot tie
them to the complaint. The tracking code is shown once, on the page right after sending, and never again.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Category

from . import services
from .forms import ComplaintForm
from ..citizen_service import oversight_names
from .views import location_context, not_found, tracking_url

# The session key that holds a tracking code until its confirmation page shows it (set in services).
ONE_TIME_KEY = services.ONE_TIME_KEY

# What identifies the sender's device or network. Proxies add their own variants.
CLIENT_HEADERS = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)


def forget_client(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        for header in CLIENT_HEADERS:
            request.META.pop(header, None)
        request.user = AnonymousUser()
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


@forget_client
@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest) -> HttpResponse:
    if not Category.objects.sensitive().exists():
        return not_found(request)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        case = services.file_case(
            form.new_case(),
            form.uploads,
            categories=Category.objects.sensitive(),
            reporter_user=None,
            allow_pdf=True,
        )
        services.show_once(request, case)
        return redirect("complaint_received")
    return render(
        request,
        "portal/journey/complaint_form.html",
        {
            "form": form,
            "categories": form.complaint_categories,
            "photos_lost": form.is_bound and bool(request.FILES) and not form.errors.get("photos"),
            "oversight": ", ".join(oversight_names()),
            **location_context(),
        },
    )


@forget_client
@never_cache
@require_GET
def complaint_received(request: HttpRequest) -> HttpResponse:
    """Shown once: the session flag is removed as the page is built, so a reload finds nothing.

    Also the confirmation of anonymous reports filed through /reportar/, for the same reasons."""
    case = services.take_once(request)
    if case is None:
        return render(request, "portal/journey/complaint_gone.html")
    url = tracking_url(request, case)
    response = render(
        request,
        "portal/journey/complaint_received.html",
        {
            "case": case,
            "tracking_url": url,
            "receipt": services.receipt_text(case, url),
            # Switching language would reload the page, and it cannot be shown a second time.
            "language_links": [],
        },
    )
    # The page holds the secret link: not even our own pages learn where the visitor came from. (Not on
    # the form, where browsers would then send "Origin: null" and fail the CSRF check.)
    response["Referrer-Policy"] = "no-referrer"
    return response

