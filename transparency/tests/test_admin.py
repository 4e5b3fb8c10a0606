"""Republication from the admin: an explicit action with a required note."""

from cases.models import Case
from transparency.jobs import publish_month
from transparency.models import PublishedMonth
from transparency.tests.dataset import at, build_month
from backoffice.testing import login_verified
from ventanilla.testing import PASSWORD


def test_an_administrator_republishes_a_month_with_a_note(world, client):
    data = build_month(world)
    first = publish_month(2026, 3)
    Case.objects.filter(pk=data.cases["W6"].pk).update(state="resolved", resolved_at=at(3, 23))
    login_verified(client, world.admin)  # the admin requires the second factor
    url = "/admin/transparency/publishedmonth/"

    asked = client.post(url, {"action": "republish", "_selected_action": [first.pk]})
    assert asked.status_code == 200 and b'name="note"' in asked.content
    client.post(url, {"action": "republish", "_selected_action": [first.pk], "confirm": "1", "note": ""})
    assert PublishedMonth.objects.count() == 1  # no note, no new revision
    client.post(url, {"action": "republish", "_selected_action": [first.pk], "confirm": "1", "note": "Un cierre tardío"})

    current = PublishedMonth.objects.get(year=2026, month=3, is_current=True)
    assert (current.revision, current.revision_note) == (2, "Un cierre tardío")
    assert client.get(f"{url}{first.pk}/change/").status_code == 200


def test_staff_of_an_entity_cannot_reach_it(world, client):
    client.login(username="alice", password=PASSWORD)
    assert client.get("/admin/transparency/publishedmonth/").status_code == 302
