"""Celery tasks of the cases app: thin wrappers around services."""

from celery import shared_task

from .retention import erase_expired_contacts


@shared_task(name="cases.erase_expired_contacts")
def erase_expired_contacts_task() -> int:
    return erase_expired_contacts()
