from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases.events import event_recorded

        from .services import on_event_recorded

        # Inside the change's transaction: the outbox rows commit or roll back with the change.
        event_recorded.connect(on_event_recorded, dispatch_uid="notifications.outbox")

        from ventanilla.metrics import register_gauge

        from .models import Message

        # Prometheus (/metrics): a growing outbox is the first sign that a provider is failing.
        register_gauge(
            "ventanilla_outbox_pending",
            "Messages waiting in the notifications outbox",
            lambda: Message.objects.filter(status=Message.Status.PENDING).count(),
        )
