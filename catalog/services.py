"""Side effects of the public catalog: a citizen reports that a procedure's page is out of date."""

from __future__ import annotations

from django.conf import settings

from cases.models import Case, Category, Channel
from cases.services import create_case
from cases.validation import NewCase

from .models import Procedure

# The non-public category that collects these reports (data/jurisdictions/<code>/categories.json).
# The category's optional question "what is out of date?" (a multivaluelist attribute).
OUTDATED_ATTRIBUTE = "dato_incorrecto"


def report_outdated_information(
    procedure: Procedure,
    *,
    what_is_wrong: str,
    email: str = "",
    kinds: list[str] | None = None,
    language: str = "es",
    reporter_user=None,
) -> Case:
    """Open a case saying the procedure's page is wrong, sent to the entity that publishes it.

    The category is not public (the report form does not offer it), so the case is filed against every
    active category. Raises django's ValidationError, with nothing stored, when the input is not
    acceptable (empty or too long text, invalid email, unknown kind).
    """
    data = NewCase(
        category_code=settings.CATALOG_OUTDATED_CATEGORY,
        description=what_is_wrong,
        channel=Channel.WEB,
        attributes={OUTDATED_ATTRIBUTE: kinds} if kinds else {},
        contact_email=email,
        language=language,
    )
    return create_case(
        data,
        categories=Category.objects.active(),
        procedure=procedure,
        reporter_user=reporter_user if getattr(reporter_user, "is_authenticated", False) else None,
    )
