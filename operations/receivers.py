"""Every urgent case gets its alert, whichever channel filed it (portal form, Open311, REST API, back
office, /alerta/, CAP, sensors): the case's first event opens it, inside the intake transaction."""

from __future__ import annotations

from django.dispatch import receiver

from cases.events import event_recorded
from cases.models import CaseEvent


@receiver(event_recorded, dispatch_uid="operations.open_alert")
def open_alert(sender, event: CaseEvent, **kwargs) -> None:
    if event.kind not in (CaseEvent.Kind.CREATED, CaseEvent.Kind.CATEGORY_CHANGED):
        return
    case = event.case
    if not case.category.urgent or case.category.sensitive:
        return
    from .models import Alert
    from .services import open_alert_for, pending_details

    if event.kind == CaseEvent.Kind.CATEGORY_CHANGED and Alert.objects.filter(case=case).exists():
        return
    open_alert_for(case, pending_details() if event.kind == CaseEvent.Kind.CREATED else None)
