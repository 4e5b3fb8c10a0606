"""ASGI entry point: HTTP through Django, WebSockets (operations board) through Channels."""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
django_asgi_app = get_asgi_application()

from ventanilla import serverlog  # noqa: E402
from ventanilla.routing import websocket_urlpatterns  # noqa: E402  (needs the app registry)

# Whatever server imports this module, its access log redacts tracking tokens (ventanilla/serverlog.py).
serverlog.install()

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": URLRouter(websocket_urlpatterns)})
