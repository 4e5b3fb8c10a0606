"""Benchmark: the notifications outbox.

    .venv/bin/python bench/notifications.py [--messages 1000] [--posts 150] [--rounds 4]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/notifications.py

On a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL):

1. **Drain rate**: --messages outbox rows (half e-mail, half SMS) sent by a real `ventanilla worker`
   process to a local aiosmtpd server and the local fake HTTP SMS gateway (notifications/testing.py):
   messages/s from the worker's start to the last one marked sent.
2. **Cost on an Open311 POST**: --posts POSTs of requests.json with an e-mail and a phone (SMS chosen),
   through the real stack (Django test client: middleware, validation, routing, numbering, events),
   with the outbox receiver connected and disconnected, interleaved over --rounds rounds. Wall clock
   and CPU time per POST, median of the rounds. Goal: at most 10 % more with the outbox.

Figures are printed with the load average: on a shared 2-core machine the wall clock includes waiting
for a CPU, and the CPU time per POST is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("VENTANILLA_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f}"


def database_url(connection) -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def fill_outbox(world, count: int) -> None:
    from notifications.content import Content
    from notifications.models import Message
    from notifications.services import build_message
    from ventanilla.testing import new_case

    case = new_case(world)
    content = Content("Benchmark", ["Un mensaje de prueba del benchmark."], "Siga su caso", "http://127.0.0.1/", "311: prueba.")
    rows = []
    for i in range(count):
        channel = Message.Channel.EMAIL if i % 2 == 0 else Message.Channel.SMS
        to = f"vecino{i}@example.com" if channel == Message.Channel.EMAIL else f"+5076{i:07d}"
        rows.append(build_message("received", channel, to, f"bench:{i}:{channel}", content, case=case, language="es"))
    Message.objects.bulk_create(rows, batch_size=500)


def drain_rate(world, connection, count: int) -> dict:
    from notifications.models import Message
    from notifications.testing import FakeGateway, RecordingSMTP

    fill_outbox(world, count)
    with RecordingSMTP() as smtp, FakeGateway(key="bench-key") as gateway:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "TEXT_GATEWAY_URL": gateway.url,
            "TEXT_GATEWAY_KEY": gateway.key,
            "NOTIFICATIONS_POLL_SECONDS": "0.2",
            "LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "ventanilla"), "worker", "--outbox-only"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = started + 600
            while time.perf_counter() < deadline:
                left = Message.objects.exclude(status=Message.Status.SENT).count()
                if left == 0:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(30)
        sent = Message.objects.filter(status=Message.Status.SENT).count()
        return {
            "messages": count, "sent": sent, "seconds": elapsed, "rate": sent / elapsed,
            "smtp_received": len(smtp.messages), "gateway_deliveries": len(gateway.deliveries),
        }


def post_cost(world, posts: int, rounds: int) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from cases.events import event_recorded
    from notifications.services import on_event_recorded
    from open311.models import ApiKey
    from ventanilla.testing import SAN_MIGUELITO

    _, raw = ApiKey.issue("Bench")
    client = Client()

    def one_round(label: str) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(posts):
            cache.clear()  # the per-key rate limit is not what is measured
            response = client.post(
                "/open311/v2/requests.json",
                {"api_key": raw, "service_code": world.water.code, "lat": SAN_MIGUELITO[0], "long": SAN_MIGUELITO[1],
                 "description": f"Sin agua desde ayer ({label} {i}).", "email": "ana@example.com",
                 "phone": "6123-4567", "notify_sms": "true"},
            )
            assert response.status_code in (200, 201), response.content[:300]
        return (time.perf_counter() - wall) / posts, (time.process_time() - cpu) / posts

    results = {"on": [], "off": []}
    one_round("warm-up")
    for _ in range(rounds):
        for label in ("off", "on"):
            if label == "off":
                event_recorded.disconnect(dispatch_uid="notifications.outbox")
            try:
                results[label].append(one_round(label))
            finally:
                event_recorded.connect(on_event_recorded, dispatch_uid="notifications.outbox")
    figures = {}
    for label, samples in results.items():
        figures[label] = {
            "wall_ms": statistics.median(s[0] for s in samples) * 1000,
            "cpu_ms": statistics.median(s[1] for s in samples) * 1000,
        }
    figures["extra_wall"] = figures["on"]["wall_ms"] / figures["off"]["wall_ms"] - 1
    figures["extra_cpu"] = figures["on"]["cpu_ms"] / figures["off"]["cpu_ms"] - 1
    return figures


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from ventanilla.testing import build_world

        world = build_world()
        print(f"notifications outbox on {connection.vendor}; {load()}")
        drain = drain_rate(world, connection, args.messages)
        print(
            f"drain: {drain['sent']}/{drain['messages']} messages (half e-mail to aiosmtpd, half SMS to the HTTP gateway) "
            f"in {drain['seconds']:.1f} s = {drain['rate']:.0f} messages/s; smtp got {drain['smtp_received']}, "
            f"gateway {drain['gateway_deliveries']}; {load()}"
        )
        cost = post_cost(world, args.posts, args.rounds)
        print(
            f"Open311 POST, median of {args.rounds} rounds x {args.posts}: "
            f"without outbox {cost['off']['wall_ms']:.1f} ms wall / {cost['off']['cpu_ms']:.1f} ms CPU, "
            f"with outbox {cost['on']['wall_ms']:.1f} ms wall / {cost['on']['cpu_ms']:.1f} ms CPU: "
            f"+{cost['extra_wall']:.1%} wall, +{cost['extra_cpu']:.1%} CPU (goal <= 10 %); {load()}"
        )
        return {"drain": drain, "post": cost}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
