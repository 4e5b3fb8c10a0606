"""Retention of reporters' contact data (Panama's Ley 81 de 2019; the privacy notice states the rule).

A case's contact details are kept while the case can still need them: until `CONTACT_RETENTION_MONTHS`
months after the case ended (closed, or rejected). Then `erase_expired_contacts` deletes them: the
`CaseContact` row (name, e-mail, phone, cédula and their normalised copies) and, through
`notifications.retention.erase_message_personal_data`, the copies in the message outbox. The case, its
timeline, its survey answer and every figure computed from them stay: none of them holds contact data.

The back office's access log (`backoffice.ContactAccess`: who viewed a contact, when) names the case and
the viewer, never the personal data, so its rows are kept: supervisors can still answer "who looked".
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Case, CaseContact, State

log = logging.getLogger(__name__)

ENDED_STATES = (State.CLOSED, State.REJECTED)
BATCH = 1000


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return months_before(now or timezone.now(), settings.CONTACT_RETENTION_MONTHS)


def expired_contacts(now: dt.datetime | None = None):
    return CaseContact.objects.filter(case__state__in=ENDED_STATES, case__closed_at__lt=retention_cutoff(now))


def _erase_copies(case_ids: list[int]) -> None:
    """The outbox keeps its own copy of addresses and texts; the notifications app erases it."""
    try:
        from notifications.retention import erase_message_personal_data
    except ImportError:
        return
    erase_message_personal_data(case_ids)


def erase_expired_contacts(now: dt.datetime | None = None) -> int:
    """Erase the contact data of cases that ended more than CONTACT_RETENTION_MONTHS ago; return how many
    contacts were erased. Idempotent; works in batches so a first run on a large database keeps locks short."""
    erased = 0
    while True:
        with transaction.atomic():
            batch = list(expired_contacts(now).order_by("pk").values_list("pk", "case_id")[:BATCH])
            if not batch:
                break
            case_ids = [case_id for _pk, case_id in batch]
            _erase_copies(case_ids)
            CaseContact.objects.filter(pk__in=[pk for pk, _case_id in batch]).delete()
            erased += len(batch)
    if erased:
        # Counts only: never who, never what.
        log.info("retention: erased the contact data of %d ended cases", erased)
    return erased


def cases_with_erased_contact(now: dt.datetime | None = None):
    """Ended cases past the retention period (whose contact data is, or will be on the next run, erased)."""
    return Case.objects.filter(state__in=ENDED_STATES, closed_at__lt=retention_cutoff(now))
