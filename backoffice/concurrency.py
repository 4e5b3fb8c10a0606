"""The optimistic check of the case page: a form carries the id of the last event its reader saw; an
action runs only if no event was written since, under the case's row lock, so of two members acting at
the same moment the second is told what changed and nothing of theirs is applied."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

from cases.models import Case, CaseEvent


class CaseChanged(Exception):
    """Someone changed the case after the form was shown. `events` are the newer events."""

    def __init__(self, events: list[CaseEvent]) -> None:
        self.events = events
        super().__init__(f"{len(events)} new event(s)")


def version_of(case: Case) -> int:
    return CaseEvent.objects.filter(case_id=case.pk).order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def unchanged_since(case: Case, version: int):
    """Lock the case; raise CaseChanged if it has events newer than `version`; else run the block in the
    same transaction (a service's own atomic block nests inside it)."""
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
        newer = list(
            CaseEvent.objects.filter(case_id=case.pk, pk__gt=version).select_related("actor").order_by("pk")
        )
        if newer:
            raise CaseChanged(newer)
        yield
