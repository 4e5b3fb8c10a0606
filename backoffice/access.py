"""Who may open the back office at all. Which cases they see is decided by `Case.objects.visible_to()`
and what they may do by `cases.permissions`; this only keeps out people with no staff role."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from entities.querysets import Roles


def staff_required(view):
    """A signed-in member of staff (any back-office role, or an administrator)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not Roles.of(request.user).is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
