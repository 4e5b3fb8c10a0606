"""The unsubscribe link of every e-mail: a signed token naming the case, so the link works without
signing in and cannot be forged for another case. It grants nothing but stopping messages."""

from __future__ import annotations

from django.core import signing

from cases.models import CaseContact

SALT = "notifications.unsubscribe"


def unsubscribe_token(case) -> str:
    return signing.dumps(case.pk, salt=SALT, compress=False)


def contact_for_token(token: str) -> CaseContact | None:
    try:
        case_pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return CaseContact.objects.filter(case_id=case_pk).select_related("case").first()
