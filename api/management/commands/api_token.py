"""Issue, rotate or revoke the REST API token of a staff member or an integration's user.

    ventanilla api_token alice             # prints alice's token (creates it the first time)
    ventanilla api_token alice --rotate    # a new token; the old one stops working
    ventanilla api_token alice --revoke    # no token any more

The token is printed alone on standard output so that a deployment script can capture it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import issue_token, revoke_token
from entities.querysets import Roles


class Command(BaseCommand):
    help = "Issue (or rotate, or revoke) a user's REST API token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="Replace the token; the old one stops working.")
        action.add_argument("--revoke", action="store_true", help="Delete the token.")

    def handle(self, *args, username: str, rotate: bool, revoke: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if revoke:
            revoked = revoke_token(user)
            self.stderr.write(f"Token of {username} revoked." if revoked else f"{username} had no token.")
            return
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        if not Roles.of(user).is_staff_member:
            # A token for a user with no role would open an API that shows them nothing; give the role first.
            raise CommandError(
                f"{username} has no back-office role. Give them a membership (agent, staff...) in the admin first."
            )
        self.stdout.write(issue_token(user, rotate=rotate).key)
