"""WebSocket routes."""

from django.urls import path

from operations.consumers import BoardConsumer

websocket_urlpatterns: list = [
    path("ws/operaciones/", BoardConsumer.as_asgi()),
]
