"""Signing in for the desk tests: with the verified second factor every /oficina/ page requires."""

from __future__ import annotations

from backoffice.testing import login_verified


def login(client, user):
    login_verified(client, user)
    return client
