"""Who sees and works which case through the API: alice (staff of the entity in charge), bob (another
entity), charlie (signed in, no role), the 311 agent and the oversight investigator."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseEvent, State


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def url(case, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.number}/{suffix}"


def test_alice_lists_her_entitys_cases_only(as_user, cases):
    assert numbers(as_user("alice").get("/api/v1/cases/")) == {cases.rubbish.number}


def test_bob_lists_none_of_alices_cases(as_user, cases):
    assert numbers(as_user("bob").get("/api/v1/cases/")) == set()


def test_charlie_without_a_role_gets_an_empty_list(as_user, cases):
    assert numbers(as_user("charlie").get("/api/v1/cases/")) == set()


def test_the_agent_lists_every_case_except_sensitive_ones(as_user, cases):
    assert numbers(as_user("agent").get("/api/v1/cases/")) == {cases.rubbish.number, cases.water.number}


def test_the_investigator_lists_only_sensitive_cases(as_user, cases):
    assert numbers(as_user("investigator").get("/api/v1/cases/")) == {cases.corruption.number}


def test_an_anonymous_request_is_refused_with_401_json(as_user, cases):
    response = as_user(None).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("suffix", ["", "timeline/"])
def test_alice_reads_her_entitys_case_and_its_timeline(as_user, cases, suffix):
    response = as_user("alice").get(url(cases.rubbish, suffix))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["bob", "charlie"])
@pytest.mark.parametrize("suffix", ["", "timeline/"])
def test_others_get_404_for_alices_case(as_user, cases, who, suffix):
    response = as_user(who).get(url(cases.rubbish, suffix))
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "agent", "operator", "admin"])
def test_nobody_but_the_investigator_reads_a_sensitive_case(as_user, cases, who):
    assert as_user(who).get(url(cases.corruption)).status_code == 404
    assert as_user(who).get(url(cases.corruption, "timeline/")).status_code == 404


def test_the_agent_reads_any_non_sensitive_case_and_its_timeline(as_user, cases):
    for case in [cases.rubbish, cases.water]:
        assert as_user("agent").get(url(case)).status_code == 200
        assert as_user("agent").get(url(case, "timeline/")).status_code == 200


def test_the_investigator_gets_404_for_non_sensitive_cases(as_user, cases):
    assert as_user("investigator").get(url(cases.rubbish)).status_code == 404
    response = as_user("investigator").post(url(cases.rubbish, "comments/"), {"message": "Hola"}, format="json")
    assert response.status_code == 404


def test_the_investigator_reads_a_sensitive_case(as_user, cases):
    response = as_user("investigator").get(url(cases.corruption))
    assert response.status_code == 200
    assert response.json()["category"] == "DENUNCIA-CORRUPCION"


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_cannot_transition_or_comment_on_alices_case_and_nothing_changes(as_user, cases, who):
    client = as_user(who)
    events_before = CaseEvent.objects.count()
    assert client.post(url(cases.rubbish, "transitions/"), {"action": "assign"}, format="json").status_code == 404
    assert client.post(url(cases.rubbish, "comments/"), {"message": "hola"}, format="json").status_code == 404
    assert Case.objects.get(pk=cases.rubbish.pk).state == State.RECEIVED
    assert CaseEvent.objects.count() == events_before


def test_alice_assigns_her_entitys_case_to_herself(as_user, world, cases):
    response = as_user("alice").post(url(cases.rubbish, "transitions/"), {"action": "assign"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "assigned"
    assert response.json()["assignee"] == "alice"


def test_alice_comments_on_her_entitys_case(as_user, cases):
    body = {"message": "Cuadrilla en camino."}
    response = as_user("alice").post(url(cases.rubbish, "comments/"), body, format="json")
    assert response.status_code == 201
    assert CaseEvent.objects.filter(case=cases.rubbish, kind="comment", actor__username="alice").exists()


def test_only_the_investigator_works_a_sensitive_case(as_user, cases):
    for who in ["alice", "agent", "admin"]:
        response = as_user(who).post(url(cases.corruption, "transitions/"), {"action": "start"}, format="json")
        assert response.status_code == 404
    response = as_user("investigator").post(url(cases.corruption, "transitions/"), {"action": "assign"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == "ines"


def test_an_operator_sees_an_urgent_case_but_cannot_work_it(as_user, world, cases):
    from ventanilla.testing import new_case

    flood = new_case(world, world.flooding)
    client = as_user("operator")
    assert client.get(url(flood)).status_code == 200
    response = client.post(url(flood, "transitions/"), {"action": "assign"}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=flood.pk).state == State.RECEIVED


def test_the_agent_cannot_work_a_case_another_entity_holds(as_user, cases):
    response = as_user("agent").post(url(cases.water, "transitions/"), {"action": "start"}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=cases.water.pk).state == State.RECEIVED


def test_lists_never_carry_the_reporters_contact(as_user, cases):
    for who in ["alice", "agent"]:
        body = as_user(who).get("/api/v1/cases/").content.decode()
        assert "María" not in body and "maria@example.invalid" not in body and "6123-4567" not in body
        assert "contact" not in as_user(who).get("/api/v1/cases/").json()["results"][0]


@pytest.mark.parametrize("who", ["alice", "agent"])
def test_staff_in_charge_and_agents_see_the_reporters_contact_in_the_detail(as_user, cases, who):
    contact = as_user(who).get(url(cases.rubbish)).json()["contact"]
    assert contact["name"] == "María Pérez"
    assert contact["phone"] == "6123-4567"


def test_administrators_read_the_case_but_not_the_reporters_contact(as_user, cases):
    response = as_user("admin").get(url(cases.rubbish))
    assert response.status_code == 200
    assert response.json()["contact"] is None
    assert "María" not in response.content.decode()
