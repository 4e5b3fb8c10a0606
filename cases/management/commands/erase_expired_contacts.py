"""ventanilla erase_expired_contacts: apply the contact-data retention rule now (cases/retention.py).

The scheduled job (Celery beat, daily) runs the same function; this command is for a server without a
worker, from cron, and for checking a deployment.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from cases.retention import erase_expired_contacts


class Command(BaseCommand):
    help = "Erase the contact data of cases that ended more than CONTACT_RETENTION_MONTHS months ago."

    def handle(self, *args, **options) -> None:
        erased = erase_expired_contacts()
        self.stdout.write(
            f"Contact data erased for {erased} case(s) ended more than {settings.CONTACT_RETENTION_MONTHS} months ago."
        )
