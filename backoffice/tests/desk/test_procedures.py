"""Supervisors keep their entity's procedures current: edit, "reviewed today", the overdue-review list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Procedure

from .helpers import login

pytestmark = pytest.mark.django_db


def form_data(procedure: Procedure, **changes) -> dict:
    data = {
        "name": procedure.name,
        "name_en": procedure.name_en,
        "summary": procedure.summary,
        "summary_en": procedure.summary_en,
        "who_may_apply": procedure.who_may_apply,
        "requirements": "\n".join(procedure.requirements),
        "documents": "\n".join(procedure.documents),
        "steps": "\n".join(procedure.steps),
        "cost": "" if procedure.cost is None else str(procedure.cost),
        "cost_notes": procedure.cost_notes,
        "duration": procedure.duration,
        "online_url": procedure.online_url,
        "phone": procedure.phone,
        "legal_basis": procedure.legal_basis,
        "source_url": procedure.source_url,
        "last_reviewed": procedure.last_reviewed.isoformat(),
        "active": "on" if procedure.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_shows_the_procedures_not_reviewed_in_the_period(client, world, procedures):
    response = login(client, world.supervisor).get(reverse("backoffice:desk_procedures"))
    assert response.status_code == 200
    assert response.context["overdue"] == [procedures["stale"]]
    assert set(response.context["procedures"]) == {procedures["stale"], procedures["fresh"]}
    assert procedures["david"].name not in response.content.decode()


def test_a_supervisor_edits_a_procedure_and_stamps_it_reviewed_today(client, world, procedures):
    stale = procedures["stale"]
    login(client, world.supervisor)
    url = reverse("backoffice:desk_procedure", args=[stale.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        form_data(stale, cost="12.50", requirements="Cédula vigente.\n\nRecibo de luz.\n", reviewed_today="on"),
    )
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.cost == 12.5
    assert stale.requirements == ["Cédula vigente.", "Recibo de luz."]
    assert stale.last_reviewed == timezone.localdate()
    assert not stale.review_overdue
    assert stale.history.first().history_user == world.supervisor
    assert client.get(reverse("backoffice:desk_procedures")).context["overdue"] == []


def test_a_supervisor_may_set_a_past_review_date_but_not_a_future_one(client, world, procedures):
    fresh = procedures["fresh"]
    login(client, world.supervisor)
    url = reverse("backoffice:desk_procedure", args=[fresh.slug])
    past = timezone.localdate() - dt.timedelta(days=3)
    assert client.post(url, form_data(fresh, last_reviewed=past.isoformat())).status_code == 302
    assert Procedure.objects.get(pk=fresh.pk).last_reviewed == past
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(url, form_data(fresh, last_reviewed=future.isoformat(), name="Otro nombre"))
    assert response.status_code == 400
    assert "last_reviewed" in response.context["form"].errors
    assert Procedure.objects.get(pk=fresh.pk).name == fresh.name


@pytest.mark.parametrize("changes", [{"name": ""}, {"cost": "gratis"}, {"online_url": "no es una dirección"}, {"last_reviewed": "ayer"}])
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(client, world, procedures, changes):
    fresh = procedures["fresh"]
    before = Procedure.objects.filter(pk=fresh.pk).values().get()
    response = login(client, world.supervisor).post(reverse("backoffice:desk_procedure", args=[fresh.slug]), form_data(fresh, **changes))
    assert response.status_code == 400
    assert set(changes) <= set(response.context["form"].errors)
    assert Procedure.objects.filter(pk=fresh.pk).values().get() == before


@pytest.mark.parametrize("who", ["supervisor", "alice", "bob", "charlie", "agent"])
def test_nobody_but_its_entitys_supervisors_edits_a_procedure(client, world, procedures, who):
    david = procedures["david"]
    before = Procedure.objects.filter(pk=david.pk).values().get()
    login(client, getattr(world, who))
    url = reverse("backoffice:desk_procedure", args=[david.slug])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, form_data(david, name="Cambiado", reviewed_today="on")).status_code in (403, 404)
    assert Procedure.objects.filter(pk=david.pk).values().get() == before
