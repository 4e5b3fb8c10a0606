"""Session rules for signed-in people: end a session after inactivity, and end every session of a user
who chose "sign out everywhere" (their SessionEpoch moved on)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

from .models import SessionEpoch

LAST_SEEN_KEY = "vt_seen"
EPOCH_KEY = "vt_epoch"
# Writing the session on every request would cost a database write per page; a minute is precise enough.
TOUCH_EVERY_SECONDS = 60


def start_session(request, user) -> None:
    """Called right after login(): the epoch this session belongs to, and its first activity."""
    request.session[EPOCH_KEY] = SessionEpoch.current(user.pk)
    request.session[LAST_SEEN_KEY] = int(time.time())


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            seen = session.get(LAST_SEEN_KEY)
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            if seen is not None and now - seen > idle:
                logout(request)
                request.session_expired = True
            elif session.get(EPOCH_KEY, 0) != SessionEpoch.current(session.get(SESSION_KEY)):
                logout(request)
                request.session_expired = True
            elif seen is None or now - seen >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)
