"""The one door from the operations board to the notifications outbox.

The notifications app provides `notifications.services.notify_staff(user, subject, body, *, key)`
(an outbox row, sent by its workers; `key` makes a repeated call send once). Until it is there, the
escalation is still recorded as an `OpsEvent` so that nothing is lost and tests can see it.
"""

from __future__ import annotations

import logging

from .models import OpsEvent, OpsSequence

logger = logging.getLogger(__name__)


def _notify_staff():
    try:
        from notifications.services import notify_staff
    except ImportError:
        return None
    return notify_staff


def escalate_to(user, subject: str, body: str, key: str) -> bool:
    """Tell one member of staff; True when the notifications outbox took the message."""
    notify_staff = _notify_staff()
    if notify_staff is not None:
        notify_staff(user, subject, body, key=key)
        return True
    if not OpsEvent.objects.filter(kind="notification", payload__key=key, payload__user=user.pk).exists():
        OpsEvent.objects.create(
            seq=OpsSequence.next(), kind="notification", payload={"user": user.pk, "subject": subject, "body": body, "key": key}
        )
    # User ids only: names and addresses stay out of the logs (docs/privacy.md).
    logger.info("operations escalation %s recorded for user %s (no notifications outbox)", key, user.pk)
    return False
