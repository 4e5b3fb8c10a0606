"""Two members act on one case at the same moment (real threads, real commits): one action applies, the
other is told the case changed and applies nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import Client

from backoffice.concurrency import version_of
from backoffice.testing import login_verified
from cases.models import Case, State
from cases.services import Actor, transition
from ventanilla.testing import SAN_MIGUELITO, new_case


def test_two_simultaneous_actions_on_one_case(transactional_world):
    world = transactional_world
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    transition(case, "assign", Actor(world.supervisor), assignee=world.alice)
    version = version_of(case)
    alice, sofia = Client(), Client()
    login_verified(alice, world.alice)
    login_verified(sofia, world.supervisor)
    posts = {
        "alice": (alice, f"/oficina/casos/{case.number}/resolve/", {"resolve-version": version, "resolve-message": "Resuelto por Alice."}),
        "sofia": (sofia, f"/oficina/casos/{case.number}/reassign/", {"reassign-version": version, "reassign-assignee": "sofia"}),
    }
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def run(name):
        client, url, data = posts[name]
        try:
            barrier.wait()
            results[name] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [302, 409], results
    fresh = Case.objects.get(pk=case.pk)
    kinds = list(fresh.events.order_by("pk").values_list("kind", flat=True))
    if results["alice"] == 302:
        assert fresh.state == State.RESOLVED and fresh.assignee == world.alice and "reassign" not in kinds
    else:
        assert fresh.state == State.ASSIGNED and fresh.assignee == world.supervisor and "resolve" not in kinds
