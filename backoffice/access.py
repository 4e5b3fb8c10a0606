"""Who may open the back office at all. Which cases they see is decided by `Case.objects.visible_to()`
and what they may do by `cases.permissions`; this only keeps out people with no staff role, and people
whose session has not passed the second factor (TOTP, backoffice/views/auth.py)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from entities.querysets import Roles


def is_verified(user) -> bool:
    """True when the session passed the second factor (django-otp's OTPMiddleware sets `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and check is not None and check())


def staff_required(view):
    """A signed-in member of staff (any back-office role, or an administrator) with a verified second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not is_verified(request.user):
            return redirect_to_login(request.get_full_path())
        if not Roles.of(request.user).is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def administrators_only(request) -> bool:
    """The Django admin: active superusers whose session passed the second factor."""
    return request.user.is_active and request.user.is_superuser and is_verified(request.user)


def admin_login(request, extra_context=None):
    """The admin signs in through the back office's sign-in page (one lockout, one second factor).
    A verified member of staff who is not an administrator is told that the admin is for administrators
    and where staff work, instead of the admin's bare "not authorised" (or a "wrong password" that would
    send them hunting for a typo)."""
    from django.contrib import admin
    from django.contrib.admin import AdminSite
    from django.shortcuts import render
    from django.urls import reverse

    if is_verified(request.user):
        if not request.user.is_superuser:
            return render(request, "backoffice/auth/not_administrator.html", status=403)
        return AdminSite.login(admin.site, request, extra_context)
    # In the admin's language: /en/admin/ signs in at /en/oficina/entrar/, /admin/ at /oficina/entrar/.
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("backoffice:signin"))


def admin_context(each_context):
    """The admin's pages in the site's language (the admin is mounted inside the language prefixes): "View
    site" leads to the home page in that language. The language switch is in ventanilla/templates/admin/."""

    def wrapper(request):
        from ventanilla.layout import localized_path

        return {**each_context(request), "site_url": localized_path("/")}

    return wrapper
