"""django-axes' lockout in front of the ordinary model backend (settings.AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username and client address are locked out.

    A call without a request is not a sign-in from the web (the test client's `login()`, a shell): there is
    no client address to lock, so it passes to the next backend instead of failing as axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
