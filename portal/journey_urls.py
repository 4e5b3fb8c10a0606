"""Report, track and survey pages (the 311 journey)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
