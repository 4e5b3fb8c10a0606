"""Every back-office URL and action of this app, tried by a member of another entity (bob), by a 311
agent on a sensitive case, and by an outsider (charlie): refused (404 for what they may not see, 403 or
the sign-in page otherwise), and nothing changed."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from backoffice.concurrency import version_of
from backoffice.models import ContactAccess
from backoffice.testing import login_verified
from cases.models import Attachment
from ventanilla.testing import SAN_MIGUELITO, new_case

from .core_fixtures import snapshot

ACTIONS = [
    ("take", {}),
    ("assign", {"assignee": "alice"}),
    ("reassign", {"assignee": "alice"}),
    ("take_over", {}),
    ("start", {}),
    ("request_info", {"message": "¿Dónde?"}),
    ("resolve", {"message": "Listo."}),
    ("transfer", {"entity": "IDAAN", "reason": "No es nuestro."}),
    ("reject", {"reason": "spam", "message": "No."}),
    ("duplicate", {"original": "2026-000001"}),
    ("change_category", {"category": "FALTA-AGUA"}),
    ("moderate", {"public_description": "Texto."}),
    ("note", {"message": "Nota."}),
    ("comment", {"message": "Comentario."}),
]


@pytest.fixture
def targets(world):
    ordinary = new_case(world, world.rubbish, point=SAN_MIGUELITO, contact_name="Ana", contact_phone="6000-0000")
    sensitive = new_case(world, world.corruption, point=None, contact_name="Luis", contact_email="luis@example.invalid")
    for case in (ordinary, sensitive):
        item = Attachment(case=case, content_type="image/gif", size=6, public=False)
        item.file.save("x.gif", ContentFile(b"GIF89a"), save=True)
    return {"ordinary": ordinary, "sensitive": sensitive}


CASES_FOR = {"bob": "ordinary", "agent": "sensitive", "charlie": "ordinary", "investigator": "ordinary"}


@pytest.mark.parametrize("who", list(CASES_FOR))
def test_outsiders_are_refused_everywhere_and_nothing_changes(client, world, targets, who):
    user = {"bob": world.bob, "agent": world.agent, "charlie": world.charlie, "investigator": world.investigator}[who]
    case = targets[CASES_FOR[who]]
    login_verified(client, user)
    before = snapshot(case)
    refused = {403, 404}
    base = f"/oficina/casos/{case.number}/"
    assert client.get(base).status_code in refused
    assert client.post(base + "contacto/").status_code in refused
    attachment = case.attachments.get()
    assert client.get(f"/oficina/adjuntos/{attachment.pk}/").status_code in refused
    for action, fields in ACTIONS:
        data = {f"{action}-version": version_of(case), **{f"{action}-{k}": v for k, v in fields.items()}}
        assert client.post(base + f"{action}/", data).status_code in refused, action
    bulk = client.post("/oficina/lote/", {"cases": [case.number], "action": "assign", "assignee": ""})
    assert bulk.status_code in {302, 403}
    assert snapshot(case) == before
    assert not ContactAccess.objects.exists()
    if who != "charlie":  # members of staff see 404s: the case does not exist for them
        assert client.get(base).status_code == 404


def test_an_outsider_sees_no_queue_and_a_signed_out_visitor_is_sent_to_sign_in(client, world, targets):
    login_verified(client, world.charlie)
    assert client.get("/oficina/").status_code == 403
    client.logout()
    for url in ["/oficina/", f"/oficina/casos/{targets['ordinary'].number}/", "/oficina/adjuntos/1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/oficina/entrar/")


def test_a_forged_case_number_is_a_404(client, world):
    login_verified(client, world.alice)
    assert client.get("/oficina/casos/2026-999999/").status_code == 404
    assert client.get("/oficina/casos/<script>/").status_code == 404
    assert client.post("/oficina/casos/2026-999999/resolve/", {"resolve-version": 0, "resolve-message": "x"}).status_code == 404
    assert client.post("/oficina/casos/2026-999999/unknown-action/").status_code == 404
