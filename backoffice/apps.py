from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "backoffice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import options

        # The cached select options follow changes to categories, districts and entities.
        options.connect()
