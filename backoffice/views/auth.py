"""Sign-in (password, then TOTP code; QR enrolment on the first sign-in), sign-out, sign-out everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import signin
from ..forms import CodeForm, PasswordForm
from ..models import SessionEpoch


def _next_url(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("backoffice:queue")


def _locked_out(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/auth/locked_out.html", status=429)


@require_http_methods(["GET", "POST"])
def signin_password(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        if user is None:
            form.add_error(None, _("The username or the password is not right."))
        else:
            signin.begin(request, user, next_url)
            if signin.confirmed_device(user) is None:
                return redirect("backoffice:signin_enrol")
            return redirect("backoffice:signin_code")
    expired = getattr(request, "session_expired", False) or request.GET.get("caducada") == "1"
    return render(request, "backoffice/auth/signin.html", {"form": form, "next": next_url, "expired": expired})


def _second_step(request: HttpRequest, *, enrol: bool) -> HttpResponse:
    state = signin.pending(request)
    if state is None:
        messages.info(request, _("Sign in again: the time for the code ran out."))
        return redirect("backoffice:signin")
    if signin.is_locked(request, state.user.get_username()):
        return _locked_out(request)
    device = signin.confirmed_device(state.user)
    if enrol and device is not None:
        return redirect("backoffice:signin_code")
    if not enrol and device is None:
        return redirect("backoffice:signin_enrol")
    if enrol:
        device = signin.enrolment_device(state.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.check_code(request, state, device, form.cleaned_data["code"]):
            if enrol:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            signin.finish(request, state, device)
            return redirect(state.next_url)
        if signin.is_locked(request, state.user.get_username()):
            return _locked_out(request)
        form.add_error("code", _("That code is not right. Use the code your app shows now."))
    context = {"form": form, "enrol": enrol}
    if enrol:
        context.update(qr=signin.qr_svg(device), secret=signin.base32_secret(device))
    return render(request, "backoffice/auth/code.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    return _second_step(request, enrol=False)


@require_http_methods(["GET", "POST"])
def signin_enrol(request: HttpRequest) -> HttpResponse:
    return _second_step(request, enrol=True)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You signed out."))
    return redirect("backoffice:signin")


@require_POST
def signout_everywhere(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        SessionEpoch.bump(request.user)
    logout(request)
    messages.success(request, _("You signed out on every device and browser."))
    return redirect("backoffice:signin")
