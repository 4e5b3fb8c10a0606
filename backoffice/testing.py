"""Test helpers other apps' tests use to reach the back office."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import start_session


def device_for(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Ventanilla", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"


def login_verified(client, user) -> TOTPDevice:
    """Sign a Django test client in with a verified second factor. The session cookie it gets works in a
    Playwright context too: `context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])`."""
    device = device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    class _Request:
        pass

    request = _Request()
    request.session = session
    start_session(request, user)
    session.save()
    return device
