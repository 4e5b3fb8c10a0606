"""`ventanilla worker`: the embedded background worker. It polls the outbox and runs the periodic jobs
of ventanilla/schedule.py in-process, so the demo needs no broker (`make demo` starts it beside the
web server). In production Celery worker + beat run the same jobs instead."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from ventanilla.schedule import EmbeddedScheduler, schedule


class Command(BaseCommand):
    help = "Send the outbox and run the periodic jobs without a broker (the embedded default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due once and exit.")
        parser.add_argument("--outbox-only", action="store_true", help="Only send messages; no other job.")
        parser.add_argument("--poll", type=float, default=None, help="Seconds between polls of the outbox.")

    def handle(self, *args, once: bool = False, outbox_only: bool = False, poll: float | None = None, **options) -> None:
        jobs = [job for job in schedule() if not outbox_only or job.name == "drain_outbox"]
        scheduler = EmbeddedScheduler(jobs)
        pause = poll if poll is not None else jobs[0].every_seconds
        self.stopping = False

        def stop(signum, frame) -> None:
            # Finish the message in hand, then leave: a claimed message is never abandoned mid-way.
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Worker started: {', '.join(job.name for job in jobs)}")
        while not self.stopping:
            for job in scheduler.due():
                if not connection.in_atomic_block:  # a long-lived process drops broken connections
                    close_old_connections()
                try:
                    outcome = job.run()
                except Exception as error:  # one failing job must not stop the others
                    self.stderr.write(f"{job.name} failed: {type(error).__name__}: {error}")
                else:
                    if outcome and not (isinstance(outcome, dict) and not any(outcome.values())):
                        self.stdout.write(f"{job.name}: {outcome}")
                scheduler.mark(job)
                if self.stopping:
                    break
            if once:
                break
            time.sleep(pause)
