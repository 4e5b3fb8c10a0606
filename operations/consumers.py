"""The board's WebSocket (`/ws/operaciones/`): joins the groups the user may hear, replays what a
reconnecting board missed (from the `OpsEvent` log), then forwards every new event.

Client messages: {"type": "resume", "since": <last sequence seen>} and {"type": "ping"}. Anything else,
or anything that is not JSON, is logged and ignored: a bad message never breaks the board.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from entities.querysets import Roles

from .models import OpsEvent
from .push import ALL_GROUP, agency_group, event_message
from .querysets import operates_board, sees_board

logger = logging.getLogger(__name__)

# Close code for "you may not see the board" (4000-4999 are the application's own).
FORBIDDEN = 4403


def board_groups(user) -> list[str]:
    if not sees_board(user):
        return []
    if operates_board(user):
        return [ALL_GROUP]
    return [agency_group(agency_id) for agency_id in sorted(Roles.of(user).dispatcher_entities)]


def missed_events(user, since: int) -> tuple[list[dict], bool]:
    """The events after `since` this user may see, oldest first; True when there were too many."""
    limit = settings.OPERATIONS_CATCHUP_LIMIT
    rows = list(
        OpsEvent.objects.visible_to(user).filter(seq__gt=since).select_related("alert__case").order_by("seq")[: limit + 1]
    )
    if len(rows) > limit:
        return [], True
    return [event_message(row, row.alert.case.number) for row in rows], False


def parse_since(value) -> int | None:
    try:
        since = int(value)
    except (TypeError, ValueError):
        return None
    return since if since >= 0 else None


class BoardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.joined: list[str] = []
        # Live events up to this sequence were already sent by a catch-up.
        self.replayed_until = 0
        groups = await database_sync_to_async(board_groups)(self.user)
        if not groups:
            await self.close(code=FORBIDDEN)
            return
        # Join before reading the log: an event committed in between is then heard live, never lost.
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        await self.accept()
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        since = parse_since((query.get("since") or [None])[0])
        if since is not None:
            await self.catch_up(since)

    async def disconnect(self, code) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def catch_up(self, since: int) -> None:
        messages, too_many = await database_sync_to_async(missed_events)(self.user, since)
        if too_many:
            await self.send_json({"type": "resync"})
            return
        for message in messages:
            await self.send_json(message)
            self.replayed_until = max(self.replayed_until, message["seq"])
        await self.send_json({"type": "caught_up", "seq": self.replayed_until or since})

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except (TypeError, ValueError):
            return None

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None:
            logger.warning("operations board: ignored a binary WebSocket message")
            return
        await self.receive_json(await self.decode_json(text_data))

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "resume" and parse_since(content.get("since")) is not None:
            await self.catch_up(parse_since(content.get("since")))
        else:
            # Logged without its content: a client may put anything in it.
            logger.warning("operations board: ignored a WebSocket message it does not understand (%s)", type(content).__name__)

    async def dispatch(self, message) -> None:
        # Channels closes stale database connections before every handler, through sync_to_async: a hop
        # to the one thread that runs all of this process's Django views. A live event touches no
        # database, so it is forwarded without the hop; in a storm that thread is busy filing alerts and
        # 100 boards waiting for it per event fell seconds behind. Everything else goes the usual way.
        if message.get("type") == "ops.event":
            await self.ops_event(message)
            return
        await super().dispatch(message)

    async def ops_event(self, event) -> None:
        if event["seq"] <= self.replayed_until:
            return
        await self.send(text_data=event["text"])
