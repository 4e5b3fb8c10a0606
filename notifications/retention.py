"""Erasing personal data from messages when the contact data of their cases expires (the retention job
of cases/ calls this for the cases it erases)."""

from __future__ import annotations

from django.db import transaction

from .models import Message


@transaction.atomic
def erase_message_personal_data(case_ids) -> int:
    """Blank the recipient address, subject and bodies of the citizen messages of these cases; pending
    ones are cancelled (there is nobody left to send them to). Returns how many messages were changed.
    Staff messages keep their address: it is a work address, not the reporter's."""
    messages = Message.objects.filter(case_id__in=list(case_ids), recipient_user__isnull=True).exclude(to="", body="")
    pending = [Message.Status.PENDING, Message.Status.SENDING]
    messages.filter(status__in=pending).update(status=Message.Status.CANCELLED, last_error="Contact data erased.")
    return messages.update(to="", subject="", body="", html="", provider_reference="", rendered=True)
