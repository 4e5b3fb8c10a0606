"""The board page, its actions over HTTP and who may see it (isolation)."""

import pytest

from cases.models import Case
from operations import services
from operations.models import AlertState
from ventanilla.testing import DAVID

from .helpers import file_flood

BOARD = "/operaciones/"


def act(client, alert, action, **data):
    data.setdefault("version", alert.version)
    return client.post(f"/operaciones/alertas/{alert.case.number}/{action}/", data, HTTP_ACCEPT="application/json")


def test_operators_see_every_open_alert(ops, client):
    first, second = file_flood(ops.world), file_flood(ops.world, point=DAVID)
    client.force_login(ops.operator)
    page = client.get(BOARD).content.decode()
    assert first.case.number in page and second.case.number in page
    assert 'id="ops-config"' in page and "board.js" in page


@pytest.mark.parametrize("who", ["charlie", "alice", "agent", "supervisor"])
def test_citizens_and_entity_staff_see_no_board(ops, client, who):
    file_flood(ops.world)
    client.force_login(getattr(ops.world, who))
    assert client.get(BOARD).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(ops, client):
    response = client.get(BOARD)
    assert response.status_code == 302 and "/oficina/entrar/" in response["Location"]


def test_dispatchers_see_only_alerts_dispatched_to_their_agency(ops, client):
    ours = services.dispatch(services.acknowledge(file_flood(ops.world), ops.operator), ops.operator, [ops.bomberos.pk])
    theirs = services.dispatch(services.acknowledge(file_flood(ops.world, point=DAVID), ops.operator), ops.operator, [ops.police.pk])
    undispatched = file_flood(ops.world)
    client.force_login(ops.fire_dispatcher)
    page = client.get(BOARD).content.decode()
    assert ours.case.number in page
    assert theirs.case.number not in page and undispatched.case.number not in page
    # Their case in the back office's scope, and no other alert's.
    visible = set(Case.objects.visible_to(ops.fire_dispatcher).values_list("number", flat=True))
    assert visible == {ours.case.number}
    # They cannot act on an alert they cannot see, nor acknowledge at all.
    assert act(client, theirs, "dispatch_status", agency=ops.police.pk, status="depart").status_code == 404
    assert act(client, ours, "dispatch_status", agency=ops.bomberos.pk, status="depart").status_code == 200
    assert act(client, undispatched, "acknowledge").status_code == 404


def test_an_operator_acts_through_the_board(ops, client):
    alert = file_flood(ops.world)
    client.force_login(ops.operator)
    response = act(client, alert, "acknowledge")
    assert response.status_code == 200
    body = response.json()
    assert body["alert"]["state"] == "acknowledged" and body["alert"]["claimed_by"] == "oscar" and body["seq"]
    alert.refresh_from_db()
    response = act(client, alert, "dispatch", agencies=[ops.bomberos.pk, ops.police.pk], note="Calle 5")
    assert [d["agency"] for d in response.json()["alert"]["dispatches"]] == ["BCBRP", "PN"]


def test_stale_views_and_bad_input_are_refused_with_the_current_alert(ops, client):
    alert = file_flood(ops.world)
    client.force_login(ops.operator)
    stale = act(client, alert, "acknowledge", version=alert.version + 5)
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert stale.json()["alert"]["state"] == "new"
    assert act(client, alert, "acknowledge", version="x").status_code == 409
    act(client, alert, "acknowledge")
    alert.refresh_from_db()
    bad = act(client, alert, "dispatch", agencies=["abc"])
    assert bad.status_code == 409 and "organismos de respuesta" in bad.json()["error"]
    wrong = act(client, alert, "dispatch", agencies=[ops.world.idaan.pk])
    assert wrong.status_code == 409
    assert act(client, alert, "severity", severity="9").status_code == 409
    assert client.post(f"/operaciones/alertas/{alert.case.number}/explode/").status_code == 404
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED and not alert.dispatches.exists()


def test_the_board_works_without_javascript(ops, client):
    alert = file_flood(ops.world)
    client.force_login(ops.operator2)
    response = client.post(f"/operaciones/alertas/{alert.case.number}/acknowledge/", {"version": alert.version})
    assert response.status_code == 302
    client.force_login(ops.operator)
    again = client.post(f"/operaciones/alertas/{alert.case.number}/resolve/", {"outcome": "Listo"}, follow=True)
    assert "Olga Ríos está atendiendo la alerta" in again.content.decode()


def test_the_shift_view_counts_open_alerts_and_mean_times(ops, client):
    alert = file_flood(ops.world, severity=5)
    file_flood(ops.world, severity=2)
    services.dispatch(services.acknowledge(alert, ops.operator), ops.operator, [ops.police.pk])
    client.force_login(ops.operator)
    page = client.get("/operaciones/turno/").content.decode()
    assert 'id="open-total">2<' in page
    assert 'id="arrived">2<' in page
    assert "min" in page.split('id="mean-ack"')[1].split("</dd>")[0]
