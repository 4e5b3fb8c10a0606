"""The board's WebSocket: every step is pushed with its sequence number, a reconnecting board catches
up from the log, dispatchers hear only their agency, and nonsense from a client breaks nothing."""

import json
import logging
import os
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from operations import services
from operations.consumers import BoardConsumer
from operations.models import OpsEvent
from ventanilla.testing import DAVID

from .helpers import file_flood

REDIS_LAYER = {
    "BACKEND": "channels_redis.core.RedisChannelLayer",
    # One prefix per process: parallel runs (xdist workers, SQLite and PostgreSQL) must not hear each other.
    "CONFIG": {"hosts": ["redis://127.0.0.1:6379/5"], "prefix": f"ventanilla-ops-test-{os.getpid()}"},
}


# The pub/sub layer (CHANNEL_LAYER=redis-pubsub): one PUBLISH per event, fanned out in each process.
REDIS_PUBSUB_LAYER = {**REDIS_LAYER, "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"}


@pytest.fixture(params=["memory", "redis", "redis-pubsub"])
def channel_layer(request, settings):
    if request.param == "redis":
        settings.CHANNEL_LAYERS = {"default": REDIS_LAYER}
    elif request.param == "redis-pubsub":
        settings.CHANNEL_LAYERS = {"default": REDIS_PUBSUB_LAYER}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield request.param
    channel_layers.backends.clear()


# Boards connect with a generous timeout (channels' default is one second): on a busy CI machine the Redis
# layer's first group_add can take longer, which says nothing about the board.
def board(user, since=None):
    path = "/ws/operaciones/" + (f"?since={since}" if since is not None else "")
    communicator = WebsocketCommunicator(BoardConsumer.as_asgi(), path)
    communicator.scope["user"] = user
    return communicator


def run(scenario) -> None:
    """Run an async scenario in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the test thread, where async_to_sync refuses to start another."""
    failure = []

    def target():
        try:
            async_to_sync(scenario)()
        except BaseException as error:  # re-raised in the test's thread
            failure.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def events(communicator, count):
    received = []
    while len(received) < count:
        message = await communicator.receive_json_from(timeout=20)
        if message["type"] == "event":
            received.append(message)
    return received


def test_boards_hear_every_step_and_catch_up_after_a_disconnect(transactional_ops, channel_layer):
    ops = transactional_ops

    async def scenario():
        one, two = board(ops.operator), board(ops.operator2)
        assert (await one.connect(timeout=20))[0] and (await two.connect(timeout=20))[0]
        alert = await sync_to_async(file_flood)(ops.world)
        [created_one] = await events(one, 1)
        [created_two] = await events(two, 1)
        assert created_one == created_two
        assert created_one["kind"] == "created" and created_one["number"] == alert.case.number
        assert created_one["data"]["state"] == "new"

        await two.disconnect()
        await sync_to_async(services.acknowledge)(alert, ops.operator)
        second = await sync_to_async(file_flood)(ops.world, point=DAVID)
        live = await events(one, 2)
        assert [m["kind"] for m in live] == ["acknowledged", "created"]

        back = board(ops.operator2, since=created_two["seq"])
        assert (await back.connect(timeout=20))[0]
        missed = await events(back, 2)
        assert missed == live
        assert (await back.receive_json_from(timeout=20)) == {"type": "caught_up", "seq": live[-1]["seq"]}
        assert missed[0]["data"]["claimed_by"] == "oscar" and missed[1]["number"] == second.case.number
        # After the catch-up, live events flow on, none twice.
        await sync_to_async(services.dispatch)(alert, ops.operator, [ops.bomberos.pk])
        [dispatched] = await events(back, 1)
        assert dispatched["kind"] == "dispatched" and dispatched["seq"] > live[-1]["seq"]
        assert await back.receive_nothing(timeout=0.3)
        for communicator in (one, back):
            await communicator.disconnect()

    run(scenario)


def test_dispatchers_hear_only_what_is_dispatched_to_their_agency(transactional_ops, settings):
    ops = transactional_ops

    async def scenario():
        fire = board(ops.fire_dispatcher)
        assert (await fire.connect(timeout=20))[0]
        alert = await sync_to_async(file_flood)(ops.world)
        other = await sync_to_async(file_flood)(ops.world, point=DAVID)
        await sync_to_async(services.acknowledge)(other, ops.operator)
        await sync_to_async(services.dispatch)(other, ops.operator, [ops.police.pk])
        assert await fire.receive_nothing(timeout=0.5)
        await sync_to_async(services.acknowledge)(alert, ops.operator)
        await sync_to_async(services.dispatch)(alert, ops.operator, [ops.bomberos.pk])
        [heard] = await events(fire, 1)
        assert heard["number"] == alert.case.number and heard["kind"] == "dispatched"
        await fire.disconnect()

        # Catching up from the start, they get only that alert's history.
        again = board(ops.fire_dispatcher, since=0)
        await again.connect(timeout=20)
        history = await events(again, 3)
        assert {m["number"] for m in history} == {alert.case.number}
        assert [m["kind"] for m in history] == ["created", "acknowledged", "dispatched"]
        await again.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["charlie", "alice", "anonymous"])
def test_citizens_and_entity_staff_cannot_open_the_board_socket(transactional_ops, who):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else getattr(transactional_ops.world, who)

    async def scenario():
        communicator = board(user)
        connected, code = await communicator.connect(timeout=20)
        assert not connected and code == 4403

    run(scenario)


def test_messages_it_does_not_understand_are_ignored_and_logged(transactional_ops, caplog):
    ops = transactional_ops

    async def scenario():
        communicator = board(ops.operator)
        await communicator.connect(timeout=20)
        await communicator.send_to(text_data="this is not json")
        await communicator.send_to(text_data='{"type": "launch_missiles"}')
        await communicator.send_to(text_data='[1, 2, 3]')
        await communicator.send_to(text_data='{"type": "resume", "since": "yesterday"}')
        await communicator.send_to(bytes_data=b"\x00\x01")
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=20) == {"type": "pong"}
        alert = await sync_to_async(file_flood)(ops.world)
        [created] = await events(communicator, 1)
        assert created["number"] == alert.case.number
        await communicator.disconnect()

    with caplog.at_level(logging.WARNING, logger="operations.consumers"):
        run(scenario)
    ignored = [r for r in caplog.records if r.name == "operations.consumers"]
    assert len(ignored) == 5


def test_a_board_far_behind_is_told_to_reload(transactional_ops, settings):
    settings.OPERATIONS_CATCHUP_LIMIT = 2
    ops = transactional_ops
    for _ in range(2):
        file_flood(ops.world)
    assert OpsEvent.objects.count() == 2

    async def scenario():
        communicator = board(ops.operator, since=0)
        await communicator.connect(timeout=20)
        assert (await communicator.receive_json_from(timeout=20))["type"] == "event"
        await communicator.disconnect()
        file_flood_async = sync_to_async(file_flood)
        await file_flood_async(ops.world)
        behind = board(ops.operator, since=0)
        await behind.connect(timeout=20)
        assert await behind.receive_json_from(timeout=20) == {"type": "resync"}
        await behind.disconnect()

    run(scenario)


def test_a_cap_update_and_cancel_posted_over_http_reach_every_board(transactional_ops, channel_layer):
    """CAP messages through the real intake (HTTP, sensor key): the Update is pushed to the operators'
    boards with the new severity, and the Cancel also to the board of the agency it was dispatched to."""
    from django.test import Client

    from open311.models import ApiKey

    from .cap_helpers import flood_cancel, flood_update, flood_warning, reference

    ops = transactional_ops
    key = ApiKey.issue("Red hidrometeorológica", ApiKey.Channel.SENSOR)[1]
    client = Client()

    def post(body: bytes) -> int:
        return client.post("/operaciones/cap/", data=body, content_type="application/cap+xml", HTTP_AUTHORIZATION=f"Bearer {key}").status_code

    # Warm up before the boards connect (URLconf, middleware, the OASIS schema's compilation): on a busy
    # machine a first request's seconds of work would otherwise run while the boards' Redis reads wait.
    from operations import cap

    cap.schema()
    assert client.get("/operaciones/cap/").status_code == 405

    async def scenario():
        one, two = board(ops.operator), board(ops.operator2)
        assert (await one.connect(timeout=20))[0] and (await two.connect(timeout=20))[0]
        assert await sync_to_async(post)(flood_warning()) == 201
        [created] = await events(one, 1)
        await events(two, 1)
        assert created["kind"] == "created" and created["data"]["severity"] == 4

        assert await sync_to_async(post)(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme", urgency="Expected")) == 200
        for communicator in (one, two):
            [updated] = await events(communicator, 1)
            assert updated["kind"] == "cap_update" and updated["number"] == created["number"]
            assert updated["seq"] > created["seq"]
            assert (updated["data"]["severity"], updated["data"]["urgency"]) == (5, "Expected")
        # The same Update again changes nothing and tells nobody.
        assert await sync_to_async(post)(flood_update("SINAPROC-2026-0001.2", reference(), severity="Extreme", urgency="Expected")) == 200
        assert await one.receive_nothing(timeout=0.3)

        from operations.models import Alert

        alert = await sync_to_async(Alert.objects.get)(case__number=created["number"])
        await sync_to_async(services.acknowledge)(alert, ops.operator)
        await sync_to_async(services.dispatch)(alert, ops.operator, [ops.bomberos.pk])
        await events(one, 2)
        fire = board(ops.fire_dispatcher)
        assert (await fire.connect(timeout=20))[0]
        assert await sync_to_async(post)(flood_cancel("SINAPROC-2026-0001.C", reference())) == 200
        for communicator in (one, fire):
            [cancelled] = await events(communicator, 1)
            assert cancelled["kind"] == "cancelled" and cancelled["data"]["state"] == "cancelled"
            assert cancelled["data"]["case_state"] == "resolved"
        for communicator in (one, two, fire):
            await communicator.disconnect()

    run(scenario)


def test_a_board_hears_live_events_while_a_slow_request_holds_the_views_thread(transactional_ops):
    """Django runs every sync view of a process in one thread. Live events must not queue behind it:
    in a storm that thread is busy filing alerts, and 100 boards each waiting for it fell seconds behind."""
    import asyncio
    import time

    from channels.layers import get_channel_layer

    from operations.push import ALL_GROUP

    ops = transactional_ops

    async def scenario():
        one = board(ops.operator)
        assert (await one.connect(timeout=20))[0]
        slow = asyncio.ensure_future(sync_to_async(time.sleep)(3))  # the views' thread, busy for 3 s
        await asyncio.sleep(0.1)
        message = {"type": "event", "seq": 10**9, "kind": "created", "number": "2026-999999", "data": {}}
        await get_channel_layer().group_send(ALL_GROUP, {"type": "ops.event", "seq": message["seq"], "text": json.dumps(message)})
        started = time.monotonic()
        assert (await one.receive_json_from(timeout=2)) == message
        assert time.monotonic() - started < 2 and not slow.done()
        await slow
        await one.disconnect()

    run(scenario)
