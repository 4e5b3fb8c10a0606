"""WebSocket routes. The operations board adds its consumer here."""

websocket_urlpatterns: list = []
