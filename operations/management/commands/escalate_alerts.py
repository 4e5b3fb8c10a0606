"""`ventanilla escalate_alerts`: escalate the alerts and dispatches that waited too long (the scheduler
runs it every minute; by hand it does one pass)."""

from django.core.management.base import BaseCommand

from operations.jobs import escalate_overdue_alerts


class Command(BaseCommand):
    help = "Escalate unacknowledged alerts and unanswered dispatches to the shift supervisors."

    def handle(self, *args, **options) -> None:
        numbers = escalate_overdue_alerts()
        self.stdout.write(f"{len(numbers)} escalated" + (f": {', '.join(numbers)}" if numbers else ""))
