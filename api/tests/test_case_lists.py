"""Filtering and paging case lists: filters narrow what the user may see, bad filter values are a 400."""

from __future__ import annotations

import datetime as dt
from base64 import b64encode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.pagination import CaseCursor
from cases.models import Case
from ventanilla.testing import new_case


def numbers(client, query: str = "") -> set[str]:
    response = client.get(f"/api/v1/cases/{query}")
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def test_filters_by_state_category_entity_and_channel(as_user, world, cases):
    rejected = as_user("admin").post(
        f"/api/v1/cases/{cases.water.number}/transitions/", {"action": "reject", "reason": "spam"}, format="json"
    )
    assert rejected.status_code == 200
    agent = as_user("agent")
    assert numbers(agent, "?state=received") == {cases.rubbish.number}
    assert numbers(agent, "?state=received&state=rejected") == {cases.rubbish.number, cases.water.number}
    assert numbers(agent, "?category=FALTA-AGUA") == {cases.water.number}
    assert numbers(agent, "?entity=MUNSM") == {cases.rubbish.number}
    assert numbers(agent, "?channel=web") == {cases.rubbish.number, cases.water.number}
    assert numbers(agent, "?channel=phone") == set()


def test_filters_never_reveal_cases_the_user_cannot_see(as_user, cases):
    assert numbers(as_user("bob"), "?entity=MUNSM") == set()
    assert numbers(as_user("agent"), "?category=DENUNCIA-CORRUPCION") == set()


def test_filters_by_creation_and_update_time(as_user, world, cases):
    old = new_case(world, world.water)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    cutoff = (timezone.now() - dt.timedelta(days=1)).isoformat()
    agent = as_user("agent")
    created_after = numbers(agent, "?" + "created_after=" + cutoff.replace("+", "%2B"))
    created_before = numbers(agent, "?" + "created_before=" + cutoff.replace("+", "%2B"))
    assert old.number not in created_after
    assert created_before == {old.number}
    assert numbers(agent, "?updated_before=2000-01-01T00:00:00Z") == set()
    everything = {cases.rubbish.number, cases.water.number, old.number}
    assert numbers(agent, "?updated_after=2000-01-01T00:00:00Z") == everything


def test_filters_overdue_cases(as_user, cases):
    Case.objects.filter(pk=cases.water.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    agent = as_user("agent")
    assert numbers(agent, "?overdue=true") == {cases.water.number}
    assert numbers(agent, "?overdue=false") == {cases.rubbish.number}


def test_q_finds_a_case_by_part_of_its_number(as_user, cases):
    agent = as_user("agent")
    assert numbers(agent, f"?q={cases.water.number}") == {cases.water.number}
    assert numbers(agent, f"?q={cases.water.number[-6:]}") == {cases.water.number}


@pytest.mark.parametrize(
    "query",
    [
        "?state=lost",
        "?channel=telepathy",
        "?created_after=yesterday",
        "?created_after=2026-02-30T10:00:00",
        "?updated_before=9999-12-31T23:59:59-14:00",
        "?overdue=maybe",
        "?q=" + "1" * 17,
        "?q=%00",
        "?entity=%00",
    ],
)
def test_bad_filter_values_are_a_400_json(as_user, cases, query):
    response = as_user("agent").get(f"/api/v1/cases/{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_cursor_pages_walk_every_visible_case_once(as_user, world, cases, monkeypatch):
    monkeypatch.setattr(CaseCursor, "page_size", 2)
    for _ in range(3):
        new_case(world, world.water)
    agent = as_user("agent")
    seen, url = [], "/api/v1/cases/"
    while url:
        body = agent.get(url).json()
        seen += [row["number"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        b64encode(b"p=not-a-date").decode(),
        b64encode(b"p=\x00").decode(),
        b64encode(b"o=-1").decode(),
        b64encode(b"p=9999-12-31 23:59:59-05:00").decode(),
    ],
)
def test_a_forged_cursor_is_a_404_json(as_user, cases, cursor):
    response = as_user("agent").get("/api/v1/cases/", {"cursor": cursor})
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/cases/not-a-number/", "/api/v1/nothing/", "/api/v1/cases/2026-1/x/"])
def test_unknown_addresses_under_the_api_are_a_404_json(as_user, path):
    response = as_user("agent").get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_longer_page_costs_no_more_queries(as_user, world, cases):
    agent = as_user("agent")

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert agent.get("/api/v1/cases/").status_code == 200
        return len(captured)

    short = queries_for_list()
    for _ in range(5):
        new_case(world, world.water)
    assert queries_for_list() == short
