"""Fill the database with realistic generated cases, for load tests and benchmarks (see docs/demo.md)."""

from django.core.management.base import BaseCommand, CommandError

from demodata.generator import GenerationError
from demodata.store import WRITERS, generate_cases


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate COUNT realistic cases with their timelines: over the last twelve months up to 2.5 million cases, "
        "over one more year per 2.5 million (a big city's year), growing year by year; --years sets the span. "
        "The same --seed gives the same cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=positive, required=True, help="How many cases.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same cases (default 2026).")
        parser.add_argument("--batch", type=positive, default=10_000, help="Cases per transaction (default 10,000).")
        parser.add_argument("--years", type=positive, default=None, help="Years the cases span (default: from --count).")
        parser.add_argument(
            "--writers", type=int, default=WRITERS, help=f"PostgreSQL connections writing in parallel (default {WRITERS})."
        )

    def handle(self, *args, count, seed, batch, writers, years, **options):
        verbosity = options["verbosity"]

        def progress(result) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {result.cases:,} cases ({result.cases_per_second:,.0f} cases/s)")

        try:
            result = generate_cases(count, seed=seed, batch_size=batch, progress=progress, writers=max(writers, 0), years=years)
        except GenerationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Generated {result.cases:,} cases and {result.events:,} events in {result.seconds:.1f} s: "
            f"{result.cases_per_second:,.0f} cases/s, {result.events_per_second:,.0f} events/s."
        )
