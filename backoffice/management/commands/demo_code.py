"""Print the current TOTP code of the demo secret (docs/demo.md), for trying the demo without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from backoffice.demo import DEMO_TOTP_SECRET, demo_key_hex


class Command(BaseCommand):
    help = "Print the current code for the demo accounts' published TOTP secret (demo only)."

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError("demo_code works only in the demo (DEMO=1): real accounts have secrets of their own.")
        code = totp(bytes.fromhex(demo_key_hex()), step=30, t0=0, digits=6)
        self.stdout.write(f"{code:06d}  (secret {DEMO_TOTP_SECRET})")
