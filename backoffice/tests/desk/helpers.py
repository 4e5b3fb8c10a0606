"""Signing in for the desk tests. One place, so that when the back office requires the second factor
(backoffice.testing.login_verified) only this function changes."""

from __future__ import annotations


def login(client, user):
    client.force_login(user)
    return client
