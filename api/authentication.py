"""Token authentication that refuses malformed keys before looking them up.

DRF keys are 40 hexadecimal characters; anything else (including bytes the database cannot store in a
text column) is an invalid token, answered with 401 like an unknown one."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class StrictTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
