"""`ventanilla publish_figures [YYYY-MM]`: publish a complete month (the last one by default).

    ventanilla publish_figures                       # last month, if not yet published
    ventanilla publish_figures 2026-03               # that month
    ventanilla publish_figures 2026-03 --republish --note "Why"   # a new revision, the old one kept
    ventanilla publish_figures 2026-03 --ckan        # (re)send a published month to the CKAN portal
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from transparency.ckan import publish_to_ckan_if_configured
from transparency.jobs import publish_month, republish_month


class Command(BaseCommand):
    help = "Compute and freeze a month's published figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("month", nargs="?", help="YYYY-MM (default: the last complete month)")
        parser.add_argument("--republish", action="store_true", help="publish again as a new revision")
        parser.add_argument("--note", default="", help="why it is published again (required with --republish)")
        parser.add_argument("--ckan", action="store_true", help="send the published month to the CKAN portal again")

    def handle(self, *args, **options) -> None:
        if options["month"]:
            match = re.fullmatch(r"(\d{4})-(\d{2})", options["month"])
            if not match:
                raise CommandError("Give the month as YYYY-MM.")
            year, month = int(match[1]), int(match[2])
        else:
            now = timezone.localtime()
            year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
        try:
            if options["republish"]:
                published = republish_month(year, month, options["note"])
            else:
                published = publish_month(year, month)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["ckan"] and not publish_to_ckan_if_configured(published):
            raise CommandError("The CKAN portal is not configured or refused the publication (see the log).")
        self.stdout.write(f"{published.key}: revision {published.revision}, published {published.published_at:%Y-%m-%d %H:%M}")
