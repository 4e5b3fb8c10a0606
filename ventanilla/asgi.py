"""ASGI entry point: HTTP through Django, WebSockets (operations board) through Channels."""

import os

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
django_asgi_app = get_asgi_application()

from ventanilla import serverlog  # noqa: E402
from ventanilla.routing import websocket_urlpatterns  # noqa: E402  (needs the app registry)

# Whatever server imports this module, its access log redacts tracking tokens (ventanilla/serverlog.py).
serverlog.install()

# The board's socket knows its user from the session cookie, and only pages of this site may open it.
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
