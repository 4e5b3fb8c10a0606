"""`ventanilla create_api_key NAME [--channel mobile|api]`: issue an Open311 key and print it once."""

from django.core.management.base import BaseCommand, CommandError

from open311.models import ApiKey


class Command(BaseCommand):
    help = "Issue an Open311 API key for an integrator. The key is printed once and only its hash is stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The integrator (organisation or app) the key is for.")
        parser.add_argument("--channel", choices=ApiKey.Channel.values, default=ApiKey.Channel.API)

    def handle(self, *args, name: str, channel: str, **options) -> None:
        if not name.strip():
            raise CommandError("Give the integrator's name.")
        key, raw_key = ApiKey.issue(name, channel)
        self.stderr.write(f"Issued key {key.prefix}… for {key.name} (channel {key.channel}). It will not be shown again.")
        self.stdout.write(raw_key)
