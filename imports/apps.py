from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Legacy 311 history (New York's and Los Angeles' open data, any CSV with a mapping) into cases."""

    name = "imports"
    verbose_name = "Legacy imports"
