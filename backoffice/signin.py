"""The two steps of a back-office sign-in. Nobody is logged in (no authenticated session exists) until
both the password and the TOTP code have passed, so no other face of the site (the REST API's session
authentication, the admin) ever sees a session that skipped the second factor.

Failed codes count as failed sign-ins for django-axes, so the lockout (per username and client address)
covers both steps."""

from __future__ import annotations

import time
from dataclasses import dataclass

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model, login, user_login_failed
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import start_session

PENDING_KEY = "vt_signin_pending"


@dataclass
class Pending:
    user: object
    backend: str
    next_url: str


def begin(request, user, next_url: str) -> None:
    """The password was right: remember who is signing in until the code arrives."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
        "next": next_url,
    }


def pending(request) -> Pending | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data["at"] > settings.SIGNIN_SECOND_FACTOR_MINUTES * 60:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    return Pending(user, data["backend"], data["next"]) if user else None


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device shown as a QR code on the first sign-in (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Ventanilla", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno: no image library needed)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")


def base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_code(request, state: Pending, device: TOTPDevice, code: str) -> bool:
    """Verify the code; a wrong one is a failed sign-in for the lockout."""
    code = "".join(code.split())
    if code.isdigit() and device.verify_is_allowed()[0] and device.verify_token(code):
        return True
    user_login_failed.send(
        sender=__name__, credentials={"username": state.user.get_username()}, request=request
    )
    return False


def finish(request, state: Pending, device: TOTPDevice) -> None:
    """Both factors passed: log in, mark the session verified, start its idle clock and epoch."""
    request.session.pop(PENDING_KEY, None)
    login(request, state.user, backend=state.backend)
    otp_login(request, device)
    start_session(request, state.user)
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)
