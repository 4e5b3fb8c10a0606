from django.apps import AppConfig


class DemodataConfig(AppConfig):
    """Generated demo and benchmark cases: kept apart from `cases/` so a reader of the domain model does not step over it."""

    name = "demodata"
    verbose_name = "Demo data"
