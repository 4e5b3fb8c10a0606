"""The Django admin's sign-in (/admin/login/): the admin is for administrators (superusers) only.

Django's own form answers "wrong username or password" to a member of staff whose password is right,
which sends them hunting for a typo. This form says what happened and where staff sign in instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class AdministratorsAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "not_administrator": _(
            "Your password is right, but this administration site is only for the platform's administrators. "
            "Staff of public institutions and 311 agents work in the back office: sign in at %(url)s."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        if user.is_active and not user.is_superuser:
            raise ValidationError(
                self.error_messages["not_administrator"], code="not_administrator", params={"url": settings.LOGIN_URL}
            )
        super().confirm_login_allowed(user)
