"""The demo's second factor: every demo account gets a TOTP device with ONE published secret
(docs/demo.md), so anybody trying the demo can sign in. Only ever called by load_demo, which refuses to
run outside the demo."""

from __future__ import annotations

from base64 import b32decode

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

# Published on purpose in docs/demo.md; protects nothing but a demo on a developer's machine.
DEMO_TOTP_SECRET = "VENTANILLADEMOSECRETOTPKEYSTAFF2"  # noqa: S105 - the demo's published TOTP secret (docs/demo.md), used only when DEMO is on


def demo_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_devices(usernames) -> int:
    """A confirmed device with the demo secret for each account that has none yet."""
    created = 0
    for user in get_user_model().objects.filter(username__in=list(usernames)):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo", key=demo_key_hex(), confirmed=True)
            created += 1
    return created
